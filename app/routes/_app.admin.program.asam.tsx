import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { asamEdition, setAsamEdition } from "~/features/assessments/assessments.server";
import { EditionForm } from "~/features/assessments/components/edition-form";
import { ASAM_EDITIONS } from "~/features/assessments/rules";
import { editionSchema } from "~/features/assessments/schemas";
import { requireUser } from "~/features/auth/guard.server";
import { redirectWithToast } from "~/kernel/http.server";

export const meta: MetaFunction = () => [{ title: "ASAM assessments · IOP Dashboard" }];

/** The ASAM Criteria edition is the current site's own choice: it reaches no other site. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  return { edition: await asamEdition(db, site.id), site: { name: site.name } };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, meta, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const form = await args.request.formData();
  const parsed = editionSchema.safeParse({ edition: form.get("edition"), version: form.get("version") });
  if (!parsed.success) return data({ error: parsed.error.issues[0]?.message ?? "Choose an edition." }, { status: 400 });
  const result = await setAsamEdition(db, user, site.id, parsed.data.edition, parsed.data.version, meta);
  if (!result.ok) return data({ error: result.formError ?? "Not saved." }, { status: result.status });
  return redirectWithToast("/admin/program/asam", `ASAM assessments at ${site.name} now use the ${ASAM_EDITIONS[parsed.data.edition]} dimension names.`);
}

export default function AsamSettings() {
  const { edition, site } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Stack gap="lg" maw={900}>
      <PageHeading back={{ to: "/admin/program", label: "Program setup" }} title="ASAM assessments">
        Which edition of The ASAM Criteria names the six dimensions counselors rate at {site.name}. Each site chooses its own.
      </PageHeading>
      <EditionForm key={edition.version} edition={edition.value} version={edition.version} error={result?.error} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
