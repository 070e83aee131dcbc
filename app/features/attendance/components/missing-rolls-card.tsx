/**
 * Home's list of past sessions whose roll was never taken for someone on the roster: until it is,
 * those hours count nowhere (not attended, not possible), so a shortfall shows instead of hiding.
 */
import { Anchor, List, Text } from "@mantine/core";
import { Link } from "@remix-run/react";
import { SectionCard } from "~/components/section-card";
import { clockAt, longDate } from "~/kernel/time";
import type { MissingRoll } from "../attendance.server";

export interface MissingRolls {
  total: number;
  sessions: MissingRoll[];
  days: number;
}

export function MissingRollsCard({ rolls, timeZone }: { rolls: MissingRolls; timeZone: string }) {
  if (!rolls.total) return null;
  return (
    <SectionCard title={`Roll missing (${rolls.total})`}>
      <Text size="sm" mb="xs">
        Sessions of the last {rolls.days} days with patients on the roster and no mark for them. Their hours count as neither attended nor possible until the
        roll is taken.
      </Text>
      <List size="sm" spacing={4}>
        {rolls.sessions.map((s) => (
          <List.Item key={s.sessionId}>
            <Anchor component={Link} to={`/schedule/sessions/${s.sessionId}/roll`}>
              Take roll: {s.title}, {longDate(s.date)} {clockAt(s.startsAt, timeZone)}
            </Anchor>{" "}
            · {s.unmarked} not marked
          </List.Item>
        ))}
      </List>
      {rolls.total > rolls.sessions.length ? (
        <Text size="sm" mt="xs" c="dimmed">
          And {rolls.total - rolls.sessions.length} more, oldest shown first.
        </Text>
      ) : null}
    </SectionCard>
  );
}
