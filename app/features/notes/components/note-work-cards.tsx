/**
 * Home's progress-note cards: a facilitator's notes to write, a clinical supervisor's co-signature
 * queue (plans and notes together, oldest first), and an admin's counts per clinician.
 */
import { Card, SimpleGrid, Text, Title } from "@mantine/core";
import { PlainLink, PlainTable, plain } from "~/components/plain-table";
import { shortDate } from "~/kernel/time";
import type { ClinicianNoteCounts, CoSignItem, NotesToWrite } from "../worklist.server";

const overdueStyle = { color: "var(--mantine-color-red-9)", fontWeight: 600 } as const;

export function NotesToWriteCard({ notes }: { notes: NotesToWrite }) {
  const more = notes.total - notes.rows.length;
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Notes to write{notes.total ? ` (${notes.total})` : ""}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Sessions you facilitated in the last {notes.lookBackDays / 7} weeks where someone attended and the note is not signed yet, oldest first. A note is
        overdue {notes.lateHours} hours after its session ended{notes.overdue ? `: ${notes.overdue} overdue` : ""}.
      </Text>
      {notes.total === 0 ? (
        <Text size="sm">Every session you facilitated has a signed note.</Text>
      ) : (
        <>
          <PlainTable
            label="Notes to write"
            columns={[{ title: "Session" }, { title: "Attended", right: true }, { title: "Note" }]}
            rows={notes.rows.map((r) => ({
              key: r.sessionId,
              cells: [
                <>
                  <PlainLink to={`/schedule/sessions/${r.sessionId}/note`}>{r.title}</PlainLink>
                  <p className={`${plain.small} ${plain.dimmed}`}>{shortDate(r.date)}</p>
                </>,
                r.patients,
                <span key="s" style={r.overdue ? overdueStyle : undefined}>
                  {r.state === "draft" ? "Draft, not signed" : "Not started"}
                  {r.overdue ? " · overdue" : ""}
                </span>,
              ],
            }))}
          />
          {more > 0 ? (
            <Text size="sm" c="dimmed" mt="xs">
              {more} more not shown: write the oldest first.
            </Text>
          ) : null}
        </>
      )}
    </Card>
  );
}

export function CoSignQueueCard({ queue }: { queue: CoSignItem[] }) {
  const notes = queue.filter((q) => q.kind === "note").length;
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Waiting for your co-signature ({queue.length})
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Plans and notes signed by staff you supervise, oldest first{notes ? ` (${notes} ${notes === 1 ? "note" : "notes"})` : ""}.
      </Text>
      <PlainTable
        label="Waiting for your co-signature"
        columns={[{ title: "Kind" }, { title: "Patient or session" }, { title: "Signed by" }, { title: "Signed" }]}
        rows={queue.map((q) => ({
          key: q.key,
          cells: [
            q.kind === "plan" ? "Plan" : "Note",
            <>
              <PlainLink to={q.to}>{q.label}</PlainLink>
              <p className={`${plain.small} ${plain.dimmed}`}>{q.kind === "plan" ? q.detail : shortDate(q.detail)}</p>
            </>,
            q.signedBy ?? "—",
            shortDate(q.signedAt.slice(0, 10)),
          ],
        }))}
      />
    </Card>
  );
}

export function NoteCountsCard({ counts }: { counts: ClinicianNoteCounts[] }) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Progress notes by clinician
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Sessions held in the last 8 weeks where someone attended: notes not started, drafts not signed, how many of those are overdue, and signed notes waiting
        for a co-signature.
      </Text>
      {counts.length === 0 ? (
        <Text size="sm">Nothing to write and nothing waiting.</Text>
      ) : (
        <PlainTable
          label="Progress notes by clinician"
          columns={[
            { title: "Clinician" },
            { title: "No note", right: true },
            { title: "Unsigned drafts", right: true },
            { title: "Overdue", right: true },
            { title: "Waiting: co-sign", right: true },
          ]}
          rows={counts.map((c) => ({ key: c.clinicianId, cells: [c.clinician, c.missing, c.drafts, c.overdue, c.awaitingCosign] }))}
        />
      )}
    </Card>
  );
}

export function NoteWorkCards({
  toWrite,
  coSign,
  counts,
}: {
  toWrite: NotesToWrite | null;
  coSign: CoSignItem[] | null;
  counts: ClinicianNoteCounts[] | null;
}) {
  if (!toWrite && !coSign?.length && !counts) return null;
  return (
    <SimpleGrid cols={{ base: 1, lg: toWrite && coSign?.length ? 2 : 1 }} spacing="md">
      {coSign?.length ? <CoSignQueueCard queue={coSign} /> : null}
      {toWrite ? <NotesToWriteCard notes={toWrite} /> : null}
      {counts ? <NoteCountsCard counts={counts} /> : null}
    </SimpleGrid>
  );
}
