import { type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Paper, Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { FormErrors } from "~/components/form-errors";
import { requireSiteUser } from "~/features/auth/guard.server";
import { PanelForm, PanelsTable } from "~/features/drug-testing/components/panels";
import { getPanel, listPanels, NO_SUCH_PANEL, panelUses, savePanel, setPanelActive } from "~/features/drug-testing/panels.server";
import { analyteLabel, SPECIMENS } from "~/features/drug-testing/rules";
import { PanelActionSchema } from "~/features/drug-testing/schemas";
import { foundOr404, redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Drug-test panels · IOP Dashboard" }];

/** Panels are a site's own: this page shows and changes the current site's. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireSiteUser(args, "manage:drug-panels");
  const panels = await listPanels(db, site.id);
  const editId = new URL(args.request.url).searchParams.get("panel") ?? "";
  const editing = editId ? foundOr404(await getPanel(db, editId, site.id), NO_SUCH_PANEL) : null;
  const uses = await panelUses(db, site.id);
  return {
    site: { name: site.name },
    panels: panels.map((p) => ({ ...p, specimenLabel: SPECIMENS[p.specimen], analyteLabels: p.analytes.map(analyteLabel), tests: uses.get(p.id) ?? 0 })),
    editing,
  };
}

/** Which form answered: the panel form ("save") or a row's retire/reuse button. */
type Reply = { intent: string; reply: SubmissionResult<string[]> };

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "manage:drug-panels");
  const submission = parseWithZod(await args.request.formData(), { schema: PanelActionSchema });
  const sent = String(submission.payload.intent ?? "");
  const intent = sent === "deactivate" || sent === "reactivate" ? sent : "save";
  if (submission.status !== "success") return data({ intent, reply: submission.reply() } satisfies Reply, { status: 400 });
  const v = submission.value;
  // The panel form (create or update) carries the whole panel; a row's Retire/Reuse button only its id.
  if ("name" in v) {
    const saved = await savePanel(db, user, site.id, v, meta);
    if (!saved.ok) return data({ intent, reply: refusedReply(submission, saved) } satisfies Reply, { status: saved.status });
    return redirectWithToast("/drug-tests/panels", `${v.name} ${v.intent === "create" ? "created" : "saved"}.`);
  }
  const active = v.intent === "reactivate";
  const result = await setPanelActive(db, user, site.id, { panelId: v.panelId, version: v.version, active }, meta);
  if (!result.ok) return data({ intent, reply: refusedReply(submission, result) } satisfies Reply, { status: result.status });
  const message = active ? "Panel back in use." : "Panel retired; tests already recorded on it keep it.";
  return redirectWithToast("/drug-tests/panels", message);
}

export default function PanelsPage() {
  const { site, panels, editing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const toggleError = actionData && actionData.intent !== "save" ? (actionData.reply.error?.[""] ?? []) : [];
  const form = (
    <Paper withBorder p="lg">
      <PanelForm editing={editing} lastResult={actionData?.intent === "save" ? actionData.reply : undefined} />
    </Paper>
  );
  return (
    <Stack gap="md" maw={1000}>
      <PageHeading back={{ to: "/drug-tests", label: "Drug tests" }} title="Drug-test panels">
        What each kind of test checks for at {site.name}. Each site keeps its own panels. Results can only be entered for a panel&apos;s own analytes.
      </PageHeading>
      <FormErrors errors={toggleError} title="Not changed" />
      {editing ? form : null}
      <PanelsTable panels={panels} />
      {editing ? null : form}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
