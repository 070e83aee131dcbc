import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Stack, Text } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { can } from "~/features/auth/permissions";
import { createAuthorization, updateAuthorization } from "~/features/billing/authorizations.server";
import { addCertification } from "~/features/billing/certifications.server";
import { AuthorizationForm, CertificationForm, CoverageCards, CoverageForm } from "~/features/billing/components/coverage-section";
import { coverageChart, createCoverage, updateCoverage } from "~/features/billing/coverage.server";
import { listPayers } from "~/features/billing/payers.server";
import { CoverageActionSchema } from "~/features/billing/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, patientId, header, today, emergency } = await requirePatient(args, "read:coverage", "coverage");
  const canWrite = can(user.role, "write:coverage") && !emergency;
  const [chart, payers] = await Promise.all([coverageChart(db, patientId, today), canWrite ? listPayers(db, header.siteId, { activeOnly: true }) : []]);
  const edit = new URL(args.request.url).searchParams.get("edit") ?? "";
  const [kind, id] = [edit.split("-")[0], edit.slice(edit.indexOf("-") + 1)];
  return {
    canWrite,
    today,
    level: header.clinical.levelOfCare,
    base: `/patients/${patientId}/coverage`,
    ...chart,
    payers: payers.map((p) => ({ id: p.id, name: p.name, kind: p.kind })),
    editCoverageId: canWrite && kind === "coverage" ? id : null,
    editAuthorizationId: canWrite && kind === "authorization" ? id : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, sites, meta } = await requirePatient(args, "write:coverage", null);
  const submission = parseWithZod(await args.request.formData(), { schema: CoverageActionSchema });
  const intent = String(submission.payload.intent ?? "");
  if (submission.status !== "success") return data({ intent, reply: submission.reply() }, { status: 400 });
  const v = submission.value;
  const siteIds = sites.map((s) => s.id);
  const base = `/patients/${patientId}/coverage`;
  const result =
    v.intent === "create-coverage"
      ? await createCoverage(db, user, patientId, v, siteIds, meta)
      : v.intent === "update-coverage"
        ? await updateCoverage(db, user, patientId, v.coverageId, v, siteIds, meta)
        : v.intent === "create-authorization"
          ? await createAuthorization(db, user, patientId, v, siteIds, meta)
          : v.intent === "update-authorization"
            ? await updateAuthorization(db, user, patientId, v.authorizationId, v, siteIds, meta)
            : await addCertification(db, user, patientId, v, siteIds, meta);
  if (!result.ok) return data({ intent, reply: refusedReply(submission, result) }, { status: result.status });
  const said = {
    "create-coverage": "Coverage added.",
    "update-coverage": "Coverage saved.",
    "create-authorization": "Authorization recorded.",
    "update-authorization": "Authorization saved.",
    "create-certification": v.intent === "create-certification" && v.kind === "recertification" ? "Recertification recorded." : "Certification recorded.",
  }[v.intent];
  return redirectWithToast(base, said);
}

export default function CoverageSection() {
  const { canWrite, today, level, base, coverages, certifications, payers, editCoverageId, editAuthorizationId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = (intents: string[]) => (actionData && intents.includes(actionData.intent) ? actionData.reply : undefined);
  const editingCoverage = coverages.find((c) => c.id === editCoverageId) ?? null;
  const editingAuthorization = coverages.flatMap((c) => c.authorizations).find((a) => a.id === editAuthorizationId) ?? null;
  const medicare = coverages.filter((c) => c.payerKind === "medicare");
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Units used are counted from the days the patient attended: only days billable by their hours count.{" "}
        <Anchor component={Link} to="/billing/authorizations" size="sm">
          All authorizations at the site
        </Anchor>
      </Text>
      <CoverageCards coverages={coverages} certifications={certifications} canWrite={canWrite} base={base} />
      {canWrite ? (
        <>
          {editingAuthorization || (!editingCoverage && coverages.length) ? (
            <AuthorizationForm
              key={editingAuthorization ? `${editingAuthorization.id}-${editingAuthorization.version}` : "new"}
              coverages={coverages}
              editing={editingAuthorization}
              lastResult={reply(["create-authorization", "update-authorization"])}
              base={base}
              level={level}
            />
          ) : null}
          {!editingAuthorization ? (
            <CoverageForm
              key={editingCoverage ? `${editingCoverage.id}-${editingCoverage.version}` : "new"}
              payers={payers}
              editing={editingCoverage}
              lastResult={reply(["create-coverage", "update-coverage"])}
              base={base}
            />
          ) : null}
          {medicare.length && !editingCoverage && !editingAuthorization ? (
            <CertificationForm coverages={medicare} lastResult={reply(["create-certification"])} base={base} today={today} />
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
