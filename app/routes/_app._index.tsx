import { Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useLiveData } from "~/utils/use-live-data";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { navFor } from "~/features/auth/navigation";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { markedCounts, missingRolls } from "~/features/attendance/attendance.server";
import { MissingRollsCard, type MissingRolls } from "~/features/attendance/components/missing-rolls-card";
import { type Attention, needsAttention } from "~/features/attendance/attention.server";
import { addDays, startOfDayUtc, todayIn, dateTimeFormat, longDate } from "~/kernel/time";
import { clockRange, sessionsInRange } from "~/features/scheduling/views.server";
import { census, drawToday, groupFill, nothingNextWeek } from "~/features/reports/dashboard.server";
import {
  AdminCards,
  type AdminOverview,
  AttentionCard,
  CounselorCards,
  type CounselorDay,
  DrawCard,
  type DrawToday,
  RoleAndSections,
  TodayCard,
  type TodaySummary,
} from "~/features/reports/components/home-sections";
import { recordPatientListView } from "~/features/audit/list-views.server";
import { measuresOnHome } from "~/features/measures/worklist.server";
import { SafetyFlagsCard } from "~/features/measures/components/safety-flags-card";
import { homePlans, type HomePlans, patientsNamed } from "~/features/plans/worklist.server";
import { PlanWorkCards } from "~/features/plans/components/plan-work-cards";
import { MeasuresWorklistCard } from "~/features/measures/components/measures-worklist-card";
import { homeNotes, type HomeNotes, mergeCoSignQueues, type CoSignItem } from "~/features/notes/worklist.server";
import { NoteWorkCards } from "~/features/notes/components/note-work-cards";
import { billingHome, type BillingHome } from "~/features/billing/home.server";
import { BillingWeekCard, UtilizationCard } from "~/features/billing/components/billing-home-cards";

export const meta: MetaFunction = () => [{ title: "Home · IOP Dashboard" }];

const ATTENTION_PAGE_SIZE = 25;

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "read:home");
  const now = new Date();
  const tz = site?.time_zone ?? "UTC";
  // What is on today, with roll-call progress; and, for those with a caseload, who needs attention.
  let todaySummary: TodaySummary | null = null;
  let attention: Attention[] | null = null;
  let attentionTotal = 0;
  let attentionPage = 1;
  let attentionPages = 1;
  let admin: AdminOverview | null = null;
  let counselor: CounselorDay | null = null;
  let draw: DrawToday | null = null;
  let rolls: MissingRolls | null = null;
  let sessionPatients = 0;
  let measures: Awaited<ReturnType<typeof measuresOnHome>> = null;
  let plans: HomePlans | null = null;
  let notes: HomeNotes | null = null;
  let billing: BillingHome | null = null;
  if (site) {
    const date = todayIn(tz, now);
    const sessions = (await sessionsInRange(db, site.id, startOfDayUtc(date, tz), startOfDayUtc(addDays(date, 1), tz))).filter((s) => !s.cancelled);
    const started = sessions.filter((s) => s.startsAt <= now.toISOString());
    const marks = await markedCounts(
      db,
      started.map((s) => s.id),
    );
    // Today's sessions link to the schedule: only for roles that can open it (not billing).
    if (can(user.role, "read:schedule"))
      todaySummary = {
        sessions: sessions.length,
        started: started.length,
        expected: started.reduce((n, s) => n + s.onRoster, 0),
        marked: started.reduce((n, s) => n + (marks.get(s.id)?.size ?? 0), 0),
      };
    if (can(user.role, "read:patient-clinical")) {
      // A page of the list at a time: a whole site can have hundreds, and the list is a worklist.
      const everyone = await needsAttention(db, site.id, tz, user.role === "counselor" ? user.id : null);
      attentionPages = Math.max(1, Math.ceil(everyone.length / ATTENTION_PAGE_SIZE));
      const asked = Number(new URL(args.request.url).searchParams.get("attention"));
      attentionPage = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, attentionPages) : 1;
      attentionTotal = everyone.length;
      attention = everyone.slice((attentionPage - 1) * ATTENTION_PAGE_SIZE, attentionPage * ATTENTION_PAGE_SIZE);
    }
    // Open safety flags (PHQ-9 item 9) and measures due: a counselor's caseload; an admin's site, with counts per counselor.
    measures = await measuresOnHome(db, user, site.id, date);
    // Treatment plans due and waiting, the supervisor's co-signature queue, an admin's counts per counselor.
    if (can(user.role, "read:patient-clinical")) plans = await homePlans(db, user, site.id, date);
    // Progress notes to write, notes waiting for a co-signature (listed with the plans'), an admin's counts per clinician.
    if (can(user.role, "read:notes")) notes = await homeNotes(db, user, site.id, now);
    // Utilization review for whoever keeps coverage; billing staff's week of attendance.
    billing = await billingHome(db, user.role, site.id, date);
    if (user.role === "admin") {
      const [c, fill] = await Promise.all([census(db, site.id, date), groupFill(db, site.id, date, tz)]);
      admin = { census: c, fill };
    }
    if (user.role === "counselor") {
      const [mine, idle] = await Promise.all([
        sessionsInRange(db, site.id, startOfDayUtc(date, tz), startOfDayUtc(addDays(date, 1), tz), { facilitatorId: user.id }),
        nothingNextWeek(db, site.id, user.id, date, tz),
      ]);
      sessionPatients = mine.filter((s) => !s.cancelled && s.patient).length;
      counselor = {
        mine: mine
          .filter((s) => !s.cancelled)
          .map((s) => ({ id: s.id, title: s.patient ? `${s.title}: ${s.patient.name}` : s.title, time: clockRange(s, tz), where: s.where })),
        idle,
      };
    }
    if (can(user.role, "draw:drug-tests")) draw = await drawToday(db, site.id, date);
    if (can(user.role, "take:attendance")) rolls = await missingRolls(db, site.id, tz, now);
  }
  // Home names patients in its worklist, the counselor's sessions and the draw's missing
  // collections. One audit row per load that shows any (42 CFR Part 2: who is a patient is
  // protected); a load that names no one writes nothing. Home reloads when the window regains
  // focus, and each such reload is a new display of the list, so it is recorded too: one small
  // row, never one per patient (docs/security.md).
  const shownOnHome =
    (attention?.length ?? 0) +
    (draw?.missing.length ?? 0) +
    sessionPatients +
    (measures?.shown ?? 0) +
    (plans ? patientsNamed(plans) : 0) +
    (billing?.named ?? 0);
  if (site && shownOnHome > 0)
    await recordPatientListView(db, user, { kind: "home_worklist", siteId: site.id, filters: { attentionPage }, shown: shownOnHome }, meta);
  const hour = Number(dateTimeFormat("en-US", { hour: "numeric", hourCycle: "h23", timeZone: tz }).format(now));
  return {
    firstName: user.name.split(" ")[0],
    role: user.role,
    site: site ? { name: site.name, timeZone: site.time_zone } : null,
    today: longDate(todayIn(tz, now)),
    greeting: hour < 12 ? "Good morning" : hour < 18 ? "Good afternoon" : "Good evening",
    sections: navFor(user.role).filter((s) => s.to !== "/"),
    todaySummary,
    attention,
    attentionPaging: { total: attentionTotal, page: attentionPage, pages: attentionPages, size: ATTENTION_PAGE_SIZE },
    admin,
    counselor,
    draw,
    rolls,
    billing,
    attentionScope: user.role === "counselor" ? "your caseload" : "the program",
    measures,
    // The co-signature queue shows plans and notes together, on the notes' cards.
    plans: plans ? { ...plans, coSign: null } : null,
    notes: notes ? { toWrite: notes.toWrite, counts: notes.counts } : null,
    coSign: plans?.coSign?.length || notes?.coSign.length ? mergeCoSignQueues(plans?.coSign ?? [], notes?.coSign ?? []) : (null as CoSignItem[] | null),
  };
}

export default function Home() {
  useLiveData();
  const data = useLoaderData<typeof loader>();
  const { firstName, role, site, today, greeting, sections, todaySummary, attention, attentionPaging, attentionScope, admin, counselor, draw, rolls } = data;
  const { measures, plans, notes, coSign, billing } = data;
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>
          {greeting}, {firstName}
        </Title>
        <Text c="dimmed">
          {today}
          {site ? ` · ${site.name} (${site.timeZone})` : " · You are not assigned to a site yet; ask an admin."}
        </Text>
      </div>
      {measures?.safetyFlags.length ? <SafetyFlagsCard flags={measures.safetyFlags} scope={measures.scope} /> : null}
      <NoteWorkCards toWrite={notes?.toWrite ?? null} coSign={coSign} counts={notes?.counts ?? null} />
      {plans ? <PlanWorkCards plans={plans} /> : null}
      <UtilizationCard home={billing} />
      {todaySummary ? <TodayCard summary={todaySummary} /> : null}
      {draw ? <DrawCard draw={draw} /> : null}
      {rolls && site ? <MissingRollsCard rolls={rolls} timeZone={site.timeZone} /> : null}
      {counselor ? <CounselorCards counselor={counselor} /> : null}
      {admin ? <AdminCards admin={admin} /> : null}
      <BillingWeekCard home={billing} />
      {measures ? <MeasuresWorklistCard measures={measures} /> : null}
      {attention ? <AttentionCard attention={attention} paging={attentionPaging} scope={attentionScope} /> : null}
      <RoleAndSections role={role} sections={sections} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
