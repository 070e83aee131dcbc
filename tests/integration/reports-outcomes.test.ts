/**
 * The outcome reports (retention, discharges, engagement) on a small clinic built by hand: every
 * site, user, patient, episode, session and attendance mark is inserted straight into our own
 * tables with chosen dates, and every expected number below is worked out by hand in a comment.
 *
 * Today is 2026-06-30 at the site in every call. Day 0 is the admission date; day N is N days later.
 * Useful sums (checked once with a calendar):
 *   03-02 +30 = 04-01, +34 = 04-05, +60 = 05-01, +90 = 05-31      03-10 +14 = 03-24, +75 = 05-24
 *   03-31 +30 = 04-30, +60 = 05-30, +90 = 06-29                    04-01 +15 = 04-16, +90 = 06-30
 *   04-02 +60 = 06-01, +90 = 07-01; 04-02 → 05-07 is 35 days       04-15 +29 = 05-14, +30 = 05-15
 *   04-20 +14 = 05-04, +60 = 06-19, +90 = 07-19                    05-01 +60 = 06-30, +48 = 06-18
 *   05-20 +30 = 06-19, +48 = 07-07                                 05-31 +30 = 06-30, +48 = 07-18
 *   03-24 +34 = 04-27; 04-03 +34 = 05-07, +35 = 05-08; 03-06 +34 = 04-09
 *   Length of stay: 01-10 → 05-31 = 141, 02-01 → 03-15 = 42, 02-02 → 03-01 = 27.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discharges, engagement, median, retention } from "~/features/reports/outcomes.server";
import { REPORTS, reportById } from "~/features/reports/registry.server";
import type { ReportParams, ReportTable } from "~/features/reports/report";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";

const TZ = "America/New_York";
const TODAY = "2026-06-30";
const STAMP = "2026-01-01T12:00:00.000Z";

type Kind = "group" | "individual" | "family";
type Mark = "present" | "late" | "left_early" | "absent_excused" | "absent_unexcused";

describe.each(dialects)("outcome reports on %s", (dialect) => {
  let t: TestDatabase;
  let siteId: string;
  let otherSiteId: string;
  /** Users by key: c1 and c2 are counselors, fac facilitates every session unless a test names another provider. */
  const u: Record<string, string> = {};
  const track: Record<string, string> = {};
  const pt: Record<string, string> = {};
  let mrn = 0;

  const params = (over: Partial<ReportParams> = {}): ReportParams => ({
    siteId,
    timeZone: TZ,
    from: "2026-03-01",
    to: "2026-05-31",
    trackId: null,
    counselorId: null,
    today: TODAY,
    ...over,
  });

  async function user(key: string, name: string, role: "admin" | "counselor" | "staff", sites: string[]) {
    u[key] = newId();
    await t.db
      .insertInto("users")
      .values({
        id: u[key],
        email: `${key}@example.org`,
        name,
        role,
        password_hash: "x",
        must_change_password: 0,
        active: 1,
        last_sign_in_at: null,
        created_at: STAMP,
        updated_at: STAMP,
      })
      .execute();
    for (const site_id of sites) await t.db.insertInto("user_sites").values({ user_id: u[key], site_id }).execute();
  }

  async function patient(
    key: string,
    o: { site?: string; track: string | null; counselor: string; episodes: [admitted: string, discharged?: string, reason?: string][] },
  ) {
    pt[key] = newId();
    const lastEpisode = o.episodes[o.episodes.length - 1];
    const open = !lastEpisode[1];
    mrn += 1;
    await t.db
      .insertInto("patients")
      .values({
        id: pt[key],
        mrn: `T${String(mrn).padStart(6, "0")}`,
        site_id: o.site ?? siteId,
        legal_first_name: key,
        legal_last_name: "Test",
        preferred_name: null,
        date_of_birth: "1990-01-01",
        sex: "unknown",
        gender_identity: null,
        phone: null,
        email: null,
        address: null,
        emergency_contact_name: null,
        emergency_contact_relationship: null,
        emergency_contact_phone: null,
        preferred_language: "English",
        primary_counselor_id: u[o.counselor],
        track_id: o.track ? track[o.track] : null,
        payer_type: "medicaid",
        payer_plan: null,
        payer_member_id: null,
        detox_status: "not_needed",
        detox_completed_on: null,
        part2_notice_on: null,
        status: open ? "active" : "discharged",
        level_of_care: "IOP",
        level_since: lastEpisode[0],
        current_episode_id: null,
        search_name: `${key} test`,
        created_at: STAMP,
        updated_at: STAMP,
      })
      .execute();
    let n = 0;
    for (const [admitted, discharged, reason] of o.episodes) {
      n += 1;
      const id = newId();
      await t.db
        .insertInto("patient_episodes")
        .values({
          id,
          patient_id: pt[key],
          episode_number: n,
          referral_source: "self",
          admitted_on: admitted,
          discharged_on: discharged ?? null,
          discharge_reason: discharged ? (reason ?? "completed") : null,
          next_level_of_care: discharged ? "OP" : null,
          aftercare: null,
          discharge_note: null,
          created_at: STAMP,
        })
        .execute();
      if (open && n === o.episodes.length) await t.db.updateTable("patients").set({ current_episode_id: id }).where("id", "=", pt[key]).execute();
    }
  }

  /** One session of the given kind on `date` (its instant does not matter here) and the patient's mark on it. */
  async function attend(key: string, date: string, kind: Kind, status: Mark, site = siteId, provider = "fac") {
    const sessionId = newId();
    await t.db
      .insertInto("sessions")
      .values({
        id: sessionId,
        site_id: site,
        series_id: null,
        kind,
        group_kind: kind === "group" ? "process" : null,
        title: `${kind} ${date}`,
        track_id: null,
        facilitator_id: u[provider],
        co_facilitator_id: null,
        room_id: null,
        modality: "in_person",
        capacity: kind === "group" ? 12 : 1,
        local_date: date,
        starts_at: `${date}T14:00:00.000Z`,
        ends_at: `${date}T15:30:00.000Z`,
        status: "scheduled",
        cancel_reason: null,
        patient_id: kind === "group" ? null : pt[key],
        approach: null,
        family_members: null,
        created_at: STAMP,
        updated_at: STAMP,
      })
      .execute();
    await t.db
      .insertInto("attendance")
      .values({
        id: newId(),
        session_id: sessionId,
        patient_id: pt[key],
        status,
        mode: "in_person",
        minutes: status.startsWith("absent") ? 0 : 90,
        note: null,
        local_date: date,
        starts_at: `${date}T14:00:00.000Z`,
        recorded_by: u.fac,
        recorded_at: `${date}T16:00:00.000Z`,
      })
      .execute();
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    siteId = newId();
    otherSiteId = newId();
    await t.db
      .insertInto("sites")
      .values([
        { id: siteId, name: "Brooklyn Heights", time_zone: TZ, created_at: STAMP },
        { id: otherSiteId, name: "Far Rockaway", time_zone: TZ, created_at: STAMP },
      ])
      .execute();
    await user("c1", "Cora One", "counselor", [siteId]);
    await user("c2", "Cal Two", "counselor", [siteId]);
    await user("c3", "Cy Three", "counselor", [otherSiteId]);
    await user("fac", "Fay Facilitator", "staff", [siteId, otherSiteId]);
    for (const [key, name] of [
      ["A", "Morning IOP"],
      ["B", "Evening IOP"],
    ] as const) {
      track[key] = newId();
      await t.db
        .insertInto("tracks")
        .values({
          id: track[key],
          site_id: siteId,
          name,
          level_of_care: "IOP",
          days: '["mon","wed","fri"]',
          start_time: "09:00",
          end_time: "12:00",
          active: 1,
          created_at: STAMP,
          updated_at: STAMP,
        })
        .execute();
    }

    // Admitted in March (range 03-01 … 05-31).
    await patient("ana", { track: "A", counselor: "c1", episodes: [["2026-03-02"]] });
    await patient("ben", { track: "A", counselor: "c1", episodes: [["2026-03-02", "2026-04-01", "left_before_completion"]] }); // discharged on day 30
    await patient("cara", { track: "B", counselor: "c2", episodes: [["2026-03-10", "2026-05-24", "completed"]] }); // completed on day 75
    await patient("dev", { track: "B", counselor: "c2", episodes: [["2026-03-31", "2026-03-31", "other"]] }); // discharged on day 0
    // Admitted in April.
    await patient("eve", { track: "A", counselor: "c2", episodes: [["2026-04-01"]] }); // day 90 is today
    await patient("finn", { track: "A", counselor: "c1", episodes: [["2026-04-02"]] }); // day 90 is tomorrow
    await patient("gus", { track: "B", counselor: "c1", episodes: [["2026-04-15", "2026-05-14", "discharged_by_program"]] }); // discharged on day 29
    // Kim's first episode ended in the range (a completion, length 42); her second began in April.
    await patient("kim", { track: "A", counselor: "c1", episodes: [["2026-02-01", "2026-03-15", "completed"], ["2026-04-20"]] });
    // Admitted in May.
    await patient("hal", { track: "A", counselor: "c1", episodes: [["2026-05-01"]] }); // day 60 is today
    await patient("jon", { track: "A", counselor: "c1", episodes: [["2026-05-20", "2026-06-10", "transferred"]] }); // discharged after the range
    await patient("ivy", { track: "B", counselor: "c2", episodes: [["2026-05-31"]] }); // last day of the range; day 30 is today
    // Admitted before the range, discharged on its edges or just outside it.
    await patient("opal", { track: "B", counselor: "c2", episodes: [["2026-01-10", "2026-05-31", "transferred"]] }); // last day: in
    await patient("quinn", { track: null, counselor: "c2", episodes: [["2026-02-02", "2026-03-01", "incarcerated"]] }); // first day: in
    await patient("pia", { track: "B", counselor: "c1", episodes: [["2026-01-05", "2026-02-28", "completed"]] }); // the day before: out
    // Admitted in June, after the range (used by the engagement windows below).
    await patient("lou", { track: "A", counselor: "c1", episodes: [["2026-06-05"]] });
    await patient("ned", { track: "A", counselor: "c1", episodes: [["2026-06-15"]] }); // day 14 = 06-29, yesterday
    await patient("max", { track: "A", counselor: "c1", episodes: [["2026-06-16"]] }); // day 14 = 06-30, today
    // Another site: counted nowhere here.
    await patient("rex", { site: otherSiteId, track: null, counselor: "c3", episodes: [["2026-03-05", "2026-04-05", "completed"]] });

    // Attendance. "init" is the initiation day (the first attended service, if on day 0–14).
    await attend("ana", "2026-03-02", "individual", "present"); // day 0: init
    await attend("ana", "2026-03-05", "group", "late"); // first group, day 3; +1 more
    await attend("ana", "2026-04-05", "group", "left_early"); // init + 34 exactly: +1 more → engaged
    await attend("ben", "2026-03-06", "group", "present"); // first group, day 4: init
    await attend("ben", "2026-03-07", "group", "absent_unexcused"); // an absence is no service
    await attend("ben", "2026-04-01", "individual", "present"); // discharge day still counts: +1 more
    await attend("ben", "2026-04-05", "group", "present"); // after his discharge: not counted → not engaged
    await attend("cara", "2026-03-24", "group", "present"); // day 14 exactly: first group and init
    await attend("cara", "2026-04-20", "group", "present"); // +1 more
    await attend("cara", "2026-04-27", "individual", "present"); // init + 34 exactly: +1 more → engaged
    await attend("eve", "2026-04-02", "individual", "absent_excused"); // an excused absence is no service
    await attend("eve", "2026-04-16", "group", "present"); // day 15: first group, too late to initiate
    await attend("finn", "2026-04-03", "individual", "present"); // day 1: init
    await attend("finn", "2026-04-03", "family", "present"); // same day as init: not "more"
    await attend("finn", "2026-05-07", "group", "present"); // first group, day 35; init + 34: +1 more
    await attend("finn", "2026-05-08", "group", "present"); // init + 35: outside → not engaged
    await attend("gus", "2026-04-15", "group", "present"); // day 0: first group and init
    await attend("gus", "2026-04-20", "individual", "present", siteId, "c1"); // +1 more, with his counselor
    await attend("gus", "2026-04-20", "group", "present"); // same later day, another provider: +1 more → engaged
    await attend("kim", "2026-03-01", "group", "present"); // in her first episode: not her second's first group
    await attend("kim", "2026-05-04", "individual", "present"); // day 14 of her second episode: init; no group
    await attend("hal", "2026-05-08", "group", "present"); // first group, day 7: init
    await attend("hal", "2026-05-09", "group", "present");
    await attend("hal", "2026-05-10", "individual", "present"); // 2 more → engaged
    await attend("jon", "2026-05-29", "group", "present"); // first group, day 9: init
    await attend("jon", "2026-06-01", "group", "present");
    await attend("jon", "2026-06-03", "group", "present"); // would engage, but day 48 (07-07) has not passed
    await attend("ivy", "2026-06-02", "group", "present"); // first group, day 2: init
    await attend("lou", "2026-06-19", "group", "present"); // day 14: first group and init
    await attend("max", "2026-06-16", "individual", "present"); // day 0, but his day 14 is today
    await attend("rex", "2026-03-05", "group", "present", otherSiteId);
  });
  afterAll(() => t?.destroy());

  const byCohort = (table: ReportTable) => Object.fromEntries(table.rows.map((r) => [r.cohort, { ...r, cohort: undefined }]));
  const cohortRow = (admitted: number, r30: number, p30: number | null, r60: number, p60: number | null, r90: number, p90: number | null) => ({
    cohort: undefined,
    admitted,
    reached30: r30,
    retained30: p30,
    reached60: r60,
    retained60: p60,
    reached90: r90,
    retained90: p90,
  });

  it("registers the three reports", () => {
    expect(REPORTS.map((r) => r.id)).toEqual(expect.arrayContaining(["retention", "discharges", "engagement"]));
    expect(reportById("retention")).toBe(retention);
    for (const r of [retention, discharges, engagement]) expect(r.definition.length).toBeGreaterThan(2);
  });

  it("takes the median of odd and even counts", () => {
    expect(median([])).toBeNull();
    expect(median([30, 0, 141])).toBe(30);
    expect(median([3, 35, 4, 15, 7, 9])).toBe(8);
  });

  describe("retention", () => {
    it("counts each month's admissions retained at 30, 60 and 90 days among those that reached the day", async () => {
      const table = await retention.compute(t.db, params());
      expect(table.rows.map((r) => r.cohort)).toEqual(["Mar 2026", "Apr 2026", "May 2026", "All admissions"]);
      expect(byCohort(table)).toEqual({
        // March: ana (open), ben (out on day 30), cara (completed on day 75), dev (out on day 0).
        // Every day N reached (dev's day 90 is 06-29). 30: ana, ben, cara = 3/4. 60: ana, cara = 2/4.
        // 90: ana only (cara's completion on day 75 is not retention) = 1/4.
        "Mar 2026": cohortRow(4, 4, 75, 4, 50, 4, 25),
        // April: eve (open; day 90 is today, so reached), finn (open; day 90 tomorrow), gus (out on day 29),
        // kim's second episode (open; day 90 is 07-19). 30: 3/4. 60: all reached, 3/4. 90: eve only, 1/1.
        "Apr 2026": cohortRow(4, 4, 75, 4, 75, 1, 100),
        // May: hal (open; day 60 today), jon (out 06-10, before his day 30 = 06-19), ivy (open; day 30 today).
        // 30: hal, ivy of 3 = 66.7. 60: hal only reached, 1/1. 90: nobody reached.
        "May 2026": cohortRow(3, 3, 66.7, 1, 100, 0, null),
        // All: 30: 8/11 = 72.7. 60: 6/9 = 66.7. 90: 2/5 = 40.
        "All admissions": cohortRow(11, 11, 72.7, 9, 66.7, 5, 40),
      });
      // Discharged 03-01 … 05-31: quinn 27 (first day), dev 0, kim 42, ben 30, gus 29, cara 75, opal 141 (last day).
      // Not pia (02-28), jon (06-10) or rex (other site). Sum 344 / 7 = 49.14…; sorted 0 27 29 30 42 75 141 → 30.
      expect(table.summary).toBe("11 admissions in the range. 7 episodes discharged in the range: average length of stay 49.1 days, median 30 days.");
      expect(table.columns.map((c) => c.key)).toEqual(["cohort", "admitted", "reached30", "retained30", "reached60", "retained60", "reached90", "retained90"]);
      expect(table.chart).toMatchObject({ type: "bar", dataKey: "cohort", unit: "%" });
    });

    it("follows the counselor filter (current primary counselor) in cohorts and length of stay", async () => {
      const table = await retention.compute(t.db, params({ counselorId: u.c2 }));
      expect(byCohort(table)).toEqual({
        // c2's admissions: cara and dev (March), eve (April), ivy (May).
        "Mar 2026": cohortRow(2, 2, 50, 2, 50, 2, 0),
        "Apr 2026": cohortRow(1, 1, 100, 1, 100, 1, 100),
        "May 2026": cohortRow(1, 1, 100, 0, null, 0, null),
        // 30: cara, eve, ivy of 4. 60: cara, eve of 3 = 66.7. 90: eve of 3 = 33.3.
        "All admissions": cohortRow(4, 4, 75, 3, 66.7, 3, 33.3),
      });
      // c2's discharges in the range: dev 0, quinn 27, cara 75, opal 141 → 243 / 4 = 60.75 → 60.8; median (27 + 75) / 2 = 51.
      expect(table.summary).toBe("4 admissions in the range. 4 episodes discharged in the range: average length of stay 60.8 days, median 51 days.");
    });

    it("follows the track filter (current track), with one cohort and no total row", async () => {
      // Evening IOP (B), range March only: cara and dev. Discharged in March on B: dev (0). quinn has no track.
      const table = await retention.compute(t.db, params({ trackId: track.B, to: "2026-03-31" }));
      expect(byCohort(table)).toEqual({ "Mar 2026": cohortRow(2, 2, 50, 2, 50, 2, 0) });
      expect(table.summary).toBe("2 admissions in the range. 1 episode discharged in the range: average length of stay 0 days, median 0 days.");
    });

    it("is empty for a range with nothing in it", async () => {
      const table = await retention.compute(t.db, params({ from: "2025-01-01", to: "2025-03-31" }));
      expect(table.rows).toEqual([]);
      expect(table.summary).toBe("0 admissions in the range. No episode was discharged in the range, so there is no length of stay to report.");
    });
  });

  describe("discharges", () => {
    const counts = (table: ReportTable) => Object.fromEntries(table.rows.map((r) => [r.reason, [r.discharges, r.share]]));

    it("counts discharges in the range by reason, with shares and the completion rate", async () => {
      const table = await discharges.compute(t.db, params());
      // 7 discharges (see retention): completed = cara, kim's first episode; one each of the rest but died.
      expect(counts(table)).toEqual({
        "Treatment completed": [2, 28.6],
        "Transferred to another program or level of care": [1, 14.3], // opal, on the last day
        "Left before completion": [1, 14.3], // ben
        "Discharged by program": [1, 14.3], // gus
        Incarcerated: [1, 14.3], // quinn, on the first day
        Died: [0, 0],
        Other: [1, 14.3], // dev
      });
      expect(table.rows.map((r) => r.reason)[0]).toBe("Treatment completed");
      expect(table.summary).toBe("7 discharges in the range; completion rate 28.6% (2 completed treatment).");
      expect(table.chart).toMatchObject({ type: "bar", dataKey: "short" });
      expect(table.rows.map((r) => r.short)).toEqual(["Completed", "Transferred", "Left early", "By program", "Incarcerated", "Died", "Other"]);
    });

    it("follows the track and counselor filters", async () => {
      // Track B: cara (completed), dev (other), gus (by program), opal (transferred) → 1/4 completed.
      const b = await discharges.compute(t.db, params({ trackId: track.B }));
      expect(b.rows.reduce((n, r) => n + Number(r.discharges), 0)).toBe(4);
      expect(counts(b)["Treatment completed"]).toEqual([1, 25]);
      expect(b.summary).toBe("4 discharges in the range; completion rate 25% (1 completed treatment).");
      // Counselor c1: ben (left), gus (by program), kim (completed); pia's discharge is before the range.
      const c1 = await discharges.compute(t.db, params({ counselorId: u.c1 }));
      expect(counts(c1)).toMatchObject({
        "Treatment completed": [1, 33.3],
        "Left before completion": [1, 33.3],
        "Discharged by program": [1, 33.3],
        Other: [0, 0],
      });
      expect(c1.summary).toBe("3 discharges in the range; completion rate 33.3% (1 completed treatment).");
    });

    it("is empty for a range with nothing in it", async () => {
      const table = await discharges.compute(t.db, params({ from: "2025-01-01", to: "2025-03-31" }));
      expect(table.rows).toEqual([]);
      expect(table.summary).toBe("No discharges in the range, so there is no completion rate.");
    });
  });

  describe("engagement", () => {
    const measures = (table: ReportTable) => table.rows.map((r) => [r.measure, r.episodes, r.outOf, r.share]);

    it("measures days to the first group, initiation and engagement for the range's admissions", async () => {
      const table = await engagement.compute(t.db, params());
      // 11 episodes admitted. First group: ana 3, gus 0, ivy 2 → 0–3; ben 4, hal 7 → 4–7; cara 14, jon 9 → 8–14;
      // eve 15, finn 35 → 15+; dev and kim (her first-episode group is before this admission) → none.
      // Initiation: all 11 have day 14 before today (latest ivy, 06-14). Not initiated: dev (nothing),
      // eve (an excused absence on day 1, first service on day 15) → 9/11.
      // Engagement: day 48 before today → admitted by 05-12: not jon (07-07) or ivy (07-18) → 9.
      // Engaged: ana (+34 exactly), cara (+34 exactly), gus (two on one day with different providers), hal → 4/9.
      // Not: ben (one more; his post-discharge mark not counted), dev, eve, finn (+35 too late), kim.
      expect(measures(table)).toEqual([
        ["First group on day 0–3", 3, 11, 27.3],
        ["First group on day 4–7", 2, 11, 18.2],
        ["First group on day 8–14", 2, 11, 18.2],
        ["First group on day 15 or later", 2, 11, 18.2],
        ["No group attended yet", 2, 11, 18.2],
        ["Initiation: a service on day 0–14", 9, 11, 81.8],
        ["Engagement: 2 more services within 34 days", 4, 9, 44.4],
      ]);
      // Days 0 2 3 4 7 9 14 15 35 → the fifth of nine is 7.
      expect(table.summary).toBe("11 episodes admitted in the range; median 7 days from admission to the first attended group (9 episodes with one).");
    });

    it("counts two services on one day as one engagement event when one provider gave both (HEDIS IET)", async () => {
      const engagedRow = async () => measures(await engagement.compute(t.db, params()))[6];
      // gus's individual session on 04-20 given by the group's facilitator instead: one event that day → not engaged.
      const individual = await t.db
        .selectFrom("sessions")
        .select("id")
        .where("patient_id", "=", pt.gus)
        .where("local_date", "=", "2026-04-20")
        .executeTakeFirstOrThrow();
      await t.db.updateTable("sessions").set({ facilitator_id: u.fac }).where("id", "=", individual.id).execute();
      try {
        expect(await engagedRow()).toEqual(["Engagement: 2 more services within 34 days", 3, 9, 33.3]);
      } finally {
        await t.db.updateTable("sessions").set({ facilitator_id: u.c1 }).where("id", "=", individual.id).execute();
      }
      expect(await engagedRow()).toEqual(["Engagement: 2 more services within 34 days", 4, 9, 44.4]);
    });

    it("leaves out episodes whose window has not passed by today", async () => {
      // June: lou (first group and init on day 14, 06-19), ned (nothing; day 14 was yesterday, so he counts
      // as not initiated), max (a service on day 0, but his day 14 is today: not in the denominator).
      // No June admission has reached day 48 → engagement has no denominator.
      const table = await engagement.compute(t.db, params({ from: "2026-06-01", to: "2026-06-30" }));
      expect(measures(table)).toEqual([
        ["First group on day 0–3", 0, 3, 0],
        ["First group on day 4–7", 0, 3, 0],
        ["First group on day 8–14", 1, 3, 33.3],
        ["First group on day 15 or later", 0, 3, 0],
        ["No group attended yet", 2, 3, 66.7],
        ["Initiation: a service on day 0–14", 1, 2, 50],
        ["Engagement: 2 more services within 34 days", 0, 0, null],
      ]);
      expect(table.summary).toBe("3 episodes admitted in the range; median 14 days from admission to the first attended group (1 episode with one).");
      // A day later max's window has passed too, and he initiated on day 0: 2 of 3.
      const later = await engagement.compute(t.db, params({ from: "2026-06-01", to: "2026-06-30", today: "2026-07-01" }));
      expect(measures(later)[5]).toEqual(["Initiation: a service on day 0–14", 2, 3, 66.7]);
    });

    it("counts engagement only once day 48 is before today", async () => {
      // May admissions: hal (05-01, day 48 = 06-18, engaged), jon and ivy (day 48 in July).
      const engagedRow = async (today: string) => measures(await engagement.compute(t.db, params({ from: "2026-05-01", to: "2026-05-31", today })))[6];
      expect(await engagedRow("2026-06-18")).toEqual(["Engagement: 2 more services within 34 days", 0, 0, null]); // day 48 is today
      expect(await engagedRow("2026-06-19")).toEqual(["Engagement: 2 more services within 34 days", 1, 1, 100]); // day 48 was yesterday
    });

    it("never reads past today", async () => {
      // Seen on 06-01: hal's first group is day 7, jon's day 9; ivy's (06-02) is tomorrow, so she has none yet.
      // Initiation needs day 14 before 06-01 → admitted by 05-17: hal only, initiated.
      const table = await engagement.compute(t.db, params({ from: "2026-05-01", to: "2026-05-31", today: "2026-06-01" }));
      expect(measures(table).map((m) => m.slice(1, 3))).toEqual([
        [0, 3],
        [1, 3],
        [1, 3],
        [0, 3],
        [1, 3],
        [1, 1],
        [0, 0],
      ]);
    });

    it("follows the track filter", async () => {
      // Morning IOP (A) admitted in the range: ana, ben, eve, finn, kim, hal, jon (7).
      // First group: ana 3; ben 4, hal 7; jon 9; eve 15, finn 35; kim none. Median of 3 4 7 9 15 35 = (7+9)/2 = 8.
      // Initiated: all but eve → 6/7. Engagement denominator: all but jon → 6; engaged: ana, hal → 2/6.
      const table = await engagement.compute(t.db, params({ trackId: track.A }));
      expect(measures(table)).toEqual([
        ["First group on day 0–3", 1, 7, 14.3],
        ["First group on day 4–7", 2, 7, 28.6],
        ["First group on day 8–14", 1, 7, 14.3],
        ["First group on day 15 or later", 2, 7, 28.6],
        ["No group attended yet", 1, 7, 14.3],
        ["Initiation: a service on day 0–14", 6, 7, 85.7],
        ["Engagement: 2 more services within 34 days", 2, 6, 33.3],
      ]);
      expect(table.summary).toBe("7 episodes admitted in the range; median 8 days from admission to the first attended group (6 episodes with one).");
    });

    it("follows the counselor filter", async () => {
      // c2 admitted in the range: cara (day 14 group, engaged), dev (nothing), eve (day 15), ivy (day 2; window open).
      // Buckets: 0–3 ivy; 8–14 cara; 15+ eve; none dev. Initiated: cara, ivy of 4. Engagement: cara of 3 (not ivy).
      const table = await engagement.compute(t.db, params({ counselorId: u.c2 }));
      expect(measures(table).map((m) => m.slice(1))).toEqual([
        [1, 4, 25],
        [0, 4, 0],
        [1, 4, 25],
        [1, 4, 25],
        [1, 4, 25],
        [2, 4, 50],
        [1, 3, 33.3],
      ]);
      // Days 2 14 15 → 14.
      expect(table.summary).toBe("4 episodes admitted in the range; median 14 days from admission to the first attended group (3 episodes with one).");
    });

    it("is empty for a range with nothing in it", async () => {
      const table = await engagement.compute(t.db, params({ from: "2025-01-01", to: "2025-03-31" }));
      expect(table.rows).toEqual([]);
      expect(table.summary).toBe("No admissions in the range.");
    });
  });
});
