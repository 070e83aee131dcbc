/**
 * Home's measures card: a counselor's caseload's measures that are due or overdue, each with a
 * way into its form; an admin's counts per counselor at the site (no patient is named there).
 */
import { Badge, Card, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { PlainLink, PlainTable, plain } from "~/components/plain-table";
import { shortDate } from "~/kernel/time";
import { DUE_SOON_DAYS, lateness, MEASURE_GRACE_DAYS, MEASURES } from "../rules";
import type { CounselorCounts, MeasuresHome, WorklistItem } from "../worklist";
import css from "./measures-worklist-card.module.css";

/** One row per patient and due date: the measures a counselor gives together. */
function groups(items: WorklistItem[]): WorklistItem[][] {
  const out = new Map<string, WorklistItem[]>();
  for (const i of items) {
    const key = `${i.patientId} ${i.dueOn} ${i.state} ${i.reason}`;
    out.set(key, [...(out.get(key) ?? []), i]);
  }
  return [...out.values()];
}

const REASONS = { intake: "at intake", interval: "repeat", discharge: "at discharge" } as const;

export function MeasuresWorklistCard({ measures }: { measures: MeasuresHome }) {
  if (measures.worklist) return <DueCard worklist={measures.worklist} intervalDays={measures.intervalDays} />;
  if (measures.byCounselor) return <CountsCard counts={measures.byCounselor} intervalDays={measures.intervalDays} />;
  return null;
}

function When({ item }: { item: WorklistItem }) {
  return (
    <>
      <Badge color={item.state === "overdue" ? "red" : "yellow"} variant={item.state === "overdue" ? "filled" : "light"}>
        {item.state === "overdue" ? "Overdue" : "Due"}
      </Badge>{" "}
      {lateness(item.daysLate)}
    </>
  );
}

function DueCard({ worklist, intervalDays }: { worklist: NonNullable<MeasuresHome["worklist"]>; intervalDays: number }) {
  const { items, total, overdue, due } = worklist;
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Measures due{total ? ` (${overdue} overdue, ${due} due)` : ""}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Standardized measures on your caseload due within the next {DUE_SOON_DAYS} days or overdue (more than {MEASURE_GRACE_DAYS} days past the due date). Each
        is due at intake, every {intervalDays} days and at discharge.
      </Text>
      {items.length === 0 ? (
        <Text size="sm">Nothing due on your caseload.</Text>
      ) : (
        <PlainTable
          label="Measures due"
          columns={[{ title: "Patient" }, { title: "Give" }, { title: "Due" }, { title: "Status" }]}
          rows={groups(items).map((g) => ({
            key: `${g[0].patientId}-${g[0].dueOn}-${g[0].state}`,
            cells: [
              <>
                <PlainLink to={`/patients/${g[0].patientId}/measures`}>{g[0].name}</PlainLink>
                <p className={`${plain.small} ${plain.dimmed}`}>{g[0].mrn}</p>
              </>,
              <span key="give" className={css.links}>
                {g.map((i) => (
                  <Link
                    key={i.code}
                    to={`/patients/${i.patientId}/measures/${i.code}`}
                    className={plain.link}
                    aria-label={`Give ${MEASURES[i.code].name} to ${i.name}`}
                  >
                    {MEASURES[i.code].name}
                  </Link>
                ))}
              </span>,
              <>
                <span style={{ whiteSpace: "nowrap" }}>{shortDate(g[0].dueOn)}</span>
                <p className={`${plain.small} ${plain.dimmed}`}>{REASONS[g[0].reason]}</p>
              </>,
              <When key="when" item={g[0]} />,
            ],
          }))}
        />
      )}
      {total > items.length ? (
        <Text size="sm" mt="xs">
          and {total - items.length} more; each patient&apos;s Measures tab lists them all.
        </Text>
      ) : null}
    </Card>
  );
}

function CountsCard({ counts, intervalDays }: { counts: CounselorCounts[]; intervalDays: number }) {
  const sum = (k: "due" | "overdue" | "safetyFlags") => counts.reduce((n, c) => n + c[k], 0);
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Measures and safety flags by counselor
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Per primary counselor at this site: measures due within the next {DUE_SOON_DAYS} days, overdue ones (more than {MEASURE_GRACE_DAYS} days past the due
        date; repeats every {intervalDays} days), and open PHQ-9 item 9 safety flags.
      </Text>
      {counts.length === 0 ? (
        <Text size="sm">No measure is due or overdue and no safety flag is open at this site.</Text>
      ) : (
        <PlainTable
          label="Measures and safety flags by counselor"
          columns={[{ title: "Counselor" }, { title: "Due", right: true }, { title: "Overdue", right: true }, { title: "Open safety flags", right: true }]}
          rows={[
            ...counts.map((c) => ({ key: c.counselorId ?? "none", cells: [c.counselor, c.due, c.overdue, c.safetyFlags] })),
            { key: "total", cells: [<strong key="t">All counselors</strong>, sum("due"), sum("overdue"), sum("safetyFlags")] },
          ]}
        />
      )}
    </Card>
  );
}
