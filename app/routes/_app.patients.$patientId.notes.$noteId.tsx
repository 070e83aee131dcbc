import { Anchor, Button, Group, Paper, Stack } from "@mantine/core";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { chartNote } from "~/features/notes/chart.server";
import { CHART_NOTE_CSS, ChartNoteDocument } from "~/features/notes/components/chart-note";
import { requirePatient } from "~/features/patients/access.server";
import { foundOr404 } from "~/kernel/http.server";

export async function loader(args: LoaderFunctionArgs) {
  // The view of a note is a chart view, audited like every chart section.
  const { db, user, patientId, sites, header } = await requirePatient(args, "read:notes", "notes");
  const found = foundOr404(
    await chartNote(
      db,
      args.params.noteId ?? "",
      patientId,
      sites.map((s) => s.id),
      user.id,
    ),
    "There is no such note in this patient's chart.",
  );
  return { ...found, patientId, timeZone: header.timeZone };
}

export default function ChartNotePage() {
  const d = useLoaderData<typeof loader>();
  const base = `/patients/${d.patientId}/notes`;
  return (
    <Stack gap="sm">
      <style>{CHART_NOTE_CSS}</style>
      <Group justify="space-between">
        <Anchor component={Link} to={base} size="sm">
          ← All notes
        </Anchor>
        {d.note.signedAt ? (
          <Button component={Link} to={`${base}/print?note=${d.note.id}`} variant="default" size="sm">
            Print this note
          </Button>
        ) : null}
      </Group>
      <Paper withBorder p="md">
        <ChartNoteDocument note={d.note} state={d.state} textShown={d.textShown} timeZone={d.timeZone} />
      </Paper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
