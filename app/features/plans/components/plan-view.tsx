/** A treatment plan as the chart shows it: its content, its signatures, and what changed from the version before. */
import { Badge, Card, Group, List, Stack, Table, Text, Title } from "@mantine/core";
import { formatInstant, shortDate } from "~/kernel/time";
import {
  MODALITIES,
  type PlanChange,
  type PlanContent,
  type PlanStatus,
  type PlanWait,
  REVIEW_REASONS,
  type ReviewReason,
  STATUS_LABELS,
  WAIT_LABELS,
} from "../rules";

const STATUS_COLORS: Record<PlanStatus, string> = { draft: "blue.9", awaiting: "yellow.4", active: "teal.9", superseded: "gray.7" };
const STATUS_TEXT: Record<PlanStatus, string> = { draft: "white", awaiting: "black", active: "white", superseded: "white" };

export function PlanStatusBadge({ status }: { status: PlanStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} c={STATUS_TEXT[status]} variant="filled" style={{ textTransform: "none" }}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}

const REASON_LABELS: Record<string, string> = { initial: "First plan", update: "Update", ...REVIEW_REASONS };
export const reasonLabel = (reason: string) => REASON_LABELS[reason] ?? reason;

/** The plan's content, read top to bottom as the patient and an auditor read it. */
export function PlanDocument({ content, diagnoses }: { content: PlanContent; diagnoses: Record<string, string> }) {
  return (
    <Stack gap="md">
      {content.problems.length === 0 ? <Text c="dimmed">No problems written yet.</Text> : null}
      {content.problems.map((p, i) => (
        <Card key={i} withBorder padding="sm">
          <Title order={3} size="h4">
            Problem {i + 1}
            {p.diagnosisCode ? ` · ${p.diagnosisCode}${diagnoses[p.diagnosisCode] ? ` ${diagnoses[p.diagnosisCode]}` : ""}` : ""}
          </Title>
          <Text mt={4}>{p.statement || "—"}</Text>
          <Text fw={600} mt="sm" size="sm">
            Goal, in the patient&rsquo;s words
          </Text>
          <Text fs="italic">{p.goal ? `“${p.goal}”` : "—"}</Text>
          <Text fw={600} mt="sm" size="sm">
            Objectives
          </Text>
          {p.objectives.length ? (
            <List size="sm" type="ordered">
              {p.objectives.map((o, j) => (
                <List.Item key={j}>
                  {o.text || "—"}{" "}
                  <Text span c="dimmed" size="sm">
                    {o.targetDate ? `by ${shortDate(o.targetDate)}` : "no target date"}
                  </Text>
                </List.Item>
              ))}
            </List>
          ) : (
            <Text size="sm" c="dimmed">
              None yet.
            </Text>
          )}
          <Text fw={600} mt="sm" size="sm">
            Interventions
          </Text>
          {p.interventions.length ? (
            <List size="sm">
              {p.interventions.map((v, j) => (
                <List.Item key={j}>{[v.modality ? MODALITIES[v.modality] : "—", v.frequency, v.responsible].filter(Boolean).join(" · ")}</List.Item>
              ))}
            </List>
          ) : (
            <Text size="sm" c="dimmed">
              None yet.
            </Text>
          )}
        </Card>
      ))}
      <div>
        <Text fw={600} size="sm">
          Strengths
        </Text>
        <Text style={{ whiteSpace: "pre-wrap" }}>{content.strengths || "—"}</Text>
      </div>
      <div>
        <Text fw={600} size="sm">
          Barriers
        </Text>
        <Text style={{ whiteSpace: "pre-wrap" }}>{content.barriers || "—"}</Text>
      </div>
    </Stack>
  );
}

export interface ShownSignatures {
  status: PlanStatus;
  waits: PlanWait[];
  createdBy: string;
  createdAt: string;
  signedBy: string | null;
  signedAt: string | null;
  cosignRequired: boolean;
  cosignedBy: string | null;
  cosignedAt: string | null;
  acknowledgedName: string | null;
  acknowledgedAt: string | null;
  acknowledgedWith: string | null;
  effectiveOn: string | null;
}

/** Who signed and when, one line each, and what the plan still waits for. */
export function PlanSignatureList({ plan, timeZone }: { plan: ShownSignatures; timeZone: string }) {
  const at = (iso: string) => formatInstant(iso, timeZone);
  const lines: string[] = [`Written by ${plan.createdBy}, started ${at(plan.createdAt)}`];
  if (plan.signedBy && plan.signedAt) lines.push(`Signed by ${plan.signedBy}, ${at(plan.signedAt)}`);
  if (plan.acknowledgedName && plan.acknowledgedAt)
    lines.push(
      `Acknowledged by the patient as “${plan.acknowledgedName}”, ${at(plan.acknowledgedAt)}${plan.acknowledgedWith ? ` (with ${plan.acknowledgedWith})` : ""}`,
    );
  if (plan.cosignedBy && plan.cosignedAt) lines.push(`Co-signed by ${plan.cosignedBy}, ${at(plan.cosignedAt)}`);
  else if (plan.signedAt && !plan.cosignRequired) lines.push("No co-signature needed: the author signs independently");
  if (plan.effectiveOn) lines.push(`Active from ${shortDate(plan.effectiveOn)}`);
  return (
    <Stack gap={4}>
      <List size="sm" aria-label="Signatures">
        {lines.map((l) => (
          <List.Item key={l}>{l}</List.Item>
        ))}
      </List>
      {plan.waits.map((w) => (
        <Text key={w} size="sm" fw={600}>
          {WAIT_LABELS[w]}
        </Text>
      ))}
    </Stack>
  );
}

export function ReviewLine({ review, today }: { review: { dueOn: string; reason: ReviewReason }; today: string }) {
  const overdue = review.dueOn < today;
  return (
    <Group gap="xs">
      <Badge color={overdue ? "red.9" : review.dueOn === today ? "yellow.4" : "gray.2"} c={overdue ? "white" : "black"} style={{ textTransform: "none" }}>
        {overdue ? "Review overdue" : review.dueOn === today ? "Review due today" : "Next review"}
      </Badge>
      <Text size="sm">
        {shortDate(review.dueOn)} · {REVIEW_REASONS[review.reason]}
      </Text>
    </Group>
  );
}

const CHANGE_LABELS = { added: "Added", removed: "Removed", changed: "Changed" } as const;

/** What changed from the version before, one row per change. */
export function PlanDiffTable({ changes, from, to }: { changes: PlanChange[]; from: number; to: number }) {
  if (!changes.length)
    return (
      <Text size="sm" c="dimmed">
        Version {to} holds the same plan as version {from}.
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped fz="sm" aria-label={`Changes from version ${from} to version ${to}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Where</Table.Th>
            <Table.Th>Change</Table.Th>
            <Table.Th>Before</Table.Th>
            <Table.Th>After</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {changes.map((c, i) => (
            <Table.Tr key={i}>
              <Table.Td>{c.field && c.field !== c.where ? `${c.where}: ${c.field}` : c.where}</Table.Td>
              <Table.Td>{CHANGE_LABELS[c.change]}</Table.Td>
              <Table.Td style={{ whiteSpace: "pre-wrap" }}>{c.before ?? ""}</Table.Td>
              <Table.Td style={{ whiteSpace: "pre-wrap" }}>{c.after ?? ""}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
