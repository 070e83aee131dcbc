import { Anchor, Badge, Table, Text } from "@mantine/core";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { dayList, hourRequirement } from "../rules";
import { minutesBetween, type Weekday, timeRange } from "~/kernel/time";

/** A striped table of `rows` under `headers`, or `empty` when there are none. */
function ListTable<T>({ label, headers, rows, empty, row }: { label: string; headers: string[]; rows: T[]; empty: string; row: (r: T) => ReactNode }) {
  if (rows.length === 0) return <Text c="dimmed">{empty}</Text>;
  return (
    <Table fz="sm" striped aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {headers.map((h) => (
            <Table.Th key={h}>{h}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{rows.map(row)}</Table.Tbody>
    </Table>
  );
}

function ActiveStatus({ active }: { active: boolean }) {
  return active ? (
    "Active"
  ) : (
    <Badge color="gray" variant="light" size="sm">
      Retired
    </Badge>
  );
}

const weeklyHours = (days: Weekday[], start: string, end: string) => (days.length * minutesBetween(start, end)) / 60;

export interface TrackRow {
  id: string;
  name: string;
  level_of_care: string;
  days: Weekday[];
  start_time: string;
  end_time: string;
  active: boolean;
}

/** The site's tracks, each with its weekly hours and a warning when they fall below the adult minimum. */
export function TracksTable({ tracks }: { tracks: TrackRow[] }) {
  return (
    <ListTable
      label="Tracks"
      headers={["Track", "Level", "Meets", "Hours a week", "Status"]}
      rows={tracks}
      empty="No tracks yet. Add the program's first below."
      row={(t) => {
        const hours = weeklyHours(t.days, t.start_time, t.end_time);
        const need = hourRequirement(t.level_of_care as "IOP" | "PHP" | "OP", false);
        const short = need.min !== null && hours < need.min;
        return (
          <Table.Tr key={t.id}>
            <Table.Td>
              <Anchor component={Link} to={`/admin/program/tracks/${t.id}`}>
                {t.name}
              </Anchor>
            </Table.Td>
            <Table.Td>{t.level_of_care}</Table.Td>
            <Table.Td>
              {dayList(t.days)} · {timeRange(t.start_time, t.end_time)}
            </Table.Td>
            <Table.Td>
              {hours}{" "}
              {short ? (
                <Badge color="orange" variant="light" size="sm" tt="none">
                  below the adult {t.level_of_care} minimum of {need.min}
                </Badge>
              ) : null}
            </Table.Td>
            <Table.Td>
              <ActiveStatus active={t.active} />
            </Table.Td>
          </Table.Tr>
        );
      }}
    />
  );
}

export interface SeriesRow {
  id: string;
  title: string;
  kindLabel: string;
  track_name: string | null;
  days: Weekday[];
  start_time: string;
  end_time: string;
  facilitator_name: string;
  room_name: string | null;
  capacity: number;
}

/** The site's recurring groups. */
export function SeriesTable({ series }: { series: SeriesRow[] }) {
  return (
    <ListTable
      label="Group series"
      headers={["Group", "Track", "Meets", "Facilitator", "Room", "Capacity"]}
      rows={series}
      empty="No recurring groups yet."
      row={(g) => (
        <Table.Tr key={g.id}>
          <Table.Td>
            <Anchor component={Link} to={`/admin/program/groups/${g.id}`} fw={700}>
              {g.title}
            </Anchor>
            <Text size="xs" c="dimmed">
              {g.kindLabel}
            </Text>
          </Table.Td>
          <Table.Td>{g.track_name ?? "Open"}</Table.Td>
          <Table.Td>
            {dayList(g.days)} · {timeRange(g.start_time, g.end_time)}
          </Table.Td>
          <Table.Td>{g.facilitator_name}</Table.Td>
          <Table.Td>{g.room_name ?? "Telehealth"}</Table.Td>
          <Table.Td>{g.capacity}</Table.Td>
        </Table.Tr>
      )}
    />
  );
}

/** The site's rooms. */
export function RoomsTable({ rooms }: { rooms: { id: string; name: string; capacity: number; active: boolean }[] }) {
  return (
    <ListTable
      label="Rooms"
      headers={["Room", "Capacity", "Status"]}
      rows={rooms}
      empty="No rooms yet. Telehealth sessions need none."
      row={(r) => (
        <Table.Tr key={r.id}>
          <Table.Td>
            <Anchor component={Link} to={`/admin/program/rooms/${r.id}`}>
              {r.name}
            </Anchor>
          </Table.Td>
          <Table.Td>{r.capacity}</Table.Td>
          <Table.Td>
            <ActiveStatus active={r.active} />
          </Table.Td>
        </Table.Tr>
      )}
    />
  );
}
