import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Stack, Text } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { SectionCard } from "~/components/section-card";
import { draftPage, saveDraft } from "~/features/plans/plans.server";
import { PlanEditor } from "~/features/plans/components/plan-editor";
import { contentOf, draftSchema } from "~/features/plans/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, patientId, today } = await requirePatient(args, "write:patients", "plan");
  return { ...(await draftPage(db, patientId, user.id)), patientId, today };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: draftSchema });
  // Adding or removing a row without scripts comes back here too: the form returns with the row.
  if (submission.status !== "success") return data({ reply: submission.reply() }, { status: submission.status === "error" ? 400 : 200 });
  const input = submission.value;
  const result = await saveDraft(
    db,
    user,
    patientId,
    { planId: input.planId, version: input.version, content: contentOf(input), sign: input.intent === "sign" },
    sites.map((s) => s.id),
    today,
    meta,
  );
  if (!result.ok) return data({ reply: refusedReply(submission, result) }, { status: result.status });
  if (!result.signed) return redirectWithToast(`/patients/${patientId}/plan/edit`, "Draft saved.");
  return redirectWithToast(
    `/patients/${patientId}/plan`,
    result.cosignRequired
      ? "Plan signed. Next: the patient's acknowledgement and a supervisor's co-signature."
      : "Plan signed. Next: the patient's acknowledgement.",
  );
}

export default function EditPlan() {
  const { draft, diagnoses, signsAlone, today, patientId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // No draft open (signed meanwhile, or discarded): the plan page is where one is started.
  if (!draft)
    return (
      <SectionCard title="No draft open">
        <Text>
          There is no draft plan for this patient now: it may have been signed or discarded.{" "}
          <Anchor component={Link} to={`/patients/${patientId}/plan`}>
            Go to the treatment plan
          </Anchor>{" "}
          to read it or start a new version.
        </Text>
      </SectionCard>
    );
  return (
    <Stack gap="md">
      <SectionCard title={`Draft plan, version ${draft.number}`}>
        <Text size="sm" c="dimmed" mb="md">
          {draft.number > 1
            ? "This draft starts from the version before it: change what the review found, then sign it."
            : "Write the plan with the patient: their goals in their own words, objectives they can measure, and the services that help."}
        </Text>
        <PlanEditor
          key={draft.version}
          planId={draft.id}
          version={draft.version}
          content={draft.content}
          diagnoses={diagnoses}
          today={today}
          signsAlone={signsAlone}
          lastResult={actionData?.reply}
        />
      </SectionCard>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
