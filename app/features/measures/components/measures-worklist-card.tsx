/**
 * Home's measures card: a counselor's caseload's measures that are due or overdue, each with a
 * way into its form; an admin's counts per counselor at the site (no patient is named there).
 */
import { Badge, Card, Text, Title } from "@mantine/core";
import { PlainLink, PlainTable, plain } from "~/components/plain-table";
import { shortDate } from "~/kernel/time";
import { DUE_SOON_DAYS, lateness, MEASURE_GRACE_DAYS, MEASURES } from "../rules";
import type { CounselorCounts, MeasuresHome, WorklistItem } from "../worklist";

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
        Standardized measures on your caseload due within the next {DUE_SOON_DAYS} days or overdue (more than {MEASURE_GRACE_DAYS} days past the due date).
        Each is due at intake, every {intervalDays} days and at discharge.
      </Text>
      {items.length === 0 ? (
        <Text size="sm">Nothing due on your caseload.</Text>
      ) : (
        <PlainTable
          label="Measures due"
          columns={[{ title: "Patient" }, { title: "Measure" }, { title: "Due" }, { title: "Status" }]}
          rows={items.map((i) => ({
            key: `${i.patientId}-${i.code}`,
            cells: [
              <>
                <PlainLink to={`/patients/${i.patientId}/measures`}>{i.name}</PlainLink>
                <p className={`${plain.small} ${plain.dimmed}`}>{i.mrn}</p>
              </>,
              <PlainLink key="give" to={`/patients/${i.patientId}/measures/${i.code}`}>
                Give {MEASURES[i.code].name}
              </PlainLink>,
              <>
                {shortDate(i.dueOn)}
                <p className={`${plain.small} ${plain.dimmed}`}>{REASONS[i.reason]}</p>
              </>,
              <When key="when" item={i} />,
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
