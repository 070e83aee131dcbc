import { parseWithZod } from "@conform-to/zod/v4";
import { Stack, Text } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { SubmitOrCancel } from "~/components/form-buttons";
import { FormPaper } from "~/components/form-paper";
import { PageHeading } from "~/components/page-heading";
import { useSchemaForm } from "~/components/schema-form";
import { SiteFields } from "~/features/admin/components/site-fields";
import { timeZones, UpdateSiteSchema } from "~/features/admin/sites";
import { getManagedSite, updateSite } from "~/features/admin/sites.server";
import { requireUser } from "~/features/auth/guard.server";
import { foundOr404, redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.site.name ?? "Site"} · IOP Dashboard` }];

const NOT_YOURS = "There is no such site among yours.";

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites } = await requireUser(args, "manage:sites");
  const site = foundOr404(
    await getManagedSite(
      db,
      args.params.siteId ?? "",
      sites.map((s) => s.id),
    ),
    NOT_YOURS,
  );
  return { site, timeZones: timeZones() };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "manage:sites");
  const id = args.params.siteId ?? "";
  const submission = parseWithZod(await args.request.formData(), { schema: UpdateSiteSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await updateSite(
    db,
    user,
    id,
    submission.value,
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  return redirectWithToast(`/admin/sites/${id}`, "Site saved.");
}

export default function SitePage() {
  const { site, timeZones } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(UpdateSiteSchema, {
    id: `site-${site.id}-${site.version}`,
    lastResult: useActionData<typeof action>(),
    defaultValue: { name: site.name, timeZone: site.timeZone, address: site.address ?? "" },
  });
  return (
    <Stack gap="lg" maw={560}>
      <PageHeading back={{ to: "/admin/sites", label: "Sites" }} title={site.name} />
      <FormPaper form={form}>
        <input type="hidden" name="version" value={site.version} />
        <SiteFields fields={fields} timeZones={timeZones} />
        <Text size="sm" c="dimmed">
          Changing the time zone moves where this site&apos;s days begin and end. Sessions already booked keep their moment in time, so their clock times shift
          with the zone.
        </Text>
        <SubmitOrCancel submit="Save site" cancelTo="/admin/sites" loading={navigation.state === "submitting"} />
      </FormPaper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
