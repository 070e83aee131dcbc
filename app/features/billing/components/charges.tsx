import { Badge, Button, Card, Group, List, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import type { DataTableColumn } from "mantine-datatable";
import { FilterSelect } from "~/components/filter-select";
import { type ListPlace, ServerTable } from "~/components/server-table";
import { formatDuration, shortDate } from "~/kernel/time";
import { CHARGE_STATUSES, codeWithModifiers, HOLD_REASONS, money } from "../rules";
import type { ChargeRow } from "../charges.server";

export interface ChargeFilterValues {
  payer: string;
  reason: string;
  status: string;
  week: string;
  patient: string;
}

/** The review screen's filters, kept in the URL: payer, hold reason, status, week and patient. */
export function ChargeFilters({ values, payers }: { values: ChargeFilterValues; payers: { id: string; name: string }[] }) {
  return (
    <Form method="get">
      <Group align="flex-end" gap="sm">
        <FilterSelect
          label="Payer"
          name="payer"
          value={values.payer}
          any="All payers"
          options={[...payers.map((p) => ({ value: p.id, label: p.name })), { value: "none", label: "No coverage" }]}
          w={200}
        />
        <FilterSelect
          label="Hold reason"
          name="reason"
          value={values.reason}
          any="Any reason"
          options={Object.entries(HOLD_REASONS).map(([value, label]) => ({ value, label }))}
          w={230}
        />
        <FilterSelect
          label="Status"
          name="status"
          value={values.status}
          any="Ready and held"
          options={[
            { value: "ready", label: "Ready" },
            { value: "held", label: "Held" },
          ]}
          w={170}
        />
        <TextInput label="Week of" type="date" name="week" defaultValue={values.week} w={160} />
        <TextInput label="Patient (MRN or name)" name="patient" defaultValue={values.patient} maxLength={80} w={190} />
        <Button type="submit">Filter</Button>
      </Group>
    </Form>
  );
}

/** What is ready to bill and what is held under the filters, in days and dollars. */
export function ChargeTotals({ totals }: { totals: { ready: { count: number; cents: number }; held: { count: number; cents: number } } }) {
  const card = (label: string, t: { count: number; cents: number }, color: string) => (
    <Card withBorder padding="sm" aria-label={`${label} total`}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" c={color}>
        {money(t.cents)}
      </Text>
      <Text size="sm">
        {t.count} {t.count === 1 ? "day" : "days"}
      </Text>
    </Card>
  );
  return (
    <SimpleGrid cols={{ base: 2, sm: 2 }} maw={520}>
      {card("Ready", totals.ready, "teal.8")}
      {card("Held", totals.held, "red.8")}
    </SimpleGrid>
  );
}

const STATUS_COLOR: Record<string, string> = { ready: "teal", held: "red", exported: "blue", paid: "green", denied: "orange" };

const columns: DataTableColumn<ChargeRow>[] = [
  { accessor: "date", title: "Date", sortable: true, render: (r) => shortDate(r.date), noWrap: true },
  {
    accessor: "patient",
    title: "Patient",
    sortable: true,
    render: (r) => (
      <div>
        <Text size="sm" fw={600}>
          {r.patientName}
        </Text>
        <Text size="xs" c="dimmed">
          {r.mrn}
        </Text>
      </div>
    ),
  },
  {
    accessor: "status",
    title: "Status",
    render: (r) => (
      <Badge color={STATUS_COLOR[r.status] ?? "gray"} variant="light">
        {CHARGE_STATUSES[r.status]}
      </Badge>
    ),
  },
  {
    accessor: "reasons",
    title: "Why it is held",
    width: 340,
    render: (r) =>
      r.reasons.length ? (
        <List size="sm" spacing={2}>
          {r.reasons.map((h) => (
            <List.Item key={h.code}>
              <Text span fw={600} size="sm">
                {h.label}:
              </Text>{" "}
              <Text span size="sm">
                {h.detail}
              </Text>
            </List.Item>
          ))}
        </List>
      ) : (
        <Text size="sm" c="dimmed">
          {r.status === "ready" ? "Nothing: ready to bill" : "—"}
        </Text>
      ),
  },
  { accessor: "level", title: "Level", width: 60 },
  {
    accessor: "minutes",
    title: "Documented / attended",
    width: 130,
    render: (r) => `${formatDuration(r.documentedMinutes)} / ${formatDuration(r.minutes)}`,
  },
  {
    accessor: "code",
    title: "Billed as",
    render: (r) => (
      <div>
        <Text size="sm">{r.payer ?? "No payer"}</Text>
        <Text size="xs" c="dimmed">
          {r.code ? `${codeWithModifiers(r.code, r.modifiers)} × ${r.units}${r.revenueCode ? ` · rev. ${r.revenueCode}` : ""}` : "No fee schedule row"}
        </Text>
      </div>
    ),
  },
  { accessor: "amount", title: "Amount", sortable: true, textAlign: "right", render: (r) => money(r.amountCents) },
];

/** One page of charges, a day per row, each held one saying every reason in words. */
export function ChargeTable({ rows, place }: { rows: ChargeRow[]; place: ListPlace }) {
  return (
    <ServerTable<ChargeRow> records={rows} columns={columns} idAccessor="id" noRecordsText="No charges match these filters." ariaLabel="Charges" {...place} />
  );
}

/** Recomputes one week's ready and held charges (after a fee schedule, coverage or consent change). */
export function RefreshWeek({ week, label }: { week: string; label: string }) {
  const navigation = useNavigation();
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="refresh" />
      <input type="hidden" name="week" value={week} />
      <Stack gap={2}>
        <Button type="submit" variant="default" loading={navigation.state === "submitting"}>
          Recompute charges for {label}
        </Button>
      </Stack>
    </Form>
  );
}
