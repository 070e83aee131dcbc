/**
 * The demo clinic's patients: about forty people across IOP, PHP and OP, the morning, evening and
 * weekend tracks, with realistic diagnoses (most with a co-occurring mental-health condition),
 * MAT episodes, step-downs, and discharges with every TEDS reason. Deterministic: a fixed random
 * seed, and dates counted back from the day it runs so the demo always looks current.
 * Written through the app's own repositories, so the audit log shows how each chart came to be.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { addDiagnosis, addMatEpisode } from "../app/features/patients/clinical.server";
import { ICD10_CODES } from "../app/features/patients/icd10-codes";
import { changeLevelOfCare, changeStatus, dischargePatient, enrollPatient } from "../app/features/patients/patients.server";
import { assignTrack } from "../app/features/scheduling/enrollment.server";
import { addDays } from "../app/kernel/time";
import { newId } from "../app/utils/ids";
import type { LevelOfCare } from "../app/features/patients/rules";
import { FIRST_NAMES, LAST_NAMES, MAT_DETAILS, MENTAL_HEALTH_CODES, PAYERS, PRESCRIBERS, SUD_DIAGNOSES } from "./pools";

/** mulberry32: a tiny seeded generator, so every run makes the same clinic. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

const TRACKS: Record<LevelOfCare, string[]> = { IOP: ["Morning IOP", "Evening IOP", "Weekend IOP"], PHP: ["PHP Day"], OP: ["OP Weekly"] };
const DISCHARGE_REASONS = [
  "completed",
  "completed",
  "completed",
  "transferred",
  "left_before_completion",
  "left_before_completion",
  "discharged_by_program",
  "incarcerated",
  "died",
  "other",
] as const;

const describe = (code: string) => ICD10_CODES.find((c) => c.code === code)?.description ?? code;

export async function seedDemoPatients(
  db: Kysely<Database>,
  clinic: { siteId: string; users: Record<string, { id: string; name: string; role: string }> },
  today: string,
): Promise<number> {
  const rnd = seededRandom(20261127);
  const counselors = Object.values(clinic.users).filter((u) => u.role === "counselor");
  const meta = { ip: null, userAgent: "demo seed" };
  const siteIds = [clinic.siteId];
  let made = 0;
  const trackIds = Object.fromEntries(
    (await db.selectFrom("tracks").select(["id", "name"]).where("site_id", "=", clinic.siteId).execute()).map((t) => [t.name, t.id]),
  );
  for (let i = 0; i < 40; i++) {
    const counselor = counselors[i % counselors.length];
    const actor = { id: counselor.id, name: counselor.name };
    const discharged = i >= 30; // the last ten, one per reason (completed three times)
    const adolescent = i === 4 || i === 17;
    const levelRoll = rnd.next();
    let level: LevelOfCare = levelRoll < 0.65 ? "IOP" : levelRoll < 0.82 ? "PHP" : "OP";
    if (adolescent) level = "IOP";
    const admittedOn = discharged ? addDays(today, -rnd.int(70, 220)) : addDays(today, -rnd.int(2, 75));
    const age = adolescent ? rnd.int(15, 17) : rnd.int(20, 62);
    const dob = addDays(today, -(age * 365 + rnd.int(10, 350)));
    const sud = rnd.pick(SUD_DIAGNOSES);
    const payer = rnd.pick(PAYERS);
    const first = FIRST_NAMES[i];
    const last = LAST_NAMES[i];
    // A discharged patient's track is written as it was (pastTrack below), not joined today:
    // enrolling them with it would put them on every group from today on, and their discharge
    // (months ago) would then list them as having "left" a month of sessions still ahead.
    let pastTrackId: string | undefined;
    const trackAtIntake = (trackId: string) => {
      if (!discharged) return trackId;
      pastTrackId = trackId;
      return undefined;
    };
    const enrolled = await enrollPatient(
      db,
      actor,
      {
        legalFirstName: first,
        legalLastName: last,
        preferredName: i % 9 === 2 ? first.slice(0, 3) : undefined,
        dateOfBirth: dob,
        sex: i % 2 === 0 ? "female" : "male",
        genderIdentity: i === 11 ? "Non-binary" : undefined,
        phone: `(718) 555-${String(1000 + i * 37).slice(0, 4)}`,
        email: i % 3 === 0 ? `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, "")}@example.com` : undefined,
        address: `${100 + i * 13} ${rnd.pick(["Maple Ave", "Bay Street", "Linden Blvd", "Park Place", "Ocean Pkwy"])}, Brooklyn, NY 112${String(10 + i).padStart(2, "0")}`,
        emergencyContactName: `${rnd.pick(["Linda", "Robert", "Carmen", "James", "Patricia"])} ${last}`,
        emergencyContactRelationship: rnd.pick(["Mother", "Father", "Spouse", "Sister", "Partner"]),
        emergencyContactPhone: `(347) 555-${String(2000 + i * 41).slice(0, 4)}`,
        preferredLanguage: i % 7 === 3 ? "Spanish" : "English",
        trackId: trackAtIntake(trackIds[rnd.pick(TRACKS[level])]),
        primaryCounselorId: counselor.id,
        payerType: payer,
        payerPlan:
          payer === "commercial"
            ? rnd.pick(["Aetna Choice POS II", "Empire BCBS PPO", "UnitedHealthcare Choice Plus"])
            : payer === "medicaid"
              ? "NY Medicaid Managed Care — Fidelis"
              : payer === "medicare"
                ? "Medicare Part B"
                : undefined,
        payerMemberId: payer === "self_pay" ? undefined : `${payer.slice(0, 3).toUpperCase()}${100000 + i * 7919}`,
        detoxStatus: sud.code.startsWith("F10") || sud.code.startsWith("F11") ? (rnd.chance(0.5) ? "completed" : "not_needed") : "not_needed",
        detoxCompletedOn: undefined,
        part2NoticeOn: i === 7 ? undefined : admittedOn,
        siteId: clinic.siteId,
        referralSource: rnd.pick(["self", "court", "employer", "inpatient_step_down", "detox", "physician", "self"] as const),
        admittedOn,
        levelOfCare: level,
        initialStatus: i === 28 || i === 29 ? "referred" : "active",
        confirmDuplicate: "yes",
      },
      siteIds,
      meta,
    );
    if (!enrolled.ok) throw new Error(`demo patient ${first} ${last} was refused: ${JSON.stringify(enrolled)}`);
    const id = enrolled.id;
    made++;
    if (pastTrackId) await pastTrack(db, id, pastTrackId, admittedOn, actor.id);
    // Detox completed shortly before admission, where it applied.
    await db
      .updateTable("patients")
      .set({ detox_completed_on: addDays(admittedOn, -rnd.int(2, 9)) })
      .where("id", "=", id)
      .where("detox_status", "=", "completed")
      .execute();

    await addDiagnosis(
      db,
      actor,
      id,
      { code: sud.code, description: describe(sud.code), isPrimary: "yes", onsetOn: addDays(admittedOn, -rnd.int(200, 3000)) },
      siteIds,
      meta,
    );
    if (rnd.chance(0.65)) {
      const mh = rnd.pick(MENTAL_HEALTH_CODES);
      await addDiagnosis(db, actor, id, { code: mh, description: describe(mh), onsetOn: addDays(admittedOn, -rnd.int(300, 4000)) }, siteIds, meta);
    }
    if (rnd.chance(0.15)) await addDiagnosis(db, actor, id, { code: "F17.210", description: describe("F17.210") }, siteIds, meta);

    const med = rnd.pick(sud.mat);
    if (med) {
      const d = MAT_DETAILS[med];
      await addMatEpisode(
        db,
        actor,
        id,
        {
          medication: med,
          formulation: d.formulation,
          dose: d.dose,
          schedule: d.schedule,
          prescriber: rnd.pick(PRESCRIBERS),
          setting: d.setting,
          startedOn: addDays(admittedOn, -rnd.int(0, 60)),
        },
        siteIds,
        meta,
      );
    }

    const version = async () => Number((await db.selectFrom("patients").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version);
    const moveTrack = async (patientId: string, track: string, on: string) => {
      const moved = await assignTrack(db, actor, patientId, { trackId: trackIds[track], effectiveOn: on, version: await version() }, siteIds, meta);
      if (!moved.ok) throw new Error(`demo track move to ${track} was refused: ${JSON.stringify(moved)}`);
    };
    // Some PHP patients have already stepped down to IOP; a few IOP patients to OP.
    if (level === "PHP" && rnd.chance(0.5)) {
      const on = addDays(admittedOn, rnd.int(10, 20));
      if (on <= today) {
        await changeLevelOfCare(
          db,
          actor,
          id,
          {
            version: await version(),
            levelOfCare: "IOP",
            effectiveOn: on,
            reason: "Stable for two weeks: no withdrawal, attending daily, step down to IOP per ASAM dimension review.",
          },
          siteIds,
          meta,
        );
        if (discharged) await pastTrack(db, id, trackIds["Morning IOP"], on, actor.id, "Moved to Morning IOP");
        else await moveTrack(id, "Morning IOP", on);
      }
    } else if (level === "IOP" && !discharged && rnd.chance(0.15)) {
      const on = addDays(admittedOn, rnd.int(20, 40));
      if (on <= today) {
        await changeLevelOfCare(
          db,
          actor,
          id,
          { version: await version(), levelOfCare: "OP", effectiveOn: on, reason: "Met IOP goals; employment resumed. Step down to weekly OP." },
          siteIds,
          meta,
        );
        await moveTrack(id, "OP Weekly", on);
      }
    }
    if (i === 26) {
      await changeStatus(
        db,
        actor,
        id,
        { version: await version(), status: "on_hold", effectiveOn: addDays(today, -3), reason: "Medical hospitalization; expected back next week." },
        siteIds,
        meta,
      );
    }
    if (discharged) {
      const reason = DISCHARGE_REASONS[i - 30];
      const dischargedOn = addDays(admittedOn, reason === "completed" ? rnd.int(42, 70) : rnd.int(8, 40));
      await dischargePatient(
        db,
        actor,
        id,
        {
          version: await version(),
          dischargedOn: dischargedOn > today ? today : dischargedOn,
          reason,
          nextLevelOfCare: reason === "completed" ? "OP" : reason === "transferred" ? "residential" : reason === "died" ? "none" : "IOP",
          stepDownProvider: reason === "completed" ? "Riverside Community Counseling (weekly OP)" : undefined,
          mutualHelp: reason === "completed" ? ["aa", "smart"] : reason === "left_before_completion" ? ["na"] : [],
          alumniProgram: reason === "completed" ? "yes" : undefined,
          soberLivingReferral: reason === "completed" && i % 2 === 0 ? "yes" : undefined,
          followUpOn: reason === "completed" || reason === "transferred" ? addDays(dischargedOn > today ? today : dischargedOn, 7) : undefined,
          note: reason === "died" ? "Family notified the program. Case reviewed at the mortality review meeting." : undefined,
        },
        siteIds,
        meta,
      );
    }
  }
  await backfillPastRosters(db, clinic.siteId);
  return made;
}

/**
 * A discharged patient's track membership from a day on, as the app keeps it (open until the
 * discharge closes it); a move ends the one before the day before, with the app's reason. Their
 * groups' past rosters are written with everyone else's (backfillPastRosters).
 */
async function pastTrack(db: Kysely<Database>, patientId: string, trackId: string, from: string, createdBy: string, moveReason?: string) {
  if (moveReason)
    await db
      .updateTable("patient_tracks")
      .set({ ends_on: addDays(from, -1), end_reason: moveReason })
      .where("patient_id", "=", patientId)
      .where("ends_on", "is", null)
      .execute();
  await db
    .insertInto("patient_tracks")
    .values({
      id: newId(),
      patient_id: patientId,
      track_id: trackId,
      starts_on: from,
      ends_on: null,
      end_reason: null,
      created_by: createdBy,
      created_at: new Date().toISOString(),
    })
    .execute();
}

/**
 * The demo's history: patients sat in their track's groups while they were in the track. (In use,
 * rosters fill as patients join; the seed writes the past sessions that enrollment never sees.)
 */
async function backfillPastRosters(db: Kysely<Database>, siteId: string) {
  const now = new Date().toISOString();
  const memberships = await db
    .selectFrom("patient_tracks as pt")
    .innerJoin("patients as p", "p.id", "pt.patient_id")
    .select(["pt.patient_id", "pt.track_id", "pt.starts_on", "pt.ends_on"])
    .where("p.site_id", "=", siteId)
    .execute();
  for (const m of memberships) {
    let q = db
      .selectFrom("sessions as s")
      .innerJoin("group_series as g", "g.id", "s.series_id")
      .select(["s.id", "s.starts_at"])
      .where("g.track_id", "=", m.track_id)
      .where("g.auto_enroll", "=", 1)
      .where("s.local_date", ">=", m.starts_on)
      .where("s.starts_at", "<", now);
    if (m.ends_on) q = q.where("s.local_date", "<=", m.ends_on);
    const sessions = await q.execute();
    if (!sessions.length) continue;
    const onRoster = new Set(
      (await db.selectFrom("session_participants").select("session_id").where("patient_id", "=", m.patient_id).execute()).map((r) => r.session_id),
    );
    const rows = sessions
      .filter((s) => !onRoster.has(s.id))
      .map((s) => ({ id: newId(), session_id: s.id, patient_id: m.patient_id, source: "track", joined_at: s.starts_at, left_at: null, left_reason: null }));
    for (let i = 0; i < rows.length; i += 200)
      await db
        .insertInto("session_participants")
        .values(rows.slice(i, i + 200))
        .execute();
  }
}
