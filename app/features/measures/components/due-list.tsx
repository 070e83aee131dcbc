/**
 * What anyone who enters answers may see: which measures are due, with a way into each form.
 * No score, band or earlier answer appears here.
 */
import { Badge, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { shortDate } from "~/kernel/time";
import { type Due, DUE_LABELS, MEASURES, type MeasureCode } from "../rules";

const DUE_COLORS = { upcoming: "gray", due: "yellow", overdue: "red", done: "green", missed: "gray" } as const;

export function DueBadge({ due }: { due: Due | null }) {
  if (!due) return null;
  const when = due.state === "upcoming" ? ` ${shortDate(due.dueOn)}` : due.state !== "done" && due.reason === "intake" ? " at intake" : "";
  return (
    <Badge color={DUE_COLORS[due.state]} variant={due.state === "overdue" ? "filled" : "light"} style={{ flexShrink: 0 }}>
      {DUE_LABELS[due.state]}
      {when}
    </Badge>
  );
}

export function DueList({ due, patientId }: { due: { code: MeasureCode; due: Due | null }[]; patientId: string }) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Standardized measures
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Give a measure with the patient: read each question and choose the answer they give. After saving you will see “Saved”; scores go to the patient's
        counselor.
      </Text>
      <Stack gap="xs">
        {due.map((d) => (
          <Group key={d.code} justify="space-between" wrap="nowrap">
            <Group gap="sm">
              <Text fw={600}>{MEASURES[d.code].name}</Text>
              <DueBadge due={d.due} />
            </Group>
            <Button component={Link} to={`/patients/${patientId}/measures/${d.code}`} variant="light" size="sm">
              Enter {MEASURES[d.code].name} answers
            </Button>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
