/**
 * Home's treatment-plan worklists: a counselor's plans due or overdue and signed plans waiting; a
 * clinical supervisor's co-signature queue; an admin's counts per counselor.
 */
import { Card, SimpleGrid, Text, Title } from "@mantine/core";
import { PlainLink, PlainTable, plain } from "~/components/plain-table";
import { shortDate } from "~/kernel/time";
import { REVIEW_REASONS } from "../rules";
import type { HomePlans } from "../worklist.server";

const WHAT: Record<string, string> = { first: "First plan", ...REVIEW_REASONS };

function Patient({ id, name, mrn }: { id: string; name: string; mrn: string }) {
  return (
    <>
      <PlainLink to={`/patients/${id}/plan`}>{name}</PlainLink>
      <p className={`${plain.small} ${plain.dimmed}`}>{mrn}</p>
    </>
  );
}

function PlansDueCard({ worklist }: { worklist: NonNullable<HomePlans["worklist"]> }) {
  const overdue = worklist.due.filter((d) => d.state === "overdue").length;
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Treatment plans due{worklist.due.length ? ` (${worklist.due.length})` : ""}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        First plans (due 7 days after admission) and reviews (every 30 days, or sooner after a level-of-care change or an unexpected drug-test result) due in
        the next 7 days or overdue{overdue ? `: ${overdue} overdue` : ""}.
      </Text>
      {worklist.due.length === 0 ? (
        <Text size="sm">Every plan on your caseload is current.</Text>
      ) : (
        <PlainTable
          label="Treatment plans due"
          columns={[{ title: "Patient" }, { title: "What" }, { title: "Due" }]}
          rows={worklist.due.map((d) => ({
            key: `${d.patientId}-${d.what}`,
            cells: [
              <Patient key="p" id={d.patientId} name={d.name} mrn={d.mrn} />,
              `${WHAT[d.what]}${d.underWay === "draft" ? " (draft started)" : d.underWay === "signed" ? " (signed, waiting)" : ""}`,
              <span key="d" style={d.state === "overdue" ? { color: "var(--mantine-color-red-9)", fontWeight: 600 } : undefined}>
                {d.state === "overdue" ? `Overdue since ${shortDate(d.dueOn)}` : shortDate(d.dueOn)}
              </span>,
            ],
          }))}
        />
      )}
    </Card>
  );
}

function WaitingCard({ worklist }: { worklist: NonNullable<HomePlans["worklist"]> }) {
  const rows = [
    ...worklist.awaitingAcknowledgement.map((w) => ({ ...w, what: "The patient's acknowledgement" })),
    ...worklist.awaitingCosignature.map((w) => ({ ...w, what: "A supervisor's co-signature" })),
  ];
  if (!rows.length) return null;
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Signed plans waiting ({rows.length})
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        A signed plan becomes active once the patient acknowledges it and, where needed, a supervisor co-signs it.
      </Text>
      <PlainTable
        label="Signed plans waiting"
        columns={[{ title: "Patient" }, { title: "Waiting for" }, { title: "Signed" }]}
        rows={rows.map((w) => ({
          key: `${w.patientId}-${w.what}`,
          cells: [<Patient key="p" id={w.patientId} name={w.name} mrn={w.mrn} />, w.what, shortDate(w.signedAt.slice(0, 10))],
        }))}
      />
    </Card>
  );
}

function CoSignCard({ queue }: { queue: NonNullable<HomePlans["coSign"]> }) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Waiting for your co-signature ({queue.length})
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Plans signed by staff you supervise, oldest first.
      </Text>
      <PlainTable
        label="Waiting for your co-signature"
        columns={[{ title: "Patient" }, { title: "Signed by" }, { title: "Signed" }]}
        rows={queue.map((q) => ({
          key: q.patientId,
          cells: [<Patient key="p" id={q.patientId} name={q.name} mrn={q.mrn} />, q.signedBy ?? "—", shortDate(q.signedAt.slice(0, 10))],
        }))}
      />
    </Card>
  );
}

function CountsCard({ counts }: { counts: NonNullable<HomePlans["counts"]> }) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Treatment plans by counselor
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Patients in care, how many have a current plan, and what is overdue, due in 7 days or waiting for a signature.
      </Text>
      <PlainTable
        label="Treatment plans by counselor"
        columns={[
          { title: "Counselor" },
          { title: "Patients", right: true },
          { title: "Current plan", right: true },
          { title: "Overdue", right: true },
          { title: "Due soon", right: true },
          { title: "Waiting: patient", right: true },
          { title: "Waiting: co-sign", right: true },
        ]}
        rows={counts.map((c) => ({
          key: c.counselor,
          cells: [c.counselor, c.patients, c.current, c.overdue, c.dueSoon, c.awaitingAcknowledgement, c.awaitingCosignature],
        }))}
      />
    </Card>
  );
}

export function PlanWorkCards({ plans }: { plans: HomePlans }) {
  return (
    <SimpleGrid cols={{ base: 1, lg: plans.worklist ? 2 : 1 }} spacing="md">
      {plans.coSign ? <CoSignCard queue={plans.coSign} /> : null}
      {plans.worklist ? <PlansDueCard worklist={plans.worklist} /> : null}
      {plans.worklist ? <WaitingCard worklist={plans.worklist} /> : null}
      {plans.counts ? <CountsCard counts={plans.counts} /> : null}
    </SimpleGrid>
  );
}
