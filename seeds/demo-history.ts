/**
 * The demo clinic's past year: about a hundred and twenty people admitted over the year and
 * discharged before last week, with every TEDS discharge reason, a few re-admissions, and their
 * roll calls for every group of their track while they were in it. This is what makes the outcome
 * reports (retention at 30/60/90 days, length of stay, discharges by reason) read like a clinic's.
 *
 * Written through the app's own repositories (enroll, diagnose, change level, discharge, re-admit,
 * take roll; each stay's consent, drug tests and individual sessions in demo-history-care.ts), so
 * the audit log shows how each chart came to be. Two things no screen writes are
 * written here directly, as demo-patients.ts does for its rosters: the track a past patient was in
 * and the past sessions' rosters. (Enrolling with a track puts a patient on the track's groups from
 * today on, and their discharge would then leave every future group: the demo's groups would list
 * a hundred people who "left" next week's sessions.)
 *
 * Deterministic (a fixed random seed) and counted back from the day it runs, like the rest of the
 * demo. Nobody here is open today, and nobody was discharged this week or last: the current
 * caseload, Home's weekly counts and the tests that read them see the same clinic as before.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { saveRollCall, type MarkInput } from "../app/features/attendance/attendance.server";
import type { AttendanceStatus } from "../app/features/attendance/rules";
import { addDiagnosis, addMatEpisode } from "../app/features/patients/clinical.server";
import { ICD10_CODES } from "../app/features/patients/icd10-codes";
import { changeLevelOfCare, dischargePatient, enrollPatient, readmitPatient } from "../app/features/patients/patients.server";
import type { DISCHARGE_REASONS, LevelOfCare, NEXT_LEVELS } from "../app/features/patients/rules";
import { addDays, daysBetween, startOfDayUtc, weekdayOf } from "../app/kernel/time";
import { newId } from "../app/utils/ids";
import { pastCare } from "./demo-history-care";
import { seededRandom } from "./demo-patients";
import { DEMO_SITE } from "./demo-people";
import { MAT_DETAILS, MENTAL_HEALTH_CODES, PAYERS, PRESCRIBERS, SUD_DIAGNOSES } from "./pools";

/** How far back the demo's history goes: 52 weeks, so the groups' weekdays line up with today's. */
export const DEMO_HISTORY_DAYS = 364;

type Reason = keyof typeof DISCHARGE_REASONS;

/**
 * Reasons for discharge and lengths of stay from TEDS 2004, discharges from intensive outpatient
 * treatment (SAMHSA, Treatment Episode Data Set, 2004 discharges, Table 2.5 and Table 4.11;
 * drugabusestatistics.samhsa.gov/TEDSdischarges/2k4/TEDSD2k4Tbl2.5.htm and …Tbl4.11.htm):
 * completed 37.7 %, transferred 17.9 %, dropped out 23.2 %, terminated by the facility 14.0 %,
 * other 7.2 %; median length of stay 41 days overall — completed 50, transferred 42, dropped out
 * 26, terminated 36, other 36. TEDS 2004 folds incarceration and death into "other"; the app
 * records them apart (its seven reasons), so "other" is split 3 / 1 / 3.2 here, with its median.
 * Shares are per hundred discharges; each stay is drawn around its reason's median (log-normal,
 * a little skewed to longer stays, as TEDS notes averages run above medians).
 */
export const TEDS_IOP_2004: Record<Reason, { per100: number; medianDays: number }> = {
  completed: { per100: 38, medianDays: 50 },
  transferred: { per100: 18, medianDays: 42 },
  left_before_completion: { per100: 23, medianDays: 26 },
  discharged_by_program: { per100: 14, medianDays: 36 },
  incarcerated: { per100: 3, medianDays: 36 },
  died: { per100: 1, medianDays: 36 },
  other: { per100: 3, medianDays: 36 },
};

/** Past patients' names: none shared with the current caseload, the large seed's mix, or the names tests search for. */
const FIRST = [
  "Alicia", "Bernard", "Colleen", "Darius", "Elaine", "Felix", "Gloria", "Hassan", "Irene", "Jerome", "Kristen", "Leon",
  "Monique", "Nathan", "Olivia", "Pedro", "Renee", "Stephen", "Tanya", "Wesley", "Yolanda", "Zachary", "Bianca", "Curtis",
  "Dolores", "Ernesto", "Francine", "Gabriel", "Helena", "Isaac", "Janelle", "Kareem", "Lorena", "Malik", "Naomi", "Rafael",
] as const; // prettier-ignore
const LAST = [
  "Adler", "Bennett", "Carver", "Dominguez", "Eastman", "Ferreira", "Gutierrez", "Hale", "Ivanova", "Jacobs", "Kaplan", "Lindgren",
  "Mercado", "Nolan", "Ortega", "Pham", "Rasmussen", "Salazar", "Tran", "Valdez", "Weber", "Yamamoto", "Zielinski", "Barrett",
  "Cardenas", "Donovan", "Espinoza", "Fischer", "Grant", "Holloway", "Irwin", "Juarez",
] as const; // prettier-ignore

const NEXT_LEVEL: Record<Reason, keyof typeof NEXT_LEVELS> = {
  completed: "OP",
  transferred: "residential",
  left_before_completion: "IOP",
  discharged_by_program: "IOP",
  incarcerated: "IOP",
  died: "none",
  other: "IOP",
};

const NOTES: Partial<Record<Reason, string[]>> = {
  transferred: ["Relapsed twice in two weeks; transferred to short-term residential.", "Moved to Albany; care transferred to an IOP near home."],
  discharged_by_program: ["Repeated threats toward peers after two written warnings.", "Brought alcohol to group; behavioral contract not kept."],
  incarcerated: ["Arrested on an outstanding warrant; counselor informed by probation."],
  died: ["Family notified the program. Case reviewed at the mortality review meeting."],
  other: ["Lost insurance coverage and declined self-pay.", "Moved out of state for work."],
};

interface Stay {
  trackId: string;
  level: LevelOfCare;
  admittedOn: string;
  dischargedOn: string;
  reason: Reason;
  /** A PHP stay that stepped down to IOP: the day, and the IOP track. */
  stepDown?: { on: string; trackId: string };
}

interface PastPatient {
  index: number;
  stays: Stay[];
}

type Random = ReturnType<typeof seededRandom>;

/** A standard normal draw (Box–Muller) from the seeded generator. */
const gaussian = (rnd: Random) => Math.sqrt(-2 * Math.log(1 - rnd.next())) * Math.cos(2 * Math.PI * rnd.next());

/** A seeded Fisher–Yates shuffle (a copy). */
function shuffled<T>(items: readonly T[], rnd: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export async function seedDemoHistory(
  db: Kysely<Database>,
  clinic: { siteId: string; users: Record<string, { id: string; name: string; role: string }> },
  timeZone: string,
  today: string,
): Promise<{ patients: number; episodes: number; rollCalls: number }> {
  const rnd = seededRandom(20250601);
  const site = { id: clinic.siteId, time_zone: timeZone };
  const siteIds = [clinic.siteId];
  const meta = { ip: null, userAgent: "demo seed" };
  const counselors = Object.values(clinic.users).filter((u) => u.role === "counselor");
  const staff = Object.values(clinic.users).filter((u) => u.role === "staff");

  // The tracks, how many each of their groups holds, and who is in them on each day already.
  const tracks = await db
    .selectFrom("tracks as t")
    .innerJoin("group_series as g", "g.track_id", "t.id")
    .select(["t.id", "t.name", "t.level_of_care", (eb) => eb.fn.min<number>("g.capacity").as("capacity")])
    .where("t.site_id", "=", clinic.siteId)
    .where("g.auto_enroll", "=", 1)
    .groupBy(["t.id", "t.name", "t.level_of_care"])
    .execute();
  const byName = new Map(tracks.map((t) => [t.name, t]));
  const occupied = new Map<string, Map<string, number>>(tracks.map((t) => [t.id, new Map()]));
  const occupy = (trackId: string, from: string, to: string, by = 1) => {
    const days = occupied.get(trackId)!;
    for (let d = from; d <= to; d = addDays(d, 1)) days.set(d, (days.get(d) ?? 0) + by);
  };
  const fits = (trackId: string, from: string, to: string) => {
    const cap = Number(tracks.find((t) => t.id === trackId)!.capacity) - 1; // a seat kept free in every group
    const days = occupied.get(trackId)!;
    for (let d = from; d <= to; d = addDays(d, 1)) if ((days.get(d) ?? 0) >= cap) return false;
    return true;
  };
  const current = await db
    .selectFrom("patient_tracks as pt")
    .innerJoin("patients as p", "p.id", "pt.patient_id")
    .select(["pt.track_id", "pt.starts_on", "pt.ends_on"])
    .where("p.site_id", "=", clinic.siteId)
    .execute();
  for (const m of current) occupy(m.track_id, m.starts_on, m.ends_on ?? addDays(today, 28));

  // The plan: admissions on weekdays over the year; each stay drawn for its reason. A stay that
  // would reach into the last week is not written — such patients are the current caseload.
  const lastDischarge = addDays(today, -7);
  const first = addDays(today, -DEMO_HISTORY_DAYS);
  const deck = Object.entries(TEDS_IOP_2004).flatMap(([reason, r]) => Array<Reason>(r.per100).fill(reason as Reason));
  const reasons: Reason[] = [];
  const nextReason = () => {
    if (!reasons.length) reasons.push(...shuffled(deck, rnd));
    return reasons.shift()!;
  };
  const planStay = (admittedOn: string): Stay | null => {
    const reason = nextReason();
    const days = Math.round(TEDS_IOP_2004[reason].medianDays * Math.exp(0.6 * gaussian(rnd)));
    const dischargedOn = addDays(admittedOn, Math.min(180, Math.max(reason === "completed" ? 28 : 3, days)));
    const levelRoll = rnd.next();
    const level: LevelOfCare = levelRoll < 0.68 ? "IOP" : levelRoll < 0.84 ? "PHP" : "OP";
    const candidates = level === "IOP" ? shuffled(["Morning IOP", "Evening IOP", "Weekend IOP"], rnd) : level === "PHP" ? ["PHP Day"] : ["OP Weekly"];
    if (dischargedOn > lastDischarge) {
      reasons.unshift(reason); // the next admission takes this reason: the rare ones are not lost at the year's end
      return null;
    }
    for (const name of candidates) {
      const track = byName.get(name)!;
      const stepOn = name === "PHP Day" && daysBetween(admittedOn, dischargedOn) > 24 && rnd.chance(0.6) ? addDays(admittedOn, rnd.int(12, 20)) : null;
      const iop = byName.get("Morning IOP")!;
      if (stepOn ? fits(track.id, admittedOn, addDays(stepOn, -1)) && fits(iop.id, stepOn, dischargedOn) : fits(track.id, admittedOn, dischargedOn)) {
        if (stepOn) {
          occupy(track.id, admittedOn, addDays(stepOn, -1));
          occupy(iop.id, stepOn, dischargedOn);
        } else occupy(track.id, admittedOn, dischargedOn);
        return {
          trackId: track.id,
          level: track.level_of_care as LevelOfCare,
          admittedOn,
          dischargedOn,
          reason,
          stepDown: stepOn ? { on: stepOn, trackId: iop.id } : undefined,
        };
      }
    }
    reasons.unshift(reason);
    return null;
  };
  const plan: PastPatient[] = [];
  for (let d = first; d <= addDays(today, -21); d = addDays(d, 1)) {
    if (weekdayOf(d) === "sat" || weekdayOf(d) === "sun" || !rnd.chance(0.5)) continue;
    const stay = planStay(d);
    if (stay) plan.push({ index: plan.length, stays: [stay] });
  }
  // A few come back: after leaving early, being discharged by the program or (once) after completing.
  for (const p of plan) {
    const [stay] = p.stays;
    const again =
      (stay.reason === "left_before_completion" && rnd.chance(0.25)) ||
      (stay.reason === "discharged_by_program" && rnd.chance(0.2)) ||
      (stay.reason === "completed" && rnd.chance(0.04));
    if (!again) continue;
    const back = planStay(addDays(stay.dischargedOn, rnd.int(21, 100)));
    if (back) p.stays.push(back);
  }

  // Writing it: one patient at a time, through the repositories.
  let episodes = 0;
  const describe = (code: string) => ICD10_CODES.find((c) => c.code === code)?.description ?? code;
  const names = FIRST.flatMap((f, i) => LAST.map((l, j) => [f, l, (i * 7 + j * 11) % 97] as const))
    .sort((a, b) => a[2] - b[2] || a[0].localeCompare(b[0]))
    .map(([f, l]) => [f, l] as const);
  const care = await pastCare(db, clinic, timeZone, DEMO_SITE.name);
  for (const p of plan) {
    const counselor = counselors[p.index % counselors.length];
    const actor = { id: counselor.id, name: counselor.name };
    const [firstName, lastName] = names[p.index];
    const [stay] = p.stays;
    const payer = rnd.pick(PAYERS);
    const sud = rnd.pick(SUD_DIAGNOSES);
    const enrolled = await enrollPatient(
      db,
      actor,
      {
        legalFirstName: firstName,
        legalLastName: lastName,
        preferredName: undefined,
        genderIdentity: undefined,
        email: undefined,
        // Enrolled without a track: the past membership and its rosters are written below (see the top).
        trackId: undefined,
        detoxCompletedOn: undefined,
        dateOfBirth: addDays(today, -(rnd.int(19, 64) * 365 + rnd.int(10, 350))),
        sex: rnd.chance(0.5) ? "female" : "male",
        phone: `(929) 555-${String(3000 + p.index * 53).slice(-4)}`,
        address: `${20 + p.index * 7} ${rnd.pick(["Fulton Street", "Nostrand Ave", "Court Street", "Bedford Ave", "Atlantic Ave"])}, Brooklyn, NY 112${String(
          (p.index % 38) + 1,
        ).padStart(2, "0")}`,
        emergencyContactName: `${rnd.pick(["Ruth", "Daniel", "Marisol", "George", "Yvonne"])} ${lastName}`,
        emergencyContactRelationship: rnd.pick(["Mother", "Brother", "Spouse", "Aunt", "Friend"]),
        emergencyContactPhone: `(347) 555-${String(5000 + p.index * 29).slice(-4)}`,
        preferredLanguage: p.index % 8 === 5 ? "Spanish" : "English",
        primaryCounselorId: counselor.id,
        payerType: payer,
        payerPlan:
          payer === "commercial"
            ? "Empire BCBS PPO"
            : payer === "medicaid"
              ? "NY Medicaid Managed Care — Healthfirst"
              : payer === "medicare"
                ? "Medicare Part B"
                : undefined,
        payerMemberId: payer === "self_pay" ? undefined : `${payer.slice(0, 3).toUpperCase()}${300000 + p.index * 6917}`,
        detoxStatus: "not_needed",
        part2NoticeOn: stay.admittedOn,
        siteId: clinic.siteId,
        referralSource: rnd.pick(["self", "court", "employer", "inpatient_step_down", "detox", "physician", "self"] as const),
        admittedOn: stay.admittedOn,
        levelOfCare: stay.level,
        initialStatus: "active",
        confirmDuplicate: "yes",
      },
      siteIds,
      meta,
    );
    if (!enrolled.ok) throw new Error(`demo history patient ${firstName} ${lastName} was refused: ${JSON.stringify(enrolled)}`);
    const id = enrolled.id;
    const check = (what: string, r: { ok: boolean }) => {
      if (!r.ok) throw new Error(`demo history: ${what} for ${firstName} ${lastName} was refused: ${JSON.stringify(r)}`);
    };
    check("diagnosis", await addDiagnosis(db, actor, id, { code: sud.code, description: describe(sud.code), isPrimary: "yes" }, siteIds, meta));
    if (rnd.chance(0.55)) {
      const mh = rnd.pick(MENTAL_HEALTH_CODES);
      check("diagnosis", await addDiagnosis(db, actor, id, { code: mh, description: describe(mh) }, siteIds, meta));
    }
    const med = rnd.pick(sud.mat);
    if (med) {
      const m = MAT_DETAILS[med];
      const mat = { medication: med, formulation: m.formulation, dose: m.dose, schedule: m.schedule, setting: m.setting };
      check(
        "MAT",
        await addMatEpisode(db, actor, id, { ...mat, prescriber: rnd.pick(PRESCRIBERS), startedOn: addDays(stay.admittedOn, -rnd.int(0, 40)) }, siteIds, meta),
      );
    }
    const chart = await db
      .selectFrom("patients as pt")
      .innerJoin("patient_episodes as e", "e.id", "pt.current_episode_id")
      .select(["pt.payer_type", "pt.payer_plan", "pt.emergency_contact_name", "pt.emergency_contact_relationship", "e.referral_source"])
      .where("pt.id", "=", id)
      .executeTakeFirstOrThrow();
    let referral = chart.referral_source ?? "self";
    const version = async () => Number((await db.selectFrom("patients").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version);
    for (const [n, s] of p.stays.entries()) {
      if (n > 0) {
        const referralSource = rnd.pick(["self", "court", "physician"] as const);
        referral = referralSource;
        check(
          "re-admission",
          await readmitPatient(
            db,
            actor,
            id,
            { version: await version(), admittedOn: s.admittedOn, referralSource, levelOfCare: s.level, initialStatus: "active" },
            siteIds,
            meta,
          ),
        );
      }
      const firstTrackUntil = s.stepDown ? addDays(s.stepDown.on, -1) : s.dischargedOn;
      await joinPastTrack(db, id, s.trackId, s.admittedOn, firstTrackUntil, actor.id, s.stepDown ? "Moved to Morning IOP" : null);
      if (s.stepDown) {
        const reason = "Stable for two weeks: no withdrawal, attending daily, step down to IOP per ASAM dimension review.";
        check(
          "step-down",
          await changeLevelOfCare(db, actor, id, { version: await version(), levelOfCare: "IOP", effectiveOn: s.stepDown.on, reason }, siteIds, meta),
        );
        await joinPastTrack(db, id, s.stepDown.trackId, s.stepDown.on, s.dischargedOn, actor.id, null);
      }
      // The stay's consent, drug tests and individual sessions, written while it is open.
      await care.record({
        patientId: id,
        counselor: actor,
        admittedOn: s.admittedOn,
        dischargedOn: s.dischargedOn,
        reason: s.reason,
        referralSource: referral,
        payerType: chart.payer_type,
        payerPlan: chart.payer_plan ?? undefined,
        emergencyContact: chart.emergency_contact_name
          ? { name: chart.emergency_contact_name, relationship: chart.emergency_contact_relationship ?? "family" }
          : undefined,
        sudCode: sud.code,
        medication: med ?? null,
      });
      const completed = s.reason === "completed";
      const discharged = await dischargePatient(
        db,
        actor,
        id,
        {
          version: await version(),
          dischargedOn: s.dischargedOn,
          reason: s.reason,
          nextLevelOfCare: NEXT_LEVEL[s.reason],
          stepDownProvider: completed
            ? "Riverside Community Counseling (weekly OP)"
            : s.reason === "transferred"
              ? "Bridge Back Residential, Kingston NY"
              : undefined,
          mutualHelp: completed ? ["aa", "smart"] : s.reason === "left_before_completion" ? ["na"] : [],
          alumniProgram: completed ? "yes" : undefined,
          soberLivingReferral: completed && rnd.chance(0.3) ? "yes" : undefined,
          followUpOn: completed || s.reason === "transferred" ? addDays(s.dischargedOn, 7) : undefined,
          note: NOTES[s.reason] ? rnd.pick(NOTES[s.reason]!) : undefined,
        },
        siteIds,
        meta,
      );
      check("discharge", discharged);
      episodes++;
    }
  }

  const rollCalls = await takePastRoll(db, site, staff, today, rnd);
  return { patients: plan.length, episodes, rollCalls };
}

/**
 * A past membership of a track (from `from` to `to`) and the rosters of its groups' sessions in it —
 * what enrollment, had it happened on the day, would have written. Without an end reason the
 * membership is left open for the discharge to close, as in use.
 */
async function joinPastTrack(db: Kysely<Database>, patientId: string, trackId: string, from: string, to: string, createdBy: string, endReason: string | null) {
  const now = new Date().toISOString();
  await db
    .insertInto("patient_tracks")
    .values({
      id: newId(),
      patient_id: patientId,
      track_id: trackId,
      starts_on: from,
      ends_on: endReason ? to : null,
      end_reason: endReason,
      created_by: createdBy,
      created_at: now,
    })
    .execute();
  const sessions = await db
    .selectFrom("sessions as s")
    .innerJoin("group_series as g", "g.id", "s.series_id")
    .select(["s.id", "s.starts_at"])
    .where("g.track_id", "=", trackId)
    .where("g.auto_enroll", "=", 1)
    .where("s.local_date", ">=", from)
    .where("s.local_date", "<=", to)
    .where("s.starts_at", "<", now)
    .execute();
  const rows = sessions.map((s) => ({
    id: newId(),
    session_id: s.id,
    patient_id: patientId,
    source: "track",
    joined_at: s.starts_at,
    left_at: null,
    left_reason: null,
  }));
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto("session_participants")
      .values(rows.slice(i, i + 200))
      .execute();
}

/**
 * Roll calls for the past: every discharged patient on a past session's roster gets a mark, taken
 * through the same save as in use (sessions whose roll the eight-week seed already took get the
 * marks added). Most come; some are late or leave early; in their last ten days those who dropped
 * out or were taken into custody mostly stop coming.
 */
async function takePastRoll(db: Kysely<Database>, site: { id: string; time_zone: string }, staff: { id: string; name: string }[], today: string, rnd: Random) {
  const meta = { ip: null, userAgent: "demo seed" };
  const unmarked = await db
    .selectFrom("session_participants as sp")
    .innerJoin("sessions as s", "s.id", "sp.session_id")
    .innerJoin("patients as p", "p.id", "sp.patient_id")
    .innerJoin("patient_episodes as e", (j) =>
      j.onRef("e.patient_id", "=", "p.id").onRef("e.admitted_on", "<=", "s.local_date").onRef("e.discharged_on", ">=", "s.local_date"),
    )
    .leftJoin("attendance as a", (j) => j.onRef("a.session_id", "=", "s.id").onRef("a.patient_id", "=", "p.id"))
    .leftJoin("roll_calls as rc", "rc.session_id", "s.id")
    .select(["s.id", "s.local_date", "s.starts_at", "s.ends_at", "s.modality", "sp.patient_id", "e.discharged_on", "e.discharge_reason", "rc.version"])
    .where("s.site_id", "=", site.id)
    .where("s.status", "=", "scheduled")
    .where("s.starts_at", "<", startOfDayUtc(today, site.time_zone))
    .where("sp.left_at", "is", null)
    .where("p.status", "=", "discharged")
    .where("a.id", "is", null)
    .orderBy("s.starts_at")
    .orderBy("sp.patient_id")
    .execute();
  const bySession = new Map<string, typeof unmarked>();
  for (const r of unmarked) bySession.set(r.id, [...(bySession.get(r.id) ?? []), r]);
  let taken = 0;
  for (const [sessionId, rows] of bySession) {
    const s = rows[0];
    const minutes = Math.round((Date.parse(s.ends_at) - Date.parse(s.starts_at)) / 60_000);
    const marks: MarkInput[] = rows.map((r) => {
      const fading = ["left_before_completion", "incarcerated"].includes(r.discharge_reason ?? "") && daysBetween(r.local_date, r.discharged_on!) < 10;
      const roll = rnd.next();
      let status: AttendanceStatus = "present";
      let mins: number | undefined;
      let note: string | undefined;
      if (fading ? roll < 0.75 : roll < 0.06) status = "absent_unexcused";
      else if (roll < 0.1 && !fading) {
        status = "absent_excused";
        note = rnd.pick(["Medical appointment", "Childcare fell through", "Court date", "Called in sick"]);
      } else if (roll < 0.14 && !fading) {
        status = "late";
        mins = minutes - rnd.pick([10, 15, 20, 30]);
        note = rnd.pick(["Bus was late", "Traffic", "Work ran over"]);
      } else if (roll < 0.16 && !fading) {
        status = "left_early";
        mins = minutes - rnd.pick([15, 30]);
        note = rnd.pick(["Left for work shift", "Picked up child from school"]);
      }
      return { patientId: r.patient_id, status, mode: s.modality === "telehealth" ? "telehealth" : "in_person", minutes: mins, note };
    });
    const taker = staff[taken % staff.length];
    const result = await saveRollCall(
      db,
      { id: taker.id, name: taker.name },
      sessionId,
      { version: s.version === null ? 0 : Number(s.version), marks },
      site,
      meta,
    );
    if (!result.ok) throw new Error(`demo history roll call was refused: ${JSON.stringify(result)}`);
    taken++;
  }
  return taken;
}
