import { type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { recordAudit } from "~/features/audit/audit.server";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { confirmResult, getTest, saveResults, testTimeZone } from "~/features/drug-testing/collections.server";
import { OutcomeBadge } from "~/features/drug-testing/components/badges";
import { CollectionFactsCard, NoSpecimenCard, RecollectionAlert, TestAlerts } from "~/features/drug-testing/components/test-details";
import { ConfirmForm, ResultsForm } from "~/features/drug-testing/components/test-forms";
import { analyteLabel, CONFIRMATIONS } from "~/features/drug-testing/rules";
import { testActionSchema } from "~/features/drug-testing/schemas";
import { flaggedNote, testDetail } from "~/features/drug-testing/views.server";
import { foundOr404, redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { longDate, todayIn } from "~/kernel/time";

// The MRN, never the name: a title ends up in browser history and on shared screens.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Drug test · ${data.test.mrn}` : "Drug test"} · IOP Dashboard` }];

// A test is opened from any of the person's sites and read in its own site's zone.
export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "record:drug-tests");
  const siteIds = sites.map((s) => s.id);
  const t = foundOr404(await getTest(db, args.params.testId ?? "", siteIds), "There is no such test at your sites.");
  await recordAudit(db, {
    actor: user,
    action: "patient.viewed",
    entityType: "patient",
    entityId: t.patient_id,
    patientId: t.patient_id,
    siteId: t.site_id,
    detail: { section: "drug-test", testId: t.id },
    meta,
  });
  const clinical = can(user.role, "read:patient-clinical");
  return { clinical, today: todayIn(t.time_zone), timeZone: t.time_zone, test: testDetail(t, clinical) };
}

/** Which of the page's two forms answered, so only that one shows the messages. */
type Reply = { intent: "results" | "confirm"; reply: SubmissionResult<string[]> };

export async function action(args: ActionFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "record:drug-tests");
  const id = args.params.testId ?? "";
  const siteIds = sites.map((s) => s.id);
  // A lab's report date is checked against today where the test was collected.
  const today = todayIn(await testTimeZone(db, id, siteIds));
  const submission = parseWithZod(await args.request.formData(), { schema: testActionSchema(today) });
  const intent = submission.payload.intent === "confirm" ? "confirm" : "results";
  if (submission.status !== "success") return data({ intent, reply: submission.reply() } satisfies Reply, { status: 400 });
  const v = submission.value;
  const result = v.intent === "confirm" ? await confirmResult(db, user, id, v, siteIds, meta) : await saveResults(db, user, id, v, siteIds, meta);
  if (!result.ok) return data({ intent, reply: refusedReply(submission, result) } satisfies Reply, { status: result.status });
  // Staff are told that something went to the counselor, not what it says about the patient's MAT.
  const flags = flaggedNote(can(user.role, "read:patient-clinical"), result.raised, result.withdrawn);
  const message =
    v.intent === "confirm"
      ? `${analyteLabel(v.analyte)}: ${CONFIRMATIONS[v.confirmation].toLowerCase()} recorded.${flags}`
      : `Results saved${result.outcome === "pending" ? "; some are still pending" : ""}.${flags}`;
  return redirectWithToast(`/drug-tests/${id}`, message);
}

export default function DrugTestPage() {
  const { test: t, timeZone, clinical, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const title = t.collection === "collected" ? `${t.specimen ?? ""} test` : t.collection === "refused" ? "Refused test" : "No-show";
  return (
    <Stack gap="md" maw={960}>
      <Group gap="md">
        <Anchor component={Link} to={`/drug-tests?date=${t.date}`} size="sm">
          ← Drug tests on {longDate(t.date)}
        </Anchor>
        <Anchor component={Link} to={`/patients/${t.patientId}/drug-tests`} size="sm">
          {t.patientName}&apos;s tests
        </Anchor>
      </Group>
      <div>
        <Group gap="sm" align="center">
          <Title order={1}>
            {title} — {t.patientName}
          </Title>
          <OutcomeBadge outcome={t.outcome} unexpectedPositive={t.unexpectedPositive} validity={t.validity} neutral={!clinical} />
        </Group>
        <Text c="dimmed">
          {t.mrn} · {longDate(t.date)} at {t.time} ({timeZone}) · {t.reason}
          {t.draw ? (
            <>
              {" "}
              (
              <Anchor component={Link} to={`/drug-tests/draws/${t.draw.id}`}>
                draw {t.draw.sequence} of the day
              </Anchor>
              )
            </>
          ) : null}
        </Text>
      </div>
      {t.recollection ? (
        <RecollectionAlert recollection={t.recollection} testId={t.id} patientId={t.patientId} recollections={t.recollections} canRecord />
      ) : null}
      <TestAlerts alerts={t.alerts} />
      <CollectionFactsCard test={t} />
      {t.collection === "collected" ? (
        <>
          <Paper withBorder p="lg">
            <ResultsForm test={t} clinical={clinical} lastResult={actionData?.intent === "results" ? actionData.reply : undefined} />
          </Paper>
          <Paper withBorder p="lg">
            <ConfirmForm test={t} today={today} lastResult={actionData?.intent === "confirm" ? actionData.reply : undefined} />
          </Paper>
        </>
      ) : (
        <NoSpecimenCard collection={t.collection} />
      )}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
