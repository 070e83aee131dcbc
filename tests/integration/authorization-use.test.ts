/**
 * Authorizations' units used as a kept figure (ADR 0007, issue 22 item 2), on real databases: the
 * roll-call save moves the day it changed, a change of level and an authorization's edit recount
 * the patient, and after every step the whole kept table equals a count from scratch by the chart's
 * own rule (`authorizationUse`), the demo clinic's authorizations included. The figures below were
 * worked out by hand.
 *
 * Bea, IOP, admitted Mon 2026-11-02; Medicaid from Nov 1. Authorizations:
 *   D  IOP  days      Nov 2–15
 *   H  IOP  hours     Nov 16–29
 *   S  PHP  sessions  Nov 16–29
 * A day uses units when its attended minutes reach its level's minimum (IOP 180, PHP 300):
 *   Nov 2  180 present                     -> D 1
 *   Nov 3  120 present, then 60 present    -> 180 that day: D 2 (the second session makes the day)
 *   Nov 4  180 present                     -> D 3
 *   Nov 4 corrected to absent              -> D 2
 *   Nov 3 first session corrected to 90    -> 150 that day: D 1
 *   Nov 16 240 present (IOP)               -> H 4 (whole hours)
 *   Nov 17 200 present (IOP)               -> H 4 + 3 = 7
 *   PHP from Nov 17                        -> Nov 17 is a PHP day of 200 < 300: H 4, S 0
 *   Nov 18 300 present, then 60 present    -> PHP day, 1 session then 2: S 2
 *   H edited to start Nov 17               -> Nov 16 falls outside: H 0
 *   S edited to count days                 -> S 1
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as authorizationUseMigration from "../../db/migrations/2026-12-07-29-authorization-use";
import { countAuthorizationUse, keptAuthorizationUse, rebuildAuthorizationUse } from "~/features/billing/authorization-use.server";
import {
  AUTHORIZATION_COLUMNS,
  type AuthorizationFilter,
  authorizationsWithUse,
  createAuthorization,
  listSiteAuthorizations,
  patientAuthorizations,
  updateAuthorization,
  withUse,
} from "~/features/billing/authorizations.server";
import { addDays } from "~/kernel/time";
import { createCoverage } from "~/features/billing/coverage.server";
import { createPayer } from "~/features/billing/payers.server";
import { changeLevelOfCare, dischargePatient } from "~/features/patients/patients.server";
import { dialects, type TestDatabase } from "../support/databases";
import { meta } from "../support/demo";
import { seededTestDatabase } from "../support/templates";
import { dischargeInput, enroll, version } from "./patients-support";
import { groupSession, markRoll } from "./roll-call-support";

const TODAY = "2026-11-20";

describe.each(dialects)("authorizations' kept units used on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  let siteIds: string[];
  let counselor: { id: string; name: string };
  let staff: { id: string; name: string };
  let bea: string;
  const auth = {} as Record<"D" | "H" | "S", string>;
  const sessions = {} as Record<string, string>;

  const used = async () => Object.fromEntries((await patientAuthorizations(t.db, bea, TODAY)).map((a) => [a.number, a.used]));
  const after = (date: string) => new Date(`${date}T23:00:00.000Z`);

  beforeAll(async () => {
    const seeded = await seededTestDatabase(dialect);
    t = seeded;
    const { clinic } = seeded;
    site = {
      id: clinic.siteId,
      time_zone: (await t.db.selectFrom("sites").select("time_zone").where("id", "=", clinic.siteId).executeTakeFirstOrThrow()).time_zone,
    };
    siteIds = [clinic.siteId];
    counselor = { id: clinic.users["marcus.bell"].id, name: clinic.users["marcus.bell"].name };
    staff = { id: clinic.users["tom.kowalski"].id, name: clinic.users["tom.kowalski"].name };
    bea = (await enroll(t.db, counselor, site.id, { legalFirstName: "Bea", legalLastName: "Units", admittedOn: "2026-11-02", levelOfCare: "IOP" })).id;
    const payer = await createPayer(t.db, counselor, site.id, { name: "Units Test Medicaid", kind: "medicaid", payerCode: "UTM01", active: "yes" }, meta);
    if (!payer.ok) throw new Error(JSON.stringify(payer));
    const coverage = await createCoverage(
      t.db,
      counselor,
      bea,
      { payerId: payer.id, memberId: "UT-1", relationship: "self", priority: "primary", effectiveFrom: "2026-11-01" },
      siteIds,
      meta,
    );
    if (!coverage.ok) throw new Error(JSON.stringify(coverage));
    const add = async (number: string, over: { levelOfCare: "IOP" | "PHP"; unitKind: "days" | "hours" | "sessions"; startsOn: string; endsOn: string }) => {
      const r = await createAuthorization(
        t.db,
        counselor,
        bea,
        { coverageId: coverage.id, unitsApproved: 30, status: "approved", number, ...over },
        siteIds,
        meta,
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
      return r.id;
    };
    auth.D = await add("D", { levelOfCare: "IOP", unitKind: "days", startsOn: "2026-11-02", endsOn: "2026-11-15" });
    auth.H = await add("H", { levelOfCare: "IOP", unitKind: "hours", startsOn: "2026-11-16", endsOn: "2026-11-29" });
    auth.S = await add("S", { levelOfCare: "PHP", unitKind: "sessions", startsOn: "2026-11-16", endsOn: "2026-11-29" });
  }, 300_000); // the demo clinic is copied from this run's template, or seeded when there is none

  afterAll(async () => {
    await t?.destroy();
  });

  // Every step, and the demo clinic's own authorizations: the kept rows are the count from scratch.
  afterEach(async () => {
    const kept = await keptAuthorizationUse(t.db);
    expect(kept.length).toBeGreaterThan(3);
    expect(kept).toEqual(await countAuthorizationUse(t.db));
  });

  it("starts at nothing used for a new authorization, and the demo clinic's counted ones agree with a recount", async () => {
    expect(await used()).toEqual({ D: 0, H: 0, S: 0 });
    expect((await keptAuthorizationUse(t.db)).some((r) => r.used > 0)).toBe(true);
  });

  it("moves with each roll-call save, including a second session that makes a day billable", async () => {
    sessions.nov2 = await groupSession(t.db, staff, counselor, site, "2026-11-02", 180, [[bea, "present"]]);
    expect(await used()).toEqual({ D: 1, H: 0, S: 0 });
    sessions.nov3a = await groupSession(t.db, staff, counselor, site, "2026-11-03", 120, [[bea, "present"]]);
    expect(await used()).toEqual({ D: 1, H: 0, S: 0 });
    sessions.nov3b = await groupSession(t.db, staff, counselor, site, "2026-11-03", 60, [[bea, "present"]]);
    expect(await used()).toEqual({ D: 2, H: 0, S: 0 });
    sessions.nov4 = await groupSession(t.db, staff, counselor, site, "2026-11-04", 180, [[bea, "present"]]);
    expect(await used()).toEqual({ D: 3, H: 0, S: 0 });
  });

  it("moves back with corrections: an absence, and minutes that drop a day below its level's minimum", async () => {
    await markRoll(t.db, counselor, site, sessions.nov4, [[bea, "absent_unexcused"]], after("2026-11-05"), "Marked on the wrong row");
    expect(await used()).toEqual({ D: 2, H: 0, S: 0 });
    await markRoll(t.db, counselor, site, sessions.nov3a, [[bea, "left_early", 90]], after("2026-11-05"), "Left at the break");
    expect(await used()).toEqual({ D: 1, H: 0, S: 0 });
  });

  it("counts whole hours, and a change of level moves a day from one authorization's level to the other's", async () => {
    await groupSession(t.db, staff, counselor, site, "2026-11-16", 240, [[bea, "present"]]);
    await groupSession(t.db, staff, counselor, site, "2026-11-17", 200, [[bea, "present"]]);
    expect(await used()).toEqual({ D: 1, H: 7, S: 0 });
    const changed = await changeLevelOfCare(
      t.db,
      counselor,
      bea,
      { version: await version(t.db, bea), levelOfCare: "PHP", effectiveOn: "2026-11-17", reason: "Stepped up after relapse" },
      siteIds,
      meta,
    );
    expect(changed.ok).toBe(true);
    expect(await used()).toEqual({ D: 1, H: 4, S: 0 });
    await groupSession(t.db, staff, counselor, site, "2026-11-18", 300, [[bea, "present"]]);
    expect(await used()).toEqual({ D: 1, H: 4, S: 1 });
    await groupSession(t.db, staff, counselor, site, "2026-11-18", 60, [[bea, "present"]]);
    expect(await used()).toEqual({ D: 1, H: 4, S: 2 });
  });

  it("recounts an authorization whose dates or unit are edited, and the lists read the same figures", async () => {
    const current = async (id: string) => (await patientAuthorizations(t.db, bea, TODAY)).find((a) => a.id === id)!;
    const edit = async (id: string, over: { startsOn?: string; unitKind?: "days" }) => {
      const a = await current(id);
      const r = await updateAuthorization(
        t.db,
        counselor,
        bea,
        id,
        {
          coverageId: a.coverageId,
          levelOfCare: a.levelOfCare,
          unitKind: a.unitKind,
          unitsApproved: a.unitsApproved,
          startsOn: a.startsOn,
          endsOn: a.endsOn,
          status: a.status,
          number: a.number,
          version: a.version,
          ...over,
        },
        siteIds,
        meta,
      );
      expect(r.ok).toBe(true);
    };
    await edit(auth.H, { startsOn: "2026-11-17" });
    await edit(auth.S, { unitKind: "days" });
    expect(await used()).toEqual({ D: 1, H: 0, S: 1 });
    const listed = await listSiteAuthorizations(t.db, site.id, TODAY, { show: "all", page: 1, pageSize: 500 });
    expect(Object.fromEntries(listed.rows.filter((r) => r.patientId === bea).map((r) => [r.number, [r.used, r.remaining]]))).toEqual({
      D: [1, 29],
      H: [0, 30],
      S: [1, 29],
    });
  });

  it("is unchanged by a discharge", async () => {
    const before = await used();
    const d = await dischargePatient(t.db, counselor, bea, dischargeInput(await version(t.db, bea), { dischargedOn: "2026-11-19" }), siteIds, meta);
    expect(d.ok).toBe(true);
    expect(await used()).toEqual(before);
  });

  it("a database migrated from before the figure existed gets it counted by the migration, and a spoiled one is put right by the rebuild", async () => {
    const before = await keptAuthorizationUse(t.db);
    await authorizationUseMigration.down(t.db);
    await authorizationUseMigration.up(t.db);
    expect(await keptAuthorizationUse(t.db)).toEqual(before);
    await t.db.updateTable("authorization_use").set({ units_used: 99 }).execute();
    expect(await keptAuthorizationUse(t.db)).not.toEqual(before);
    await rebuildAuthorizationUse(t.db);
    expect(await keptAuthorizationUse(t.db)).toEqual(before);
  });

  it("pages the program list in SQL: each filter and page holds what the rule says, in the order the list promises", async () => {
    // The rule, written out plainly over every authorization at the site: "ending" is approved and
    // ending within 7 days; "exceeded" is approved with more used than approved; "low" is approved,
    // in force today, with 0 to 3 units left. Current ones come first, soonest end first; then the
    // ended ones, latest end first; then by patient (last name, then the name they go by).
    // The demo clinic has no authorization over its units: cut one with days used to fewer than it used.
    const a = await t.db
      .selectFrom("authorizations as a")
      .innerJoin("authorization_use as u", "u.authorization_id", "a.id")
      .innerJoin("patients as pt", "pt.id", "a.patient_id")
      .selectAll("a")
      .select("u.units_used")
      .where("pt.site_id", "=", site.id)
      .where("a.status", "=", "approved")
      .where("u.units_used", ">=", 2)
      .orderBy("a.id")
      .executeTakeFirstOrThrow();
    const over = { used: Number(a.units_used) };
    const cut = await updateAuthorization(
      t.db,
      counselor,
      a.patient_id,
      a.id,
      {
        coverageId: a.coverage_id,
        levelOfCare: a.level_of_care,
        unitKind: a.unit_kind,
        unitsApproved: over.used - 1,
        startsOn: a.starts_on,
        endsOn: a.ends_on,
        status: "approved",
        number: a.number,
        nextReviewOn: a.next_review_on ?? undefined,
        version: Number(a.version),
      },
      siteIds,
      meta,
    );
    expect(cut.ok).toBe(true);
    const all = await authorizationsWithUse(t.db)
      .innerJoin("patients as pt", "pt.id", "a.patient_id")
      .select(AUTHORIZATION_COLUMNS)
      .select(["pt.legal_last_name as last", "pt.legal_first_name as first", "pt.preferred_name as preferred"])
      .where("pt.site_id", "=", site.id)
      .execute();
    const expected = (today: string, show: AuthorizationFilter) =>
      all
        .map((r) => ({ ...withUse(r, today), last: r.last, first: r.preferred || r.first }))
        .filter((a) => {
          const approved = a.status === "approved";
          if (show === "ending") return approved && a.endsOn >= today && a.endsOn <= addDays(today, 7);
          if (show === "exceeded") return approved && a.used > a.unitsApproved;
          if (show === "low") return approved && a.startsOn <= today && today <= a.endsOn && a.remaining >= 0 && a.remaining <= 3;
          return true;
        })
        .sort((a, b) => {
          const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
          const ended = Number(a.endsOn < today) - Number(b.endsOn < today);
          if (ended) return ended;
          const byEnd = a.endsOn < today ? cmp(b.endsOn, a.endsOn) : cmp(a.endsOn, b.endsOn);
          return byEnd || cmp(a.last, b.last) || cmp(a.first, b.first) || cmp(a.id, b.id);
        })
        .map((a) => a.id);
    // Days around the demo clinic's own authorizations' ends, and this file's TODAY.
    const ends = [...new Set(all.map((a) => a.ends_on))].sort();
    const days = [TODAY, ...ends.filter((_, i) => i % Math.max(1, Math.floor(ends.length / 4)) === 0).map((d) => addDays(d, -3))];
    const seen = { all: 0, ending: 0, exceeded: 0, low: 0 } as Record<AuthorizationFilter, number>;
    for (const today of days)
      for (const show of ["all", "ending", "exceeded", "low"] as const) {
        const want = expected(today, show);
        const got: string[] = [];
        const pageSize = 4;
        const first = await listSiteAuthorizations(t.db, site.id, today, { show, page: 1, pageSize });
        expect(first.total, `${show} on ${today}`).toBe(want.length);
        for (let page = 1; page <= Math.ceil(want.length / pageSize); page++)
          got.push(...(await listSiteAuthorizations(t.db, site.id, today, { show, page, pageSize })).rows.map((r) => r.id));
        expect(got, `${show} on ${today}`).toEqual(want);
        seen[show] += want.length;
      }
    // Every filter was tried on days that hold some of it, so none of the comparisons was empty.
    for (const show of ["all", "ending", "exceeded", "low"] as const) expect(seen[show], show).toBeGreaterThan(0);
    // A page past the last shows the last; a status narrows the list.
    const last = await listSiteAuthorizations(t.db, site.id, TODAY, { show: "all", page: 999, pageSize: 4 });
    expect(last.page).toBe(Math.ceil(all.length / 4));
    const requested = await listSiteAuthorizations(t.db, site.id, TODAY, { status: "approved", show: "all", page: 1, pageSize: 500 });
    expect(requested.total).toBe(all.filter((a) => a.status === "approved").length);
    // Bea on TODAY (Nov 20): H and S end Nov 29 and come first; D ended Nov 15 and comes after them.
    const beas = (await listSiteAuthorizations(t.db, site.id, TODAY, { show: "all", page: 1, pageSize: 500 })).rows.filter((r) => r.patientId === bea);
    expect(beas.map((r) => r.number).slice(2)).toEqual(["D"]);
  });
});
