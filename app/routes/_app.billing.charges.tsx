import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Anchor, Group, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { placeOf } from "~/components/server-table";
import { recordPatientListView } from "~/features/audit/list-views.server";
import { requireSiteUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { CHARGE_SORTS, chargePayers, listCharges, refreshCharges } from "~/features/billing/charges.server";
import { ChargeFilters, ChargeTable, ChargeTotals, RefreshWeek } from "~/features/billing/components/charges";
import { HOLD_REASON_KEYS, type HoldReason } from "~/features/billing/rules";
import { RefreshWeekSchema } from "~/features/billing/charge-schemas";
import { redirectWithToast } from "~/kernel/http.server";
import { addDays, isCivilDate, shortDate, weekStart } from "~/kernel/time";
import { readListParams } from "~/utils/list-params";

export const meta: MetaFunction = () => [{ title: "Charges · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, today, meta } = await requireSiteUser(args, "bill:claims");
  const url = new URL(args.request.url);
  const sp = url.searchParams;
  const params = readListParams(url, CHARGE_SORTS, { sort: "date", direction: "desc" });
  const payers = await chargePayers(db, site.id);
  const payerParam = sp.get("payer") ?? "";
  const payer = payerParam === "none" || payers.some((p) => p.id === payerParam) ? payerParam : "";
  const reasonParam = sp.get("reason") ?? "";
  const reason = HOLD_REASON_KEYS.includes(reasonParam as HoldReason) ? (reasonParam as HoldReason) : null;
  const statusParam = sp.get("status");
  const status = statusParam === "ready" || statusParam === "held" ? statusParam : null;
  const weekParam = sp.get("week") ?? "";
  const week = isCivilDate(weekParam) ? weekStart(weekParam) : null;
  const patient = (sp.get("patient") ?? "").trim().slice(0, 80);
  const result = await listCharges(db, site.id, { payer: payer || null, reason, status, week, patient }, params);
  // Who is a patient is itself Part 2 information: one audit row per view of the list.
  await recordPatientListView(
    db,
    user,
    {
      kind: "charges",
      siteId: site.id,
      filters: { payer, reason, status, week, patient, sort: params.sort, direction: params.direction, page: params.page },
      shown: new Set(result.rows.map((r) => r.patientId)).size,
    },
    meta,
  );
  const refreshWeek = week ?? weekStart(today);
  return {
    site: { name: site.name },
    rows: result.rows,
    totals: result.totals,
    place: placeOf({ total: result.total, ...params }),
    payers,
    filters: { payer, reason: reason ?? "", status: status ?? "", week: week ?? "", patient },
    refresh: { week: refreshWeek, label: `the week of ${shortDate(refreshWeek)}` },
    canFeeSchedule: can(user.role, "manage:payers"),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "bill:claims");
  const submission = parseWithZod(await args.request.formData(), { schema: RefreshWeekSchema });
  if (submission.status !== "success" || !isCivilDate(submission.value.week)) return data({ error: "Choose a week to recompute." }, { status: 400 });
  const week = weekStart(submission.value.week);
  const r = await refreshCharges(db, site.id, { from: week, to: addDays(week, 6) }, { actor: user, meta, because: "recomputed from the charge review" });
  const changed = r.created + r.updated + r.removed;
  return redirectWithToast(
    `/billing/charges?week=${week}`,
    changed
      ? `Recomputed the week of ${shortDate(week)}: ${r.created} new, ${r.updated} changed, ${r.removed} removed.`
      : `The week of ${shortDate(week)} was already up to date.`,
  );
}

export default function ChargesPage() {
  const d = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Charges</Title>
          <Text c="dimmed">One charge per patient per day attended at IOP or PHP, at {d.site.name}. A held day says every reason it cannot be billed yet.</Text>
        </div>
        <Group gap="sm">
          {d.canFeeSchedule ? (
            <Anchor component={Link} to="/admin/fee-schedule">
              Fee schedule
            </Anchor>
          ) : null}
          <RefreshWeek week={d.refresh.week} label={d.refresh.label} />
        </Group>
      </Group>
      {refused && "error" in refused ? (
        <Alert color="red" role="alert">
          {refused.error}
        </Alert>
      ) : null}
      <ChargeFilters values={d.filters} payers={d.payers} />
      <ChargeTotals totals={d.totals} />
      <ChargeTable rows={d.rows} place={d.place} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
