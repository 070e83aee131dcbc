import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { requireUser } from "~/features/auth/guard.server";
import { IntervalForm } from "~/features/measures/components/interval-form";
import { intervalSchema } from "~/features/measures/schemas";
import { measureIntervalSetting, setMeasureInterval } from "~/features/measures/settings.server";
import { redirectWithToast } from "~/kernel/http.server";
import { parseDaysSetting } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Standardized measures · IOP Dashboard" }];

/** How often measures are repeated is the current site's own choice: it reaches no other site. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  return { interval: await measureIntervalSetting(db, site.id), site: { name: site.name } };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, meta, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const parsed = parseDaysSetting(await args.request.formData(), intervalSchema);
  if (!parsed.ok) return data({ typed: parsed.typed, error: parsed.error, fieldError: parsed.fieldError }, { status: 400 });
  const typed = parsed.typed;
  const result = await setMeasureInterval(db, user, site.id, parsed.value.days, parsed.value.version, meta);
  if (!result.ok)
    return data({ typed, error: result.formError ?? result.fieldErrors?.days?.[0] ?? "Not saved.", fieldError: undefined }, { status: result.status });
  return redirectWithToast("/admin/program/measures", `Measures at ${site.name} now repeat every ${parsed.value.days} days.`);
}

export default function MeasureSettings() {
  const { interval, site } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Stack gap="lg" maw={900}>
      <PageHeading back={{ to: "/admin/program", label: "Program setup" }} title="Standardized measures">
        How often counselors repeat the PHQ-9, GAD-7, AUDIT, DAST-10 and BAM with each patient at {site.name}. Each site chooses its own.
      </PageHeading>
      <IntervalForm
        key={interval.version}
        days={interval.value}
        version={interval.version}
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
