import { Button, Card, Group, NativeSelect, SimpleGrid, Text } from "@mantine/core";
import { Form, Link } from "@remix-run/react";
import { APPOINTMENT_KINDS, GROUP_KINDS } from "../vocabulary";
import week from "./week.module.css";

type Option = { value: string; label: string };

/** The week's filters: track, facilitator, room and kind, kept in the address with the week. */
export function WeekFilters({
  monday,
  filters,
  options,
}: {
  monday: string;
  filters: { track: string; facilitator: string; room: string; kind: string };
  options: { tracks: Option[]; people: Option[]; rooms: Option[] };
}) {
  return (
    <Form method="get">
      <input type="hidden" name="week" value={monday} />
      <Group align="flex-end" gap="sm">
        <NativeSelect label="Track" name="track" defaultValue={filters.track} data={[{ value: "", label: "All tracks" }, ...options.tracks]} w={180} />
        <NativeSelect
          label="Facilitator"
          name="facilitator"
          defaultValue={filters.facilitator}
          data={[{ value: "", label: "Anyone" }, ...options.people]}
          w={180}
        />
        <NativeSelect label="Room" name="room" defaultValue={filters.room} data={[{ value: "", label: "Any room" }, ...options.rooms]} w={180} />
        <NativeSelect
          label="Kind"
          name="kind"
          defaultValue={filters.kind}
          data={[{ value: "", label: "Any kind" }, ...Object.entries({ ...GROUP_KINDS, ...APPOINTMENT_KINDS }).map(([value, label]) => ({ value, label }))]}
          w={200}
        />
        <Button type="submit" variant="default">
          Show
        </Button>
      </Group>
    </Form>
  );
}

export interface WeekDay {
  date: string;
  label: string;
  sessions: { id: string; title: string; time: string; where: string; who: string; track: string | null; roster: string | null; cancelled: boolean }[];
}

/** Seven day cards side by side (stacked on a phone), today outlined. */
export function WeekGrid({ days, today }: { days: WeekDay[]; today: string }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4, xl: 7 }} spacing="sm">
      {days.map((day) => (
        <Card
          key={day.date}
          withBorder
          padding="sm"
          component="section"
          aria-label={day.label}
          style={day.date === today ? { borderColor: "var(--mantine-color-indigo-6)", borderWidth: 2 } : undefined}
        >
          <Text fw={700} size="sm" mb={6}>
            {day.label}
            {day.date === today ? " · today" : ""}
          </Text>
          {day.sessions.length === 0 ? (
            <Text size="xs" c="dimmed">
              Nothing scheduled
            </Text>
          ) : (
            <ul className={week.list}>
              {day.sessions.map((s) => (
                <li key={s.id} className={s.cancelled ? `${week.session} ${week.cancelled}` : week.session}>
                  <div className={week.time}>{s.time}</div>
                  <Link to={`/schedule/sessions/${s.id}`} className={week.title}>
                    {s.title}
                  </Link>
                  <div>{s.where}</div>
                  <div className={week.dimmed}>
                    {s.who}
                    {s.track ? ` · ${s.track}` : ""}
                    {s.roster ? ` · ${s.roster} patients` : ""}
                  </div>
                  {s.cancelled ? <span className={week.tag}>Cancelled</span> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      ))}
    </SimpleGrid>
  );
}
