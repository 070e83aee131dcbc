import { BarChart, LineChart } from "@mantine/charts";
import { Alert, Button, Card, Group, List, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useLocation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FilterSelect } from "~/components/filter-select";
import { PageHeading } from "~/components/page-heading";
import { counselorsAt } from "~/features/patients/patients.server";
import { requireReport } from "~/features/reports/access.server";
import { reportById, reportPermission } from "~/features/reports/registry.server";
import type { ReportColumn } from "~/features/reports/report";
import { listTracks } from "~/features/scheduling/program.server";
import { shortDate, monthYear } from "~/kernel/time";
import { money } from "~/features/billing/rules";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.title ?? "Report"} · Reports · IOP Dashboard` }];

export async function loader(args: LoaderFunctionArgs) {
  const report = reportById(args.params.reportId ?? "");
  if (!report) throw data({ message: "There is no such report." }, { status: 404 });
  const { db, site, params, errors, ownCaseload } = await requireReport(args, report.defaultDays, reportPermission(report));
  const [table, tracks, counselors] = await Promise.all([report.compute(db, params), listTracks(db, site.id), ownCaseload ? [] : counselorsAt(db, [site.id])]);
  return {
    id: report.id,
    title: report.title,
    definition: report.definition,
    table,
    params: { from: params.from, to: params.to, track: params.trackId ?? "", counselor: ownCaseload ? "" : (params.counselorId ?? "") },
    errors,
    ownCaseload,
    site: { name: site.name, timeZone: site.time_zone },
    options: {
      tracks: tracks.map((t) => ({ value: t.id, label: t.name })),
      counselors: counselors.map((c) => ({ value: c.id, label: c.name })),
    },
  };
}

function cell(value: string | number | null, column: ReportColumn) {
  if (value === null || value === undefined) return "—";
  if (column.kind === "percent") return `${value}%`;
  if (column.kind === "date") return shortDate(String(value));
  if (column.kind === "month") return monthYear(String(value));
  if (column.kind === "money") return money(Number(value) * 100);
  return String(value);
}

/** Date and month cells as the screen shows them, for the chart's axis. */
const shownDates = (r: Record<string, string | number | null>, columns: ReportColumn[]) =>
  Object.fromEntries(columns.filter((c) => (c.kind === "date" || c.kind === "month") && r[c.key] != null).map((c) => [c.key, cell(r[c.key], c)]));
const alignOf = (c: ReportColumn) => (c.kind === "number" || c.kind === "percent" || c.kind === "money" ? ("right" as const) : undefined);
/** Figures and dates never break across lines; a table wider than the page scrolls sideways in its own box. */
const cellStyle = (c: ReportColumn) => ({ textAlign: alignOf(c), whiteSpace: c.nowrap || (c.kind && c.kind !== "text") ? ("nowrap" as const) : undefined });

export default function ReportPage() {
  const d = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const chart = d.table.chart;
  // Nothing to divide by stays a gap in the chart, never a zero.
  const chartData = chart ? d.table.rows.map((r) => ({ ...r, ...shownDates(r, d.table.columns) })) : [];
  // Many categories read better as horizontal bars, one label per bar.
  const horizontal = chart?.type === "bar" && (chart.horizontal || chartData.length > 6);
  const wide = d.table.columns.length > 10;
  return (
    <Stack gap="md">
      <PageHeading back={{ to: "/reports", label: "Reports" }} title={d.title}>
        {d.site.name} · {shortDate(d.params.from)} to {shortDate(d.params.to)} · {d.ownCaseload ? "your caseload" : "whole site"} · live
      </PageHeading>
      <Form method="get">
        {/* Aligned at the top, so a message under one box does not move the others. */}
        <Group align="flex-start" gap="sm">
          <TextInput type="date" label="From" name="from" defaultValue={d.params.from} error={d.errors.from} w={170} />
          <TextInput type="date" label="To" name="to" defaultValue={d.params.to} error={d.errors.to} w={170} />
          <FilterSelect label="Track" name="track" value={d.params.track} any="All tracks" options={d.options.tracks} error={d.errors.track} w={180} />
          {d.ownCaseload ? null : (
            <FilterSelect
              label="Counselor"
              name="counselor"
              value={d.params.counselor}
              any="Everyone"
              options={d.options.counselors}
              error={d.errors.counselor}
              w={180}
            />
          )}
          <Stack gap={0}>
            {/* An empty line as tall as the boxes' labels puts the buttons level with the boxes. */}
            <div aria-hidden style={{ lineHeight: "var(--mantine-line-height)" }}>
              &nbsp;
            </div>
            <Group gap="sm">
              <Button type="submit" variant="default">
                Show
              </Button>
              <Button component="a" href={`/reports/${d.id}.csv${search}`} variant="light">
                Download CSV
              </Button>
            </Group>
          </Stack>
        </Group>
      </Form>
      {Object.keys(d.errors).length ? <Alert color="orange">Some filters were not used: {Object.values(d.errors).join(" ")}</Alert> : null}
      {chart && chartData.length ? (
        <Card withBorder>
          {chart.type === "line" ? (
            <LineChart h={280} data={chartData} dataKey={chart.dataKey} series={chart.series} unit={chart.unit} curveType="linear" withLegend />
          ) : (
            <BarChart
              h={horizontal ? Math.max(280, chartData.length * 34 + 60) : 280}
              data={chartData}
              dataKey={chart.dataKey}
              series={chart.series}
              valueFormatter={(v) => `${v}${chart.unit ?? ""}`}
              type={chart.stacked ? "stacked" : "default"}
              orientation={horizontal ? "vertical" : "horizontal"}
              // Counts have whole-number ticks; the category axis shows every label.
              yAxisProps={horizontal ? { width: 180, interval: 0 } : { allowDecimals: Boolean(chart.unit) }}
              xAxisProps={horizontal ? { allowDecimals: Boolean(chart.unit) } : { interval: 0 }}
              withLegend
            />
          )}
        </Card>
      ) : null}
      <Card withBorder p={0}>
        {d.table.rows.length === 0 ? (
          <Text p="md" c="dimmed">
            Nothing to count in this range.
          </Text>
        ) : (
          // A wide table scrolls in a box no taller than the window, its header kept in view, so its sideways scroll bar is always on screen.
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must take focus (WCAG 2.1.1; axe scrollable-region-focusable)
          <div role="region" aria-label={`${d.title}, table`} tabIndex={0} style={{ overflow: "auto", maxHeight: wide ? "75vh" : undefined }}>
            <Table fz="sm" striped aria-label={d.title} stickyHeader={wide}>
              <Table.Thead>
                <Table.Tr>
                  {d.table.columns.map((c) => (
                    <Table.Th key={c.key} style={{ textAlign: alignOf(c) }}>
                      {c.label}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.table.rows.map((r, i) => (
                  <Table.Tr key={i}>
                    {d.table.columns.map((c) => (
                      <Table.Td key={c.key} style={cellStyle(c)}>
                        {cell(r[c.key] ?? null, c)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
        {d.table.summary ? (
          <Text size="sm" p="sm" fw={600}>
            {d.table.summary}
          </Text>
        ) : null}
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb={4}>
          How this is counted
        </Title>
        <List size="sm" spacing={4}>
          {d.definition.map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
        <Text size="xs" c="dimmed" mt="xs">
          Dates are the site's ({d.site.timeZone}); the range includes both ends. The CSV writes dates as YYYY-MM-DD and months as YYYY-MM, so a spreadsheet
          sorts them.
        </Text>
      </Card>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
