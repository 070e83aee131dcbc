import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Card } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { MeasureForm } from "~/features/measures/components/measure-form";
import { recordMeasure } from "~/features/measures/measures.server";
import { bandLabel, isMeasureCode, MEASURES } from "~/features/measures/rules";
import { responseSchema } from "~/features/measures/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { notFound, redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { newId } from "~/utils/ids";

function measureOf(params: { measure?: string }) {
  if (!isMeasureCode(params.measure)) notFound("There is no such measure.");
  return params.measure;
}

export async function loader(args: LoaderFunctionArgs) {
  // The blank form only: nothing here shows a score or an earlier answer.
  const { patientId, today } = await requirePatient(args, "enter:measures", null);
  // A fresh key per form: a double submit finds the response the first one saved.
  return { code: measureOf(args.params), patientId, today, requestKey: newId() };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta, clinical } = await requirePatient(args, "enter:measures", null);
  const code = measureOf(args.params);
  const submission = parseWithZod(await args.request.formData(), { schema: responseSchema(code, today) });
  if (submission.status !== "success") return data({ reply: submission.reply() }, { status: 400 });
  const result = await recordMeasure(
    db,
    user,
    patientId,
    code,
    submission.value,
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data({ reply: refusedReply(submission, result) }, { status: result.status });
  // Staff who enter answers learn only that they were saved; the score is for clinical staff.
  if (!clinical) return redirectWithToast(`/patients/${patientId}/measures`, "Saved.");
  const { score } = result;
  const name = MEASURES[code].name;
  const scored = !score.complete
    ? `${name} saved as incomplete (${score.missing.length} unanswered): no score.`
    : code === "bam"
      ? `${name} saved: ${bandLabel(code, score.band)}.`
      : `${name} saved: ${score.total}, ${bandLabel(code, score.band).toLowerCase()}.`;
  const message = score.safetyConcern ? `${scored} Item 9 is above 0: a safety flag is open until you record a safety check.` : scored;
  return redirectWithToast(`/patients/${patientId}/measures`, message, score.safetyConcern ? "error" : "success");
}

export default function GiveMeasure() {
  const { code, today, requestKey, patientId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Card withBorder maw={900}>
      <Anchor component={Link} to={`/patients/${patientId}/measures`} size="sm" mb="sm">
        ← Measures
      </Anchor>
      <MeasureForm key={requestKey} code={code} today={today} requestKey={requestKey} lastResult={actionData?.reply} />
    </Card>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
