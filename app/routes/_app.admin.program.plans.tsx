import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { requireUser } from "~/features/auth/guard.server";
import { ReviewDaysForm } from "~/features/plans/components/review-days-form";
import { planReviewSetting, setPlanReviewDays } from "~/features/plans/plans.server";
import { reviewDaysSchema } from "~/features/plans/schemas";
import { redirectWithToast } from "~/kernel/http.server";
import { parseDaysSetting } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Treatment plan reviews · IOP Dashboard" }];

/** How often plans are reviewed is the current site's own choice: it reaches no other site. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  return { setting: await planReviewSetting(db, site.id), site: { name: site.name } };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, meta, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const parsed = parseDaysSetting(await args.request.formData(), reviewDaysSchema);
  if (!parsed.ok) return data({ typed: parsed.typed, error: parsed.error, fieldError: parsed.fieldError }, { status: 400 });
  const typed = parsed.typed;
  const result = await setPlanReviewDays(db, user, site.id, parsed.value.days, parsed.value.version, meta);
  if (!result.ok)
    return data({ typed, error: result.formError ?? result.fieldErrors?.days?.[0] ?? "Not saved.", fieldError: undefined }, { status: result.status });
  return redirectWithToast("/admin/program/plans", `Treatment plans at ${site.name} now come up for review every ${parsed.value.days} days.`);
}

export default function PlanReviewSettings() {
  const { setting, site } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Stack gap="lg" maw={900}>
      <PageHeading back={{ to: "/admin/program", label: "Program setup" }} title="Treatment plan reviews">
        How long a patient&apos;s treatment plan at {site.name} runs before it is reviewed with them. Each site chooses its own.
      </PageHeading>
      <ReviewDaysForm
        key={setting.version}
        days={setting.value}
        version={setting.version}
        typed={result?.typed}
        error={result?.error}
        fieldError={result?.fieldError}
      />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
