/**
 * The attendance and billing reports on real databases, against a small clinic built by hand:
 * every row below is inserted directly (site, staff, tracks, patients with their episodes and
 * level-of-care history, sessions, roll calls and marks), and every number the reports give is
 * checked against a figure worked out by hand in the comments.
 *
 * The site is in America/New_York: EDT is UTC−4, EST is UTC−5. Clocks fall back on Sunday
 * 2026-11-01 (02:00 EDT = 06:00Z) and spring forward on Sunday 2027-03-14 (02:00 EST = 07:00Z).
 * The evening group meets 19:00–22:00 local, which in EST starts at 00:00Z the NEXT UTC day, and
 * two Sunday-evening sessions start on a Monday in UTC: a report that bucketed by the UTC date of
 * `starts_at` would move them into the next week (and split a patient's day in two).
 *
 * The four weeks used:
 *   W1 = 2026-10-26 (Mon) … 2026-11-01 (Sun, fall back)    W2 = 2026-11-02 … 2026-11-08
 *   W3 = 2027-03-08 (Mon) … 2027-03-14 (Sun, spring fwd)   W4 = 2027-03-15 … 2027-03-21
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionKind, SessionStatus } from "#db/schema";
import { attendanceByGroup, attendanceByWeek, requiredHours } from "~/features/reports/attendance.server";
import { billableDays } from "~/features/reports/billing.server";
import { rebuildSessionTallies } from "~/features/attendance/tallies.server";
import { REPORTS, reportById } from "~/features/reports/registry.server";
import type { ReportDefinition, ReportParams } from "~/features/reports/report";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";

const TZ = "America/New_York";
const CREATED = "2026-08-01T12:00:00.000Z";

/**
 * The patients (current track, primary counselor, payer; level history; episode):
 *   ann  Morning IOP, Cole, Medicaid,   adult (1990),       IOP from 2026-09-01, admitted 2026-09-01, open
 *   bob  Evening IOP, Diaz, Commercial, adult (1985),       IOP from 2026-09-01, PHP from 2026-11-04 (a Wednesday), open
 *   cy   Morning IOP, Cole, Self-pay,   born 2009-03-10:    17 until 2027-03-10, 18 from then; IOP, admitted 2026-09-01, open
 *   dee  Evening IOP, Diaz, Medicare,   adult (1970),       IOP from 2026-09-01, OP from 2026-11-02 (a Monday), open
 *   eve  Morning IOP, Diaz, Commercial, adult (1995),       IOP, admitted 2026-11-04 (a Wednesday), open
 *   fay  Evening IOP, Cole, Medicaid,   adult (1980),       IOP, admitted 2026-09-01, discharged 2026-11-05 (a Thursday)
 *   zed  at ANOTHER site, Cole, Medicaid, IOP: must never be counted at this one.
 */
const PATIENTS = {
  ann: { track: "morning", counselor: "cole", payer: "medicaid", dob: "1990-04-02", levels: [["IOP", "2026-09-01"]], admitted: "2026-09-01", discharged: null },
  bob: {
    track: "evening",
    counselor: "diaz",
    payer: "commercial",
    dob: "1985-07-19",
    levels: [
      ["IOP", "2026-09-01"],
      ["PHP", "2026-11-04"],
    ],
    admitted: "2026-09-01",
    discharged: null,
  },
  cy: { track: "morning", counselor: "cole", payer: "self_pay", dob: "2009-03-10", levels: [["IOP", "2026-09-01"]], admitted: "2026-09-01", discharged: null },
  dee: {
    track: "evening",
    counselor: "diaz",
    payer: "medicare",
    dob: "1970-01-15",
    levels: [
      ["IOP", "2026-09-01"],
      ["OP", "2026-11-02"],
    ],
    admitted: "2026-09-01",
    discharged: null,
  },
  eve: {
    track: "morning",
    counselor: "diaz",
    payer: "commercial",
    dob: "1995-12-01",
    levels: [["IOP", "2026-11-04"]],
    admitted: "2026-11-04",
    discharged: null,
  },
  fay: {
    track: "evening",
    counselor: "cole",
    payer: "medicaid",
    dob: "1980-05-30",
    levels: [["IOP", "2026-09-01"]],
    admitted: "2026-09-01",
    discharged: "2026-11-05",
  },
  zed: {
    track: null,
    counselor: "cole",
    payer: "medicaid",
    dob: "1991-02-02",
    levels: [["IOP", "2026-09-01"]],
    admitted: "2026-09-01",
    discharged: null,
    otherSite: true,
  },
} as const;
type PatientKey = keyof typeof PATIENTS;

/**
 * The sessions, with their UTC instants worked out by hand. "Morning Process" (Morning IOP series)
 * meets 09:00–12:00, "Evening Process" (Evening IOP series) 19:00–22:00; "Community Meeting" is a
 * one-off group with no series and no track; "ind" sessions are individual sessions.
 */
const SESSIONS: Record<
  string,
  {
    title: string;
    kind?: SessionKind;
    series?: "morning" | "evening";
    track?: "morning" | "evening";
    date: string;
    startsAt: string;
    endsAt: string;
    status?: SessionStatus;
    otherSite?: boolean;
  }
> = {
  // W1 — daylight time (UTC−4) until 02:00 on Sunday 11-01, standard (UTC−5) after.
  m1026: {
    title: "Morning Process",
    series: "morning",
    track: "morning",
    date: "2026-10-26",
    startsAt: "2026-10-26T13:00:00.000Z",
    endsAt: "2026-10-26T16:00:00.000Z",
  },
  m1028: {
    title: "Morning Process",
    series: "morning",
    track: "morning",
    date: "2026-10-28",
    startsAt: "2026-10-28T13:00:00.000Z",
    endsAt: "2026-10-28T16:00:00.000Z",
  },
  m1030: {
    title: "Morning Process",
    series: "morning",
    track: "morning",
    date: "2026-10-30",
    startsAt: "2026-10-30T13:00:00.000Z",
    endsAt: "2026-10-30T16:00:00.000Z",
  },
  e1027: {
    title: "Evening Process",
    series: "evening",
    track: "evening",
    date: "2026-10-27",
    startsAt: "2026-10-27T23:00:00.000Z",
    endsAt: "2026-10-28T02:00:00.000Z",
  },
  e1029: {
    title: "Evening Process",
    series: "evening",
    track: "evening",
    date: "2026-10-29",
    startsAt: "2026-10-29T23:00:00.000Z",
    endsAt: "2026-10-30T02:00:00.000Z",
  },
  // Sunday 11-01 19:00 EST: Monday 11-02 in UTC (the next week).
  e1101: {
    title: "Evening Process",
    series: "evening",
    track: "evening",
    date: "2026-11-01",
    startsAt: "2026-11-02T00:00:00.000Z",
    endsAt: "2026-11-02T03:00:00.000Z",
  },
  // Saturday 10-31 20:00 EDT: Sunday 11-01 in UTC.
  cm1031: { title: "Community Meeting", date: "2026-10-31", startsAt: "2026-11-01T00:00:00.000Z", endsAt: "2026-11-01T01:00:00.000Z" },
  // Saturday 10-31 17:00–19:00 EDT: Ann's individual session, the same local day as the meeting.
  ind1031: { title: "Individual session", kind: "individual", date: "2026-10-31", startsAt: "2026-10-31T21:00:00.000Z", endsAt: "2026-10-31T23:00:00.000Z" },
  // W2 — standard time (UTC−5).
  m1102: {
    title: "Morning Process",
    series: "morning",
    track: "morning",
    date: "2026-11-02",
    startsAt: "2026-11-02T14:00:00.000Z",
    endsAt: "2026-11-02T17:00:00.000Z",
  },
  m1104: {
    title: "Morning Process",
    series: "morning",
    track: "morning",
    date: "2026-11-04",
    startsAt: "2026-11-04T14:00:00.000Z",
    endsAt: "2026-11-04T17:00:00.000Z",
  },
  m1106: {
    title: "Morning Process",
    series: "morning",
    track: "morning",
    date: "2026-11-06",
    startsAt: "2026-11-06T14:00:00.000Z",
    endsAt: "2026-11-06T17:00:00.000Z",
  },
  e1103: {
    title: "Evening Process",
    series: "evening",
    track: "evening",
    date: "2026-11-03",
    startsAt: "2026-11-04T00:00:00.000Z",
    endsAt: "2026-11-04T03:00:00.000Z",
  },
  e1105: {
    title: "Evening Process",
    series: "evening",
    track: "evening",
    date: "2026-11-05",
    startsAt: "2026-11-06T00:00:00.000Z",
    endsAt: "2026-11-06T03:00:00.000Z",
  },
  // Saturday 11-07: on the roster, roll never taken: not counted anywhere.
  e1107: {
    title: "Evening Process",
    series: "evening",
    track: "evening",
    date: "2026-11-07",
    startsAt: "2026-11-08T00:00:00.000Z",
    endsAt: "2026-11-08T03:00:00.000Z",
  },
  // Sunday 11-08 19:00 EST: Monday 11-09 in UTC.
  e1108: {
    title: "Evening Process",
    series: "evening",
    track: "evening",
    date: "2026-11-08",
    startsAt: "2026-11-09T00:00:00.000Z",
    endsAt: "2026-11-09T03:00:00.000Z",
  },
  // Saturday 11-07 10:00–11:00 EST: Bob's individual session.
  ind1107: { title: "Individual session", kind: "individual", date: "2026-11-07", startsAt: "2026-11-07T15:00:00.000Z", endsAt: "2026-11-07T16:00:00.000Z" },
  // W3 — standard time until 02:00 on Sunday 03-14, daylight (UTC−4) after.
  m0308: {
    title: "Morning Process",
    series: "morning",
    track: "morning",
    date: "2027-03-08",
    startsAt: "2027-03-08T14:00:00.000Z",
    endsAt: "2027-03-08T17:00:00.000Z",
  },
  m0310: {
    title: "Morning Process",
    series: "morning",
    track: "morning",
    date: "2027-03-10",
    startsAt: "2027-03-10T14:00:00.000Z",
    endsAt: "2027-03-10T17:00:00.000Z",
  },
  m0312: {
    title: "Morning Process",
    series: "morning",
    track: "morning",
    date: "2027-03-12",
    startsAt: "2027-03-12T14:00:00.000Z",
    endsAt: "2027-03-12T17:00:00.000Z",
  },
  e0309: {
    title: "Evening Process",
    series: "evening",
    track: "evening",
    date: "2027-03-09",
    startsAt: "2027-03-10T00:00:00.000Z",
    endsAt: "2027-03-10T03:00:00.000Z",
  },
  e0311: {
    title: "Evening Process",
    series: "evening",
    track: "evening",
    date: "2027-03-11",
    startsAt: "2027-03-12T00:00:00.000Z",
    endsAt: "2027-03-12T03:00:00.000Z",
  },
  // Sunday 03-14 19:00 EDT = 23:00Z, still Sunday in UTC.
  e0314: {
    title: "Evening Process",
    series: "evening",
    track: "evening",
    date: "2027-03-14",
    startsAt: "2027-03-14T23:00:00.000Z",
    endsAt: "2027-03-15T02:00:00.000Z",
  },
  // Sunday 03-14 20:00 EDT: Monday 03-15 in UTC (the next week).
  cm0314: { title: "Community Meeting", date: "2027-03-14", startsAt: "2027-03-15T00:00:00.000Z", endsAt: "2027-03-15T01:00:00.000Z" },
  // W4 — daylight time.
  m0315: {
    title: "Morning Process",
    series: "morning",
    track: "morning",
    date: "2027-03-15",
    startsAt: "2027-03-15T13:00:00.000Z",
    endsAt: "2027-03-15T16:00:00.000Z",
  },
  e0316: {
    title: "Evening Process",
    series: "evening",
    track: "evening",
    date: "2027-03-16",
    startsAt: "2027-03-16T23:00:00.000Z",
    endsAt: "2027-03-17T02:00:00.000Z",
  },
  // Wednesday 03-17 10:00–14:00 EDT: Cy's individual session (240 minutes).
  ind0317: { title: "Individual session", kind: "individual", date: "2027-03-17", startsAt: "2027-03-17T14:00:00.000Z", endsAt: "2027-03-17T18:00:00.000Z" },
  // Friday 03-19: cancelled (snow), no roll call.
  m0319: {
    title: "Morning Process",
    series: "morning",
    track: "morning",
    date: "2027-03-19",
    startsAt: "2027-03-19T13:00:00.000Z",
    endsAt: "2027-03-19T16:00:00.000Z",
    status: "cancelled",
  },
  // The other site (America/Chicago) on Monday 10-26, with the same title: never counted here.
  z1026: { title: "Morning Process", date: "2026-10-26", startsAt: "2026-10-26T14:00:00.000Z", endsAt: "2026-10-26T17:00:00.000Z", otherSite: true },
};

type Status = "present" | "late" | "left_early" | "absent_excused" | "absent_unexcused";
const P = "present";
const L = "late";
const E = "left_early";
const X = "absent_excused";
const U = "absent_unexcused";
/** Every mark: [session, patient, status, minutes]. Numbered so the sums below can name them. */
const MARKS: [string, PatientKey, Status, number][] = [
  // W1
  /*  1 */ ["m1026", "ann", P, 180],
  /*  2 */ ["m1026", "cy", P, 180],
  /*  3 */ ["m1028", "ann", P, 180],
  /*  4 */ ["m1028", "cy", L, 150],
  /*  5 */ ["m1030", "ann", U, 0],
  /*  6 */ ["m1030", "cy", P, 180],
  /*  7 */ ["e1027", "bob", P, 180],
  /*  8 */ ["e1027", "dee", P, 180],
  /*  9 */ ["e1027", "fay", P, 180],
  /* 10 */ ["e1029", "bob", P, 180],
  /* 11 */ ["e1029", "dee", X, 0],
  /* 12 */ ["e1029", "fay", E, 120],
  /* 13 */ ["e1101", "bob", P, 180],
  /* 14 */ ["e1101", "dee", P, 180],
  /* 15 */ ["e1101", "fay", U, 0],
  /* 16 */ ["cm1031", "ann", P, 60],
  /* 17 */ ["cm1031", "bob", P, 60],
  /* 18 */ ["cm1031", "cy", X, 0],
  /* 19 */ ["ind1031", "ann", P, 120],
  // W2
  /* 20 */ ["m1102", "ann", P, 180],
  /* 21 */ ["m1102", "cy", P, 180],
  /* 22 */ ["m1104", "ann", P, 180],
  /* 23 */ ["m1104", "cy", U, 0],
  /* 24 */ ["m1104", "eve", P, 180],
  /* 25 */ ["m1106", "ann", P, 180],
  /* 26 */ ["m1106", "cy", P, 180],
  /* 27 */ ["m1106", "eve", P, 180],
  /* 28 */ ["e1103", "bob", P, 180],
  /* 29 */ ["e1103", "dee", P, 180],
  /* 30 */ ["e1103", "fay", P, 180],
  /* 31 */ ["e1105", "bob", L, 120],
  /* 32 */ ["e1105", "dee", P, 180],
  /* 33 */ ["e1105", "fay", X, 0],
  /* 34 */ ["e1108", "bob", P, 180],
  /* 35 */ ["e1108", "dee", U, 0],
  /* 36 */ ["ind1107", "bob", P, 60],
  // W3
  /* 37 */ ["m0308", "ann", P, 180],
  /* 38 */ ["m0308", "cy", P, 180],
  /* 39 */ ["m0308", "eve", P, 180],
  /* 40 */ ["m0310", "ann", P, 180],
  /* 41 */ ["m0310", "cy", P, 180],
  /* 42 */ ["m0310", "eve", X, 0],
  /* 43 */ ["m0312", "ann", L, 160],
  /* 44 */ ["m0312", "cy", U, 0],
  /* 45 */ ["m0312", "eve", P, 180],
  /* 46 */ ["e0309", "bob", P, 180],
  /* 47 */ ["e0309", "dee", P, 180],
  /* 48 */ ["e0311", "bob", P, 180],
  /* 49 */ ["e0311", "dee", P, 180],
  /* 50 */ ["e0314", "bob", P, 180],
  /* 51 */ ["e0314", "dee", X, 0],
  /* 52 */ ["cm0314", "ann", P, 60],
  /* 53 */ ["cm0314", "cy", P, 60],
  /* 54 */ ["cm0314", "eve", U, 0],
  // W4
  /* 55 */ ["m0315", "ann", P, 180],
  /* 56 */ ["m0315", "cy", P, 180],
  /* 57 */ ["m0315", "eve", P, 180],
  /* 58 */ ["e0316", "bob", P, 180],
  /* 59 */ ["e0316", "dee", P, 180],
  /* 60 */ ["ind0317", "cy", P, 240],
  // The other site
  /* 61 */ ["z1026", "zed", P, 180],
];

/** Fall-back weeks W1–W2 and spring-forward weeks W3–W4. */
const FALL = { from: "2026-10-26", to: "2026-11-08" };
const SPRING = { from: "2027-03-08", to: "2027-03-21" };

describe.each(dialects)("attendance and billing reports on %s", (dialect) => {
  let t: TestDatabase;
  let siteId: string;
  let otherSiteId: string;
  const users: Record<"cole" | "diaz", string> = { cole: "", diaz: "" };
  const tracks: Record<"morning" | "evening", string> = { morning: "", evening: "" };
  const patients = {} as Record<PatientKey, string>;

  const params = (over: Partial<ReportParams> = {}): ReportParams => ({
    siteId,
    timeZone: TZ,
    ...FALL,
    trackId: null,
    counselorId: null,
    today: "2027-04-01",
    ...over,
  });
  const run = (report: ReportDefinition, over: Partial<ReportParams> = {}) => report.compute(t.db, params(over));

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const db = t.db;
    siteId = newId();
    otherSiteId = newId();
    await db
      .insertInto("sites")
      .values([
        { id: siteId, name: "Harbor Light – Main", time_zone: TZ, created_at: CREATED },
        { id: otherSiteId, name: "Harbor Light – Westside", time_zone: "America/Chicago", created_at: CREATED },
      ])
      .execute();
    for (const [key, name] of [
      ["cole", "Casey Cole"],
      ["diaz", "Dana Diaz"],
    ] as const) {
      users[key] = newId();
      await db
        .insertInto("users")
        .values({
          id: users[key],
          email: `${key}@reports.example`,
          name,
          role: "counselor",
          password_hash: "not-a-real-hash",
          must_change_password: 0,
          active: 1,
          last_sign_in_at: null,
          created_at: CREATED,
          updated_at: CREATED,
        })
        .execute();
      await db
        .insertInto("user_sites")
        .values([
          { user_id: users[key], site_id: siteId },
          { user_id: users[key], site_id: otherSiteId },
        ])
        .execute();
    }
    for (const [key, name, days, start, end] of [
      ["morning", "Morning IOP", ["mon", "wed", "fri"], "09:00", "12:00"],
      ["evening", "Evening IOP", ["tue", "thu", "sun"], "19:00", "22:00"],
    ] as const) {
      tracks[key] = newId();
      await db
        .insertInto("tracks")
        .values({
          id: tracks[key],
          site_id: siteId,
          name,
          level_of_care: "IOP",
          days: JSON.stringify(days),
          start_time: start,
          end_time: end,
          active: 1,
          created_at: CREATED,
          updated_at: CREATED,
        })
        .execute();
    }
    const series: Record<"morning" | "evening", string> = { morning: newId(), evening: newId() };
    for (const key of ["morning", "evening"] as const) {
      await db
        .insertInto("group_series")
        .values({
          id: series[key],
          site_id: siteId,
          track_id: tracks[key],
          title: key === "morning" ? "Morning Process" : "Evening Process",
          kind: "process",
          facilitator_id: users.cole,
          co_facilitator_id: null,
          room_id: null,
          modality: "in_person",
          capacity: 12,
          days: key === "morning" ? '["mon","wed","fri"]' : '["tue","thu","sun"]',
          start_time: key === "morning" ? "09:00" : "19:00",
          end_time: key === "morning" ? "12:00" : "22:00",
          starts_on: "2026-10-01",
          ends_on: null,
          auto_enroll: 0,
          patient_id: null,
          approach: null,
          family_members: null,
          created_at: CREATED,
          updated_at: CREATED,
        })
        .execute();
    }

    let n = 0;
    for (const [key, p] of Object.entries(PATIENTS) as [PatientKey, (typeof PATIENTS)[PatientKey]][]) {
      const id = newId();
      const episodeId = newId();
      patients[key] = id;
      n++;
      const level = p.levels[p.levels.length - 1];
      await db
        .insertInto("patients")
        .values({
          id,
          mrn: `MRN-9${String(n).padStart(5, "0")}`,
          site_id: "otherSite" in p ? otherSiteId : siteId,
          legal_first_name: key[0].toUpperCase() + key.slice(1),
          legal_last_name: "Tester",
          preferred_name: null,
          date_of_birth: p.dob,
          sex: "unknown",
          gender_identity: null,
          phone: null,
          email: null,
          address: null,
          emergency_contact_name: null,
          emergency_contact_relationship: null,
          emergency_contact_phone: null,
          preferred_language: "English",
          primary_counselor_id: users[p.counselor],
          track_id: p.track ? tracks[p.track] : null,
          payer_type: p.payer,
          payer_plan: null,
          payer_member_id: null,
          detox_status: "not_needed",
          detox_completed_on: null,
          part2_notice_on: p.admitted,
          status: p.discharged ? "discharged" : "active",
          level_of_care: level[0],
          level_since: level[1],
          current_episode_id: p.discharged ? null : episodeId,
          search_name: `${key} tester`,
          created_at: CREATED,
          updated_at: CREATED,
        })
        .execute();
      await db
        .insertInto("patient_episodes")
        .values({
          id: episodeId,
          patient_id: id,
          episode_number: 1,
          referral_source: "self",
          admitted_on: p.admitted,
          discharged_on: p.discharged,
          discharge_reason: p.discharged ? "completed" : null,
          next_level_of_care: null,
          aftercare: null,
          discharge_note: null,
          created_at: CREATED,
        })
        .execute();
      for (const [i, [lvl, on]] of p.levels.entries()) {
        await db
          .insertInto("level_of_care_changes")
          .values({
            id: newId(),
            patient_id: id,
            episode_id: episodeId,
            level_of_care: lvl,
            effective_on: on,
            reason: i ? "Change" : "Level of care at admission",
            changed_by: users.cole,
            created_at: `${on}T15:00:00.000Z`,
          })
          .execute();
      }
    }

    const sessionIds: Record<string, string> = {};
    for (const [key, s] of Object.entries(SESSIONS)) {
      sessionIds[key] = newId();
      const kind = s.kind ?? "group";
      await db
        .insertInto("sessions")
        .values({
          id: sessionIds[key],
          site_id: s.otherSite ? otherSiteId : siteId,
          series_id: s.series ? series[s.series] : null,
          kind,
          group_kind: kind === "group" ? "process" : null,
          title: s.title,
          track_id: s.track ? tracks[s.track] : null,
          facilitator_id: users.cole,
          co_facilitator_id: null,
          room_id: null,
          modality: "in_person",
          capacity: 12,
          local_date: s.date,
          starts_at: s.startsAt,
          ends_at: s.endsAt,
          status: s.status ?? "scheduled",
          cancel_reason: s.status === "cancelled" ? "Snow day" : null,
          patient_id: kind === "group" ? null : patients[MARKS.find((m) => m[0] === key)![1]],
          approach: null,
          family_members: null,
          created_at: CREATED,
          updated_at: CREATED,
        })
        .execute();
    }
    // The unmarked Saturday session and the cancelled Friday have rosters but no roll call.
    await db
      .insertInto("session_participants")
      .values([
        ...(["bob", "dee"] as const).map((k) => ({
          id: newId(),
          session_id: sessionIds.e1107,
          patient_id: patients[k],
          source: "track",
          joined_at: CREATED,
          left_at: null,
          left_reason: null,
        })),
        ...(["ann", "cy", "eve"] as const).map((k) => ({
          id: newId(),
          session_id: sessionIds.m0319,
          patient_id: patients[k],
          source: "track",
          joined_at: CREATED,
          left_at: null,
          left_reason: null,
        })),
      ])
      .execute();
    for (const key of new Set(MARKS.map((m) => m[0]))) {
      const taken = SESSIONS[key].endsAt;
      await db
        .insertInto("roll_calls")
        .values({ session_id: sessionIds[key], taken_by: users.cole, taken_at: taken, updated_by: users.cole, updated_at: taken })
        .execute();
    }
    await db
      .insertInto("attendance")
      .values(
        MARKS.map(([s, who, status, minutes]) => ({
          id: newId(),
          session_id: sessionIds[s],
          patient_id: patients[who],
          status,
          mode: "in_person",
          minutes,
          note: null,
          local_date: SESSIONS[s].date,
          starts_at: SESSIONS[s].startsAt,
          recorded_by: users.cole,
          recorded_at: SESSIONS[s].endsAt,
        })),
      )
      .execute();
    // The marks went in directly, not through the roll-call save that keeps each session's tally
    // (ADR 0007): recount them, as the large seed does after its bulk load.
    await rebuildSessionTallies(db);
  });
  afterAll(() => t?.destroy());

  it("registers the four reports, each with its definition", () => {
    for (const id of ["attendance-by-group", "attendance-by-week", "required-hours", "billable-days"]) {
      const r = reportById(id);
      expect(r?.id).toBe(id);
      expect(r!.definition.length).toBeGreaterThan(1);
    }
    expect(new Set(REPORTS.map((r) => r.id)).size).toBe(REPORTS.length);
  });

  describe("attendance rate by group", () => {
    it("counts roll-call marks of group sessions by series, leaving out individual, unmarked, cancelled and other-site sessions", async () => {
      // W1–W2 (2026-10-26 … 11-08):
      // Evening Process: sessions with marks e1027, e1029, e1101, e1103, e1105, e1108 = 6 (e1107 has no roll call).
      //   marks 7–15 (9) + 28–35 (8) = 17; attended 7,8,9,10,12,13,14 + 28,29,30,31,32,34 = 13;
      //   excused 11, 33 = 2; unexcused 15, 35 = 2; rate 13/17 = 76.47 -> 76.5.
      // Morning Process: m1026 … m1106 = 6 sessions; marks 1–6 + 20–27 = 14; attended 1,2,3,4,6 + 20,21,22,24,25,26,27 = 12;
      //   unexcused 5, 23 = 2; rate 12/14 = 85.71 -> 85.7.
      // Community Meeting (no track): cm1031 = 1 session; marks 16–18 = 3; attended 16,17 = 2; excused 18; rate 66.7.
      // (Individual sessions ind1031/ind1107 and the other site's z1026 are not groups here.)
      // Total: 27 of 34 attended = 79.41 -> 79.4%, across 6+6+1 = 13 sessions.
      const r = await run(attendanceByGroup);
      expect(r.columns.map((c) => c.label)).toEqual([
        "Group",
        "Track",
        "Sessions held",
        "Marks",
        "Attended",
        "Excused absences",
        "Unexcused absences",
        "Attendance rate",
      ]);
      expect(r.rows).toEqual([
        { group: "Evening Process", track: "Evening IOP", sessions: 6, marks: 17, attended: 13, excused: 2, unexcused: 2, rate: 76.5 },
        { group: "Morning Process", track: "Morning IOP", sessions: 6, marks: 14, attended: 12, excused: 0, unexcused: 2, rate: 85.7 },
        { group: "Community Meeting", track: "No track", sessions: 1, marks: 3, attended: 2, excused: 1, unexcused: 0, rate: 66.7 },
      ]);
      expect(r.summary).toBe("27 of 34 marks attended (79.4%) across 13 sessions with a roll call.");
      expect(r.chart).toMatchObject({ type: "bar", dataKey: "group", unit: "%" });
    });

    it("keeps one caseload's marks with the counselor filter", async () => {
      // Cole's patients: Ann, Cy, Fay.
      // Evening Process — only Fay's marks: 9 P, 12 E, 15 U, 30 P, 33 X -> sessions e1027, e1029, e1101, e1103, e1105 = 5;
      //   marks 5, attended 3, excused 1, unexcused 1, rate 60.0.
      // Morning Process — all but Eve's 24 P and 27 P: 6 sessions, 12 marks, 10 attended, unexcused 5 and 23 = 2, rate 83.3.
      // Community Meeting — 16 Ann P, 18 Cy X: 1 session, 2 marks, 1 attended, 1 excused, rate 50.0.
      // Total 3 + 10 + 1 = 14 of 5 + 12 + 2 = 19 = 73.68 -> 73.7%, 12 sessions.
      const r = await run(attendanceByGroup, { counselorId: users.cole });
      expect(r.rows).toEqual([
        { group: "Evening Process", track: "Evening IOP", sessions: 5, marks: 5, attended: 3, excused: 1, unexcused: 1, rate: 60 },
        { group: "Morning Process", track: "Morning IOP", sessions: 6, marks: 12, attended: 10, excused: 0, unexcused: 2, rate: 83.3 },
        { group: "Community Meeting", track: "No track", sessions: 1, marks: 2, attended: 1, excused: 1, unexcused: 0, rate: 50 },
      ]);
      expect(r.summary).toBe("14 of 19 marks attended (73.7%) across 12 sessions with a roll call.");
    });

    it("keeps the sessions of one track with the track filter (the session's track)", async () => {
      // Morning IOP sessions only: the Community Meeting has no track and goes.
      const r = await run(attendanceByGroup, { trackId: tracks.morning });
      expect(r.rows).toEqual([{ group: "Morning Process", track: "Morning IOP", sessions: 6, marks: 14, attended: 12, excused: 0, unexcused: 2, rate: 85.7 }]);
      // Both filters: Morning IOP sessions and Diaz's patients (Bob, Dee, Eve) leave only Eve's marks 24 P and 27 P -> m1104, m1106.
      const eve = await run(attendanceByGroup, { trackId: tracks.morning, counselorId: users.diaz });
      expect(eve.rows).toEqual([{ group: "Morning Process", track: "Morning IOP", sessions: 2, marks: 2, attended: 2, excused: 0, unexcused: 0, rate: 100 }]);
    });

    it("joins both one-off Community Meetings under one title across a longer range, and counts the other site only there", async () => {
      // 2026-10-26 … 2027-03-21, Community Meeting: cm1031 (16 P, 17 P, 18 X) + cm0314 (52 P, 53 P, 54 U) = 2 sessions, 6 marks, 4 attended, 1 X, 1 U, 66.7.
      const r = await run(attendanceByGroup, { from: "2026-10-26", to: "2027-03-21" });
      expect(r.rows.find((x) => x.group === "Community Meeting")).toEqual({
        group: "Community Meeting",
        track: "No track",
        sessions: 2,
        marks: 6,
        attended: 4,
        excused: 1,
        unexcused: 1,
        rate: 66.7,
      });
      // The other site has its own one session with Zed present.
      const other = await run(attendanceByGroup, { siteId: otherSiteId, timeZone: "America/Chicago" });
      expect(other.rows).toEqual([{ group: "Morning Process", track: "No track", sessions: 1, marks: 1, attended: 1, excused: 0, unexcused: 0, rate: 100 }]);
    });
  });

  describe("attendance rate by week", () => {
    it("buckets the fall-back weeks by the site's local date", async () => {
      // W1 (2026-10-26): m1026, m1028, m1030, e1027, e1029, e1101 (Sunday 11-01 local, Monday in UTC), cm1031 = 7 sessions;
      //   marks 6 + 9 + 3 = 18; attended 5 (1,2,3,4,6) + 7 (7,8,9,10,12,13,14) + 2 (16,17) = 14 -> 77.78 -> 77.8%.
      //   Evening IOP 7/9 = 77.8; Morning IOP 5/6 = 83.3; No track 2/3 = 66.7.
      // W2 (2026-11-02): m1102, m1104, m1106, e1103, e1105, e1108 = 6 sessions; marks 8 + 8 = 16; attended 7 + 6 = 13 -> 81.25 -> 81.3%.
      //   Evening IOP 6/8 = 75.0; Morning IOP 7/8 = 87.5; No track: no marks -> null.
      // (Bucketing by the UTC date would move e1101 into W2: W1 15 marks, W2 19.)
      const r = await run(attendanceByWeek);
      expect(r.columns.map((c) => c.label)).toEqual([
        "Week of (Monday)",
        "Sessions held",
        "Marks",
        "Attended",
        "Attendance rate",
        "Evening IOP rate",
        "Morning IOP rate",
        "No track rate",
      ]);
      expect(r.rows).toEqual([
        { week: "2026-10-26", sessions: 7, marks: 18, attended: 14, rate: 77.8, track_1: 77.8, track_2: 83.3, track_3: 66.7 },
        { week: "2026-11-02", sessions: 6, marks: 16, attended: 13, rate: 81.3, track_1: 75, track_2: 87.5, track_3: null },
      ]);
      // The same marks as the by-group report: 27 of 34 across 13 sessions.
      expect(r.summary).toBe("27 of 34 marks attended (79.4%) across 13 sessions with a roll call.");
      expect(r.chart).toEqual({
        type: "line",
        dataKey: "week",
        unit: "%",
        series: [{ name: "rate", label: "Attendance rate, all tracks", color: "indigo.6" }],
      });
    });

    it("buckets the spring-forward weeks by the site's local date", async () => {
      // W3 (2027-03-08): m0308, m0310, m0312, e0309, e0311, e0314, cm0314 (Sunday 20:00 EDT, Monday 00:00Z) = 7 sessions;
      //   marks 9 + 6 + 3 = 18; attended 7 (37,38,39,40,41,43,45) + 5 (46,47,48,49,50) + 2 (52,53) = 14 -> 77.8%.
      //   Evening IOP 5/6 = 83.3; Morning IOP 7/9 = 77.8; No track 2/3 = 66.7.
      // W4 (2027-03-15): m0315 (3 P), e0316 (2 P) = 2 sessions, 5 marks, 5 attended -> 100; no track: null. The cancelled m0319 has no marks.
      // Total 19 of 23 = 82.6%, 9 sessions.
      const r = await run(attendanceByWeek, SPRING);
      expect(r.rows).toEqual([
        { week: "2027-03-08", sessions: 7, marks: 18, attended: 14, rate: 77.8, track_1: 83.3, track_2: 77.8, track_3: 66.7 },
        { week: "2027-03-15", sessions: 2, marks: 5, attended: 5, rate: 100, track_1: 100, track_2: 100, track_3: null },
      ]);
      expect(r.summary).toBe("19 of 23 marks attended (82.6%) across 9 sessions with a roll call.");
    });

    it("counts only the days inside the range in a partial week, and filters by track and counselor", async () => {
      // 2026-10-31 … 2026-11-02: cm1031 (Sat; 16 P, 17 P, 18 X) and e1101 (Sun; 13 P, 14 P, 15 U) in W1 -> 2 sessions, 6 marks, 4 attended = 66.7;
      //   Evening IOP 2/3 = 66.7, Morning IOP none -> null, No track 2/3 = 66.7.
      // m1102 (Mon; 20 P, 21 P) in W2 -> 1 session, 2 marks, 2 attended = 100; only Morning IOP has marks.
      const partial = await run(attendanceByWeek, { from: "2026-10-31", to: "2026-11-02" });
      expect(partial.columns.map((c) => c.label).slice(5)).toEqual(["Evening IOP rate", "Morning IOP rate", "No track rate"]);
      expect(partial.rows).toEqual([
        { week: "2026-10-26", sessions: 2, marks: 6, attended: 4, rate: 66.7, track_1: 66.7, track_2: null, track_3: 66.7 },
        { week: "2026-11-02", sessions: 1, marks: 2, attended: 2, rate: 100, track_1: null, track_2: 100, track_3: null },
      ]);
      // Evening IOP only, Diaz's patients (Bob, Dee): W1 e1027 (7,8), e1029 (10, 11 X), e1101 (13,14) -> 3 sessions, 6 marks, 5 attended = 83.3;
      // W2 e1103 (28,29), e1105 (31 L, 32), e1108 (34, 35 U) -> 3 sessions, 6 marks, 5 attended = 83.3.
      const diaz = await run(attendanceByWeek, { trackId: tracks.evening, counselorId: users.diaz });
      expect(diaz.rows).toEqual([
        { week: "2026-10-26", sessions: 3, marks: 6, attended: 5, rate: 83.3, track_1: 83.3 },
        { week: "2026-11-02", sessions: 3, marks: 6, attended: 5, rate: 83.3, track_1: 83.3 },
      ]);
    });
  });

  describe("weeks at required hours", () => {
    it("judges each week by the level in effect each day, prorating partial weeks, in local-date weeks around the fall-back", async () => {
      // W1 (10-26 … 11-01), open all week: Ann, Bob, Cy, Dee, Fay (Eve not yet admitted), all at IOP all week:
      //   Ann IOP adult, min 9: 1 (180) + 3 (180) + 16 (60) + 19 (120) = 540 min = 9 h  -> at (exactly the minimum)
      //   Bob IOP adult, min 9: 7 (180) + 10 (180) + 13 (180, Sunday 11-01 local, Monday in UTC) + 17 (60) = 600 = 10 h -> above
      //   Cy  IOP adolescent (17), min 6: 2 (180) + 4 (150) + 6 (180) = 510 = 8.5 h -> above
      //   Dee IOP (history; her current level is OP), min 9: 8 (180) + 14 (180) = 360 = 6 h -> below
      //   Fay IOP, min 9: 9 (180) + 12 (120) = 300 = 5 h -> below
      //   -> 5 patient-weeks, 3 at or above, 60.0%
      // W2 (11-02 … 11-08), partial weeks prorated by calendar days in care (each day owes 1/7 of its level's minimum):
      //   Ann 20 + 22 + 25 = 540 = 9 h (min 540, whole week) -> at
      //   Bob: IOP Mon–Tue, PHP from Wed 11-04: (2 × 540 + 5 × 1200) / 7 = 7080 / 7 = 1011.43 -> 1012 min;
      //        attended 28 (180) + 31 (120) + 34 (180, Sunday 11-08 local, Monday UTC) + 36 (60) = 540 -> below (partial)
      //   Cy (17, min 360): 21 + 26 = 360 -> at
      //   Dee: OP from Monday 11-02, all week -> no minimum, left out
      //   Eve: admitted Wed 11-04, Wed–Sun 5 days: 540 × 5 / 7 = 385.71 -> 386; attended 24 + 27 = 360 -> below (partial)
      //   Fay: discharged Thu 11-05, Mon–Thu 4 days: 540 × 4 / 7 = 308.57 -> 309; attended 30 (180) + 33 (excused) = 180 -> below (partial)
      //   -> 5 patient-weeks (3 partial), 2 at or above, 40.0%
      // Total 5 of 10 = 50.0%.
      const r = await run(requiredHours);
      expect(r.columns.map((c) => c.label)).toEqual([
        "Week of (Monday)",
        "Patient-weeks",
        "Of which partial (prorated)",
        "At or above required hours",
        "Below required hours",
        "Share at or above",
      ]);
      expect(r.rows).toEqual([
        { week: "2026-10-26", patientWeeks: 5, partial: 0, met: 3, below: 2, share: 60 },
        { week: "2026-11-02", patientWeeks: 5, partial: 3, met: 2, below: 3, share: 40 },
      ]);
      expect(r.summary).toBe("5 of 10 patient-weeks at or above the required hours (50%).");
    });

    it("uses the age on each Monday and the PHP minimum, around the spring-forward, and leaves out a week still under way", async () => {
      // W3 (03-08 … 03-14), open all week: Ann, Bob, Cy, Dee, Eve. Level and age on Monday 03-08:
      //   Ann IOP, min 9: 37 (180) + 40 (180) + 43 (160) + 52 (60, Sunday 03-14 20:00 EDT = Monday 00:00Z) = 580 = 9.67 h -> above
      //   Bob PHP, min 20: 46 + 48 + 50 = 540 = 9 h -> below
      //   Cy 17 (18 on 03-10, after the Monday) -> adolescent, min 6: 38 (180) + 41 (180) + 53 (60) = 420 = 7 h -> above
      //   Dee OP -> left out
      //   Eve IOP, min 9: 39 (180) + 45 (180) = 360 = 6 h -> below
      //   -> 4 patient-weeks, 2 at or above, 50.0%
      // Today Saturday 2027-03-20: W4 (ending Sunday 03-21) is still under way and left out.
      const underway = await run(requiredHours, { ...SPRING, today: "2027-03-20" });
      expect(underway.rows).toEqual([{ week: "2027-03-08", patientWeeks: 4, partial: 0, met: 2, below: 2, share: 50 }]);
      // Today 2027-04-01: W4 (03-15 … 03-21) too, level and age on Monday 03-15:
      //   Ann 55 = 3 h (min 9) below; Bob 58 = 3 h (PHP 20) below; Cy now 18, adult min 9: 56 (180) + 60 (240) = 420 = 7 h -> below
      //   (it would be at or above for an adolescent); Dee OP left out; Eve 57 = 3 h below.
      //   -> 4 patient-weeks, 0 at or above, 0.0%.  Total 2 of 8 = 25.0%.
      const r = await run(requiredHours, SPRING);
      expect(r.rows).toEqual([
        { week: "2027-03-08", patientWeeks: 4, partial: 0, met: 2, below: 2, share: 50 },
        { week: "2027-03-15", patientWeeks: 4, partial: 0, met: 0, below: 4, share: 0 },
      ]);
      expect(r.summary).toBe("2 of 8 patient-weeks at or above the required hours (25%).");
    });

    it("counts a week that overlaps the range whole, even days outside it", async () => {
      // Range Wednesday 10-28 only: W1 is counted whole, the same as above.
      const r = await run(requiredHours, { from: "2026-10-28", to: "2026-10-28" });
      expect(r.rows).toEqual([{ week: "2026-10-26", patientWeeks: 5, partial: 0, met: 3, below: 2, share: 60 }]);
    });

    it("filters by the patient's current track and by counselor", async () => {
      // Evening IOP patients (Bob, Dee, Fay): W1 Bob at, Dee below, Fay below -> 3, 1, 33.3; W2 Bob below and Fay below (both partial), Dee OP -> 2, 0, 0.
      const evening = await run(requiredHours, { trackId: tracks.evening });
      expect(evening.rows).toEqual([
        { week: "2026-10-26", patientWeeks: 3, partial: 0, met: 1, below: 2, share: 33.3 },
        { week: "2026-11-02", patientWeeks: 2, partial: 2, met: 0, below: 2, share: 0 },
      ]);
      // Cole's patients (Ann, Cy, Fay; Zed is at the other site): W1 Ann at, Cy above, Fay below -> 3, 2, 66.7; W2 Ann, Cy at, Fay below (partial) -> 3, 2, 66.7.
      const cole = await run(requiredHours, { counselorId: users.cole });
      expect(cole.rows).toEqual([
        { week: "2026-10-26", patientWeeks: 3, partial: 0, met: 2, below: 1, share: 66.7 },
        { week: "2026-11-02", patientWeeks: 3, partial: 1, met: 2, below: 1, share: 66.7 },
      ]);
      expect(cole.summary).toBe("4 of 6 patient-weeks at or above the required hours (66.7%).");
    });
  });

  describe("billable days by week and payer", () => {
    it("counts patient-days by the level in effect each day (IOP H0015 from 180 minutes, PHP S0201 from 300, OP never) on the site's local date, by payer, around the fall-back", async () => {
      // W1 (10-26 … 11-01), everyone at IOP: attended minutes per patient and local day (≥ 180 billable, H0015):
      //   Ann (Medicaid):   10-26 180 ✓, 10-28 180 ✓, 10-31 60 + 120 = 180 ✓ (in UTC 120 on 10-31 and 60 on 11-01: neither)  -> 3
      //   Bob (Commercial): 10-27 ✓, 10-29 ✓, 11-01 ✓ (Monday in UTC), 10-31 60 ✗                                          -> 3
      //   Cy (Self-pay):    10-26 ✓, 10-28 150 ✗, 10-30 ✓                                                                  -> 2
      //   Dee (Medicare):   10-27 ✓, 11-01 ✓                                                                               -> 2
      //   Fay (Medicaid):   10-27 ✓, 10-29 120 ✗                                                                           -> 1
      //   -> Commercial 3, Medicaid 4, Medicare 2, Self-pay 2, Other 0; total 11. Patient-days with an attended mark: 3+4+3+2+2 = 14.
      // W2 (11-02 … 11-08):
      //   Ann: 11-02, 11-04, 11-06 ✓ -> 3;  Cy: 11-02, 11-06 ✓ -> 2;  Eve (Commercial): 11-04, 11-06 ✓ -> 2;  Fay: 11-03 ✓ -> 1
      //   Bob: 11-03 180 at IOP ✓ (H0015); PHP from 11-04: 11-05 120 ✗, 11-07 60 ✗, 11-08 180 ✗ (a PHP day needs 300) -> 1
      //   Dee: OP from 11-02: 11-03 180 and 11-05 180 are not billable days (OP bills per service) -> 0
      //   -> Commercial 3, Medicaid 4, Medicare 0, Self-pay 2, Other 0; total 9, all H0015. Patient-days: 3+4+2+2+2+1 = 14.
      // Zed (other site) never counts. Total 20 of 28.
      // No note is written in these weeks, so every attended hour is undocumented (the week's attended minutes / 60, one decimal).
      const r = await run(billableDays);
      expect(r.columns.map((c) => c.label)).toEqual([
        "Week of (Monday)",
        "IOP days (H0015)",
        "PHP days (S0201)",
        "Commercial insurance",
        "Medicaid",
        "Medicare",
        "Self-pay",
        "Other",
        "Total billable days",
        "Documented hours",
        "Undocumented hours",
      ]);
      expect(r.rows).toEqual([
        {
          week: "2026-10-26",
          H0015: 11,
          S0201: 0,
          commercial: 3,
          medicaid: 4,
          medicare: 2,
          self_pay: 2,
          other: 0,
          total: 11,
          documented: 0,
          undocumented: 38.5,
        },
        { week: "2026-11-02", H0015: 9, S0201: 0, commercial: 3, medicaid: 4, medicare: 0, self_pay: 2, other: 0, total: 9, documented: 0, undocumented: 39 },
      ]);
      expect(r.summary).toBe(
        "20 billable days (20 IOP H0015, 0 PHP S0201) out of 28 patient-days with an attended mark; OP days bill per service, not per day.",
      );
      expect(r.chart).toMatchObject({ type: "bar", dataKey: "week", stacked: true });
      expect(r.chart?.series.map((s) => s.label)).toEqual(["Commercial insurance", "Medicaid", "Medicare", "Self-pay", "Other"]);
    });

    it("counts the spring-forward weeks by local date", async () => {
      // W3 (03-08 … 03-14):
      //   Ann: 03-08 ✓, 03-10 ✓, 03-12 160 ✗, 03-14 60 ✗ -> 2 (Medicaid)
      //   Bob (PHP): 03-09, 03-11, 03-14 are 180 each, short of a PHP day's 300 -> 0;  Cy: 03-08, 03-10 ✓, 03-14 60 ✗ -> 2 (Self-pay)
      //   Dee (OP): 03-09, 03-11 -> 0;  Eve: 03-08, 03-12 ✓ -> 2 (Commercial)
      //   -> Commercial 2, Medicaid 2, Medicare 0, Self-pay 2; total 6. Patient-days 4+3+3+2+2 = 14.
      // W4 (03-15 … 03-21): Ann 03-15 ✓; Bob 03-16 180 at PHP ✗; Cy 03-15 ✓ and 03-17 (individual, 240) ✓; Dee 03-16 OP ✗; Eve 03-15 ✓
      //   -> Commercial 1, Medicaid 1, Medicare 0, Self-pay 2; total 4. Patient-days 6.
      const r = await run(billableDays, SPRING);
      expect(r.rows).toEqual([
        { week: "2027-03-08", H0015: 6, S0201: 0, commercial: 2, medicaid: 2, medicare: 0, self_pay: 2, other: 0, total: 6, documented: 0, undocumented: 37.7 },
        { week: "2027-03-15", H0015: 4, S0201: 0, commercial: 1, medicaid: 1, medicare: 0, self_pay: 2, other: 0, total: 4, documented: 0, undocumented: 19 },
      ]);
      expect(r.summary).toBe(
        "10 billable days (10 IOP H0015, 0 PHP S0201) out of 20 patient-days with an attended mark; OP days bill per service, not per day.",
      );
    });

    it("filters by counselor and by the patient's current track", async () => {
      // Diaz (Bob, Dee, Eve), W1: Bob 3 Commercial, Dee 2 Medicare -> 5; W2: Bob 1 (Tuesday, still IOP) + Eve 2 Commercial, Dee OP 0 -> 3.
      const diaz = await run(billableDays, { counselorId: users.diaz });
      expect(diaz.rows).toEqual([
        { week: "2026-10-26", H0015: 5, S0201: 0, commercial: 3, medicaid: 0, medicare: 2, self_pay: 0, other: 0, total: 5, documented: 0, undocumented: 16 },
        { week: "2026-11-02", H0015: 3, S0201: 0, commercial: 3, medicaid: 0, medicare: 0, self_pay: 0, other: 0, total: 3, documented: 0, undocumented: 21 },
      ]);
      // Morning IOP patients (Ann, Cy, Eve) — their Community Meeting and individual minutes count too:
      // W1: Ann 3 Medicaid, Cy 2 Self-pay -> 5; W2: Ann 3, Cy 2, Eve 2 Commercial -> 7.
      const morning = await run(billableDays, { trackId: tracks.morning });
      expect(morning.rows).toEqual([
        { week: "2026-10-26", H0015: 5, S0201: 0, commercial: 0, medicaid: 3, medicare: 0, self_pay: 2, other: 0, total: 5, documented: 0, undocumented: 17.5 },
        { week: "2026-11-02", H0015: 7, S0201: 0, commercial: 2, medicaid: 3, medicare: 0, self_pay: 2, other: 0, total: 7, documented: 0, undocumented: 21 },
      ]);
    });

    it("lists a week with attendance but no billable day", async () => {
      // Saturday 10-31 only, Cole's patients: Ann 60 + 120 = 180 ✓ (Medicaid); Cy's mark is an absence (no row). -> 1 of 1.
      // Saturday 11-07 only: Bob's 60-minute individual session -> a row of zeros, 0 of 1.
      expect((await run(billableDays, { from: "2026-10-31", to: "2026-10-31", counselorId: users.cole })).rows).toEqual([
        { week: "2026-10-26", H0015: 1, S0201: 0, commercial: 0, medicaid: 1, medicare: 0, self_pay: 0, other: 0, total: 1, documented: 0, undocumented: 3 },
      ]);
      const sat = await run(billableDays, { from: "2026-11-07", to: "2026-11-07" });
      expect(sat.rows).toEqual([
        { week: "2026-11-02", H0015: 0, S0201: 0, commercial: 0, medicaid: 0, medicare: 0, self_pay: 0, other: 0, total: 0, documented: 0, undocumented: 1 },
      ]);
      expect(sat.summary).toBe(
        "0 billable days (0 IOP H0015, 0 PHP S0201) out of 1 patient-days with an attended mark; OP days bill per service, not per day.",
      );
    });
  });

  it("gives no rows for a range with nothing in it", async () => {
    // June 2026: before anyone was admitted and before any session.
    for (const report of [attendanceByGroup, attendanceByWeek, requiredHours, billableDays]) {
      const r = await run(report, { from: "2026-06-01", to: "2026-06-30" });
      expect(r.rows, report.id).toEqual([]);
      expect(r.summary, report.id).toBeUndefined();
    }
    // Required hours with no finished week in the range (today is the range's Wednesday).
    expect((await run(requiredHours, { from: "2026-10-26", to: "2026-10-28", today: "2026-10-28" })).rows).toEqual([]);
  });
});
