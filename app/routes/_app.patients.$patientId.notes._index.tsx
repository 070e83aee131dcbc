import { Alert, Anchor, Badge, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FilterSelect } from "~/components/filter-select";
import { placeOf, ServerTable } from "~/components/server-table";
import { can } from "~/features/auth/permissions";
import { chartNoteAuthors, chartNotesPage, type ChartNoteRow, readChartNoteFilters } from "~/features/notes/chart.server";
import { COUNSELING_NOTE_MAX, ownCounselingNotes, writeCounselingNote } from "~/features/notes/counseling.server";
import { KIND_LABELS, STATE_LABELS } from "~/features/notes/components/chart-note";
import { CounselingNotesCard } from "~/features/notes/components/counseling-notes";
import { requirePatient } from "~/features/patients/access.server";
import { redirectWithToast } from "~/kernel/http.server";
import { shortDate } from "~/kernel/time";
import { newId } from "~/utils/ids";

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, patientId, sites, header } = await requirePatient(args, "read:notes", "notes");
  const siteIds = sites.map((s) => s.id);
  const { filters, errors } = readChartNoteFilters(new URL(args.request.url));
  const writes = can(user.role, "write:notes");
  const [list, authors, counseling] = await Promise.all([
    chartNotesPage(db, patientId, siteIds, user.id, filters),
    chartNoteAuthors(db, patientId, siteIds),
    // Only the author reads their counseling notes: the query names the reader, never anyone else.
    writes ? ownCounselingNotes(db, patientId, user.id, siteIds) : Promise.resolve(null),
  ]);
  return {
    ...list,
    ...placeOf({ ...list, sort: "date", direction: "desc" }),
    filters,
    errors,
    authors,
    patientId,
    timeZone: header.timeZone,
    counseling: counseling ? { notes: counseling, requestKey: newId(), max: COUNSELING_NOTE_MAX } : null,
  };
}

const counselingSchema = z.object({
  intent: z.literal("counseling"),
  requestKey: z.string().regex(/^[0-9a-f-]{36}$/),
  text: z.string().max(COUNSELING_NOTE_MAX * 2),
});

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, header, meta } = await requirePatient(args, "write:notes", null);
  const form = await args.request.formData();
  const parsed = counselingSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const text = form.get("text");
    return data(
      {
        formError: "This form is out of date or too long; reload the page. Your text is kept below.",
        typed: typeof text === "string" ? text.slice(0, COUNSELING_NOTE_MAX * 2) : "",
      },
      { status: 400 },
    );
  }
  const result = await writeCounselingNote(db, user, { patientId, siteId: header.siteId, text: parsed.data.text, requestKey: parsed.data.requestKey }, meta);
  if (!result.ok) return data({ formError: result.formError, fieldError: result.fieldErrors?.text?.[0], typed: parsed.data.text }, { status: result.status });
  return redirectWithToast(`/patients/${patientId}/notes`, "Counseling note saved. Only you can read it.");
}

const STATE_COLORS = { draft: "gray", awaiting_cosign: "yellow", signed: "green", late_entry: "orange" } as const;

export default function ChartNotes() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const base = `/patients/${d.patientId}/notes`;
  const filtered = Boolean(d.filters.q || d.filters.kind || d.filters.author || d.filters.from || d.filters.to);
  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          Notes
        </Title>
        <Text size="sm" c="dimmed">
          Progress notes and group notes for this patient, newest first. A group note shows the group&apos;s shared part and this patient&apos;s own part only.
        </Text>
      </div>
      <Form method="get" role="search" aria-label="Filter notes">
        <Group align="flex-start" gap="sm">
          <TextInput label="Search the notes" name="q" defaultValue={d.filters.q} error={d.errors.q} w={220} maxLength={100} />
          <NativeSelect
            label="Kind"
            name="kind"
            defaultValue={d.filters.kind}
            data={[{ value: "", label: "Any kind" }, ...Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))]}
            error={d.errors.kind}
            w={140}
          />
          <FilterSelect
            label="Author"
            name="author"
            value={d.filters.author}
            any="Anyone"
            options={d.authors.map((a) => ({ value: a.id, label: a.name }))}
            error={d.errors.author}
            w={180}
          />
          <TextInput label="From" type="date" name="from" defaultValue={d.filters.from} error={d.errors.from} w={150} />
          <TextInput label="To" type="date" name="to" defaultValue={d.filters.to} error={d.errors.to} w={150} />
          <Group gap="xs" mt={25}>
            <Button type="submit">Filter</Button>
            {filtered ? (
              <Button component={Link} to={base} variant="subtle">
                Clear
              </Button>
            ) : null}
          </Group>
        </Group>
      </Form>
      {d.capped ? <Alert color="yellow">This search matched very many notes and only the first ones were read: add words or dates to narrow it.</Alert> : null}
      <ServerTable<ChartNoteRow>
        ariaLabel="Notes"
        records={d.rows}
        {...placeOf(d)}
        idAccessor="id"
        noRecordsText={filtered ? "No note matches these filters." : "No notes yet for this patient."}
        columns={[
          { accessor: "date", title: "Date", render: (r) => shortDate(r.date), noWrap: true },
          {
            accessor: "title",
            title: "Session",
            render: (r) => (
              <Anchor component={Link} to={`${base}/${r.id}`}>
                {r.title}
              </Anchor>
            ),
          },
          { accessor: "kind", title: "Kind", render: (r) => KIND_LABELS[r.kind] },
          { accessor: "author", title: "Author", noWrap: true },
          {
            accessor: "state",
            title: "State",
            noWrap: true,
            render: (r) => (
              <Badge variant="light" color={STATE_COLORS[r.state]} tt="none" styles={{ label: { whiteSpace: "nowrap", overflow: "visible" } }}>
                {STATE_LABELS[r.state]}
              </Badge>
            ),
          },
          { accessor: "addenda", title: "Addenda", textAlign: "right", render: (r) => (r.addenda ? r.addenda : "—") },
        ]}
      />
      <Form method="get" action={`${base}/print`} aria-label="Print notes">
        <Group align="flex-end" gap="sm">
          <TextInput label="Print signed notes from" type="date" name="from" required w={190} />
          <TextInput label="through" type="date" name="to" required w={150} />
          <Button type="submit" variant="default">
            Print notes
          </Button>
        </Group>
      </Form>
      {d.counseling ? (
        <CounselingNotesCard
          notes={d.counseling.notes}
          requestKey={d.counseling.requestKey}
          max={d.counseling.max}
          timeZone={d.timeZone}
          error={actionData?.formError}
          fieldError={actionData && "fieldError" in actionData ? actionData.fieldError : undefined}
          typed={actionData?.typed}
        />
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
