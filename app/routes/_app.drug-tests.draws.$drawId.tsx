import { Alert, Anchor, Stack, Text, Title } from "@mantine/core";
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { recordPatientListView } from "~/features/audit/list-views.server";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { DrawBoard } from "~/features/drug-testing/components/draw-board";
import { DrawCheck } from "~/features/drug-testing/components/draw-check";
import { drawBoard, eligibleMrns, getDraw, rerunDraw } from "~/features/drug-testing/draws.server";
import { DRAW_POOLS } from "~/features/drug-testing/rules";
import { boardRows, drawRule } from "~/features/drug-testing/views.server";
import { foundOr404 } from "~/kernel/http.server";
import { longDate, clockAt } from "~/kernel/time";
import { SectionCard } from "~/components/section-card";

export const meta: MetaFunction = () => [{ title: "Random draw · Drug tests · IOP Dashboard" }];

// A draw is checked at any of the person's sites, so this page needs no current site.
export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "record:drug-tests");
  const siteIds = sites.map((s) => s.id);
  const draw = foundOr404(await getDraw(db, args.params.drawId ?? "", siteIds), "There is no such draw at your sites.");
  const tz = sites.find((s) => s.id === draw.siteId)?.time_zone ?? "UTC";
  const board = await drawBoard(db, draw);
  // Who is a patient is itself Part 2 information: one audit row per view of a list that names them.
  await recordPatientListView(
    db,
    user,
    { kind: "drug_test_draw", siteId: draw.siteId, filters: { draw: draw.id, date: draw.date }, shown: draw.eligible.length },
    meta,
  );
  const mrnOf = await eligibleMrns(db, draw);
  const rerun = new URL(args.request.url).searchParams.get("rerun") === "1" ? rerunDraw(draw) : null;
  return {
    draw: {
      id: draw.id,
      date: draw.date,
      sequence: draw.sequence,
      by: draw.drawnBy,
      at: clockAt(draw.drawnAt, tz),
      pool: DRAW_POOLS[draw.pool],
      rule: drawRule(draw, "eligible"),
      seed: draw.seed,
      algorithm: draw.algorithm,
      reason: draw.reason,
      eligible: draw.eligible.map((id) => ({ id, mrn: mrnOf.get(id) ?? "" })),
      selectedCount: draw.selected.length,
    },
    timeZone: tz,
    // Staff read outcomes in neutral words (docs/security.md).
    clinical: can(user.role, "read:patient-clinical"),
    board: boardRows(board, tz),
    rerun: rerun ? { reproduced: rerun.reproduced, mrns: rerun.selection.map((id) => mrnOf.get(id) ?? id) } : null,
  };
}

export default function DrawPage() {
  const { draw: d, board, rerun, timeZone, clinical } = useLoaderData<typeof loader>();
  return (
    <Stack gap="md" maw={960}>
      <Anchor component={Link} to={`/drug-tests?date=${d.date}`} size="sm">
        ← Drug tests on {longDate(d.date)}
      </Anchor>
      <div>
        <Title order={1}>
          Random draw, {longDate(d.date)}
          {d.sequence > 1 ? ` (draw ${d.sequence})` : ""}
        </Title>
        <Text c="dimmed">
          By {d.by} at {d.at} ({timeZone}) · {d.pool} · {d.rule}: {d.selectedCount} selected
        </Text>
      </div>
      {d.reason ? (
        <Alert color="yellow" title="Drawn again">
          {d.reason}
        </Alert>
      ) : null}
      <SectionCard title="Selected, in the order drawn">
        <DrawBoard rows={board} label="Selected patients" clinical={clinical} />
      </SectionCard>
      <DrawCheck seed={d.seed} algorithm={d.algorithm} selectedCount={d.selectedCount} eligible={d.eligible} rerun={rerun} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
