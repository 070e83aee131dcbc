import { Anchor, Card, Stack, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { DrawBoard } from "./draw-board";
import type { BoardRow } from "../views";
import { longDate } from "~/kernel/time";

export interface DrawSummary {
  id: string;
  sequence: number;
  /** How many draws the day has. */
  count: number;
  by: string;
  at: string;
  pool: string;
  rule: string;
  selected: number;
  eligible: number;
  reason: string | null;
}

/**
 * A day's random draw: who drew how many by which rule, then the board of selected patients with
 * what is collected and what is still missing. `children` is the form to draw (again), when allowed.
 */
export function RandomDraw({
  date,
  draw,
  board,
  clinical,
  recordOpen,
  children,
}: {
  date: string;
  draw: DrawSummary | null;
  board: BoardRow[];
  clinical: boolean;
  /** Collections can still be recorded for this day. */
  recordOpen: boolean;
  children?: ReactNode;
}) {
  const collected = board.filter((b) => b.test).length;
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        Random draw
      </Title>
      {draw ? (
        <Stack gap="sm">
          <Text size="sm">
            {draw.count > 1 ? `Draw ${draw.sequence} of the day` : "Drawn"} by {draw.by} at {draw.at}: <b>{draw.selected}</b> of {draw.eligible} (
            {draw.pool.toLowerCase()}, {draw.rule}).{" "}
            <Anchor component={Link} to={`/drug-tests/draws/${draw.id}`}>
              Check this draw
            </Anchor>
          </Text>
          {draw.reason ? (
            <Text size="sm">
              <b>Why it was drawn again:</b> {draw.reason}
            </Text>
          ) : null}
          <Text size="sm" fw={600} role="status">
            {collected} of {board.length} collected · {board.length - collected} still missing
          </Text>
          <DrawBoard rows={board} label={`Selected for testing on ${longDate(date)}`} clinical={clinical} record={{ date, open: recordOpen }} />
        </Stack>
      ) : (
        <Text c="dimmed" mb="sm">
          No random draw for this day yet.
        </Text>
      )}
      {children ? (
        <Card withBorder mt="md" bg="var(--mantine-color-body)">
          {children}
        </Card>
      ) : null}
    </Card>
  );
}
