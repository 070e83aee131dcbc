import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Paper, Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { recordPatientListView } from "~/features/audit/list-views.server";
import { requireSiteUser } from "~/features/auth/guard.server";
import { collectorsAt, recordCollection, recollectionTarget } from "~/features/drug-testing/collections.server";
import { CollectionForm } from "~/features/drug-testing/components/collection-form";
import { listPanels } from "~/features/drug-testing/panels.server";
import { TEST_REASONS } from "~/features/drug-testing/rules";
import { collectionSchema } from "~/features/drug-testing/schemas";
import { openPatientsForPicker } from "~/features/patients/patients.server";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { newId } from "~/utils/ids";
import { isCivilDate, localClock, longDate } from "~/kernel/time";

export const meta: MetaFunction = () => [{ title: "Record a collection · Drug tests · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, sites, timeZone, today, meta } = await requireSiteUser(args, "record:drug-tests");
  const params = new URL(args.request.url).searchParams;
  // A recollection of an earlier test (its page's "Record the observed recollection"): same patient, specimen and panel.
  const original = params.get("recollectionOf")
    ? await recollectionTarget(
        db,
        params.get("recollectionOf") ?? "",
        sites.map((s) => s.id),
      )
    : null;
  const [patients, panels, people] = await Promise.all([
    openPatientsForPicker(db, site.id),
    listPanels(db, site.id, { activeOnly: true }),
    collectorsAt(db, site.id),
  ]);
  // The patient picker lists everyone in the program at the site.
  // Who is a patient is itself Part 2 information: one audit row per view of a list that names them.
  await recordPatientListView(db, user, { kind: "collection_picker", siteId: site.id, shown: patients.length }, meta);
  const requestedDate = params.get("date") ?? "";
  const date = isCivilDate(requestedDate) && requestedDate <= today ? requestedDate : today;
  const reason = original?.reason ?? params.get("reason") ?? "";
  const patient = original?.patientId ?? params.get("patient") ?? "";
  return {
    site: { name: site.name, timeZone },
    today,
    patients: patients.map((p) => ({ value: p.value, label: p.label })),
    panels: panels.map((p) => ({
      value: p.id,
      label: `${p.name} (${p.analytes.length} ${p.analytes.length === 1 ? "analyte" : "analytes"})`,
      specimen: p.specimen,
    })),
    people: people.map((p) => ({ value: p.id, label: p.name })),
    recollection: original ? { id: original.id, on: longDate(original.collectedOn), observed: original.observed } : null,
    defaults: {
      // A fresh key per form: a double submit finds the collection the first one recorded.
      requestKey: newId(),
      patientId: patients.some((p) => p.id === patient) ? patient : "",
      collection: "collected",
      date,
      time: date === today ? localClock(new Date().toISOString(), timeZone) : "",
      reason: reason in TEST_REASONS ? reason : "",
      specimen: original?.specimen ?? "urine",
      panelId: original?.panelId ?? panels.find((p) => p.specimen === "urine")?.id ?? "",
      observed: original?.observed ? "yes" : "",
      recollectionOf: original?.id ?? "",
      collectedBy: people.some((p) => p.id === user.id) ? user.id : "",
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, sites, today, meta } = await requireSiteUser(args, "record:drug-tests");
  const submission = parseWithZod(await args.request.formData(), { schema: collectionSchema(today) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await recordCollection(
    db,
    user,
    submission.value,
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  const c = submission.value.collection;
  const message = result.repeated
    ? "This collection was already recorded; here it is."
    : c === "collected"
      ? `Collection recorded for ${result.patientName}. Enter the results when they are read.`
      : `${c === "refused" ? "Refusal" : "No-show"} recorded for ${result.patientName}; their counselor will see it flagged.`;
  return redirectWithToast(`/drug-tests/${result.id}`, message);
}

export default function RecordCollection() {
  const { site, today, patients, panels, people, defaults, recollection } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <Stack gap="lg" maw={860}>
      <PageHeading back={{ to: "/drug-tests", label: "Drug tests" }} title="Record a collection">
        At {site.name}; the date and time are the site&apos;s ({site.timeZone}). A refusal or a no-show is recorded here too — never as a negative.
      </PageHeading>
      {recollection ? (
        <Alert color="orange" title={recollection.observed ? "Observed recollection" : "Recollection"}>
          This collection recollects the test of {recollection.on}
          {recollection.observed ? ", and must be collected under direct observation" : ""}. It is linked to that test.
        </Alert>
      ) : null}
      <Paper withBorder p="lg">
        <CollectionForm today={today} patients={patients} panels={panels} people={people} defaults={defaults} lastResult={lastResult} />
      </Paper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
