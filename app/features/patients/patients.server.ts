/**
 * Patients: intake, demographics, status and level of care over time, re-admission and
 * discharge. Every write is one transaction with its audit record; edits name the version they
 * started from, so two people editing at once cannot overwrite each other.
 */
import { sql } from "kysely";
import type { DB, Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { Refused, refusalAs409, type WriteResult } from "~/kernel/results";
import { type AuditInput, recordAudit } from "~/features/audit/audit.server";
import { changedFields } from "~/features/audit/chain";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { endEnrollmentsAtDischarge, joinTrackGroups, trackHoursWarning } from "~/features/scheduling/enrollment.server";
import { refreshAuthorizationUse } from "~/features/billing/authorization-use.server";
import { type DemographicsInput, type DischargeInput, type IntakeInput } from "./schemas";
import { formatMrn, isAdolescent, type LevelOfCare, OPEN_STATUSES, type PatientStatus, STATUS_LABELS, STATUS_TRANSITIONS, searchName } from "./rules";
import { shortDate } from "~/kernel/time";

export const STALE_PATIENT =
  "Someone else changed this patient's record while you were working. Your entries are still in the form: reload the chart in another tab to see their change, then save again.";
const NOT_FOUND = { ok: false as const, status: 404 as const, formError: "There is no such patient at your sites." };
const STALE = { ok: false as const, status: 409 as const, formError: STALE_PATIENT };

async function nextMrn(trx: Trx): Promise<string> {
  const row = await trx
    .updateTable("mrn_counter")
    .set({ last_value: sql`last_value + 1` })
    .where("id", "=", 1)
    .returning("last_value")
    .executeTakeFirstOrThrow();
  return formatMrn(Number(row.last_value));
}

/** Patients with the same legal name and birth date: shown before a new intake is saved. */
export async function findPossibleDuplicates(db: DB | Trx, input: { legalFirstName: string; legalLastName: string; dateOfBirth: string }, siteIds: string[]) {
  const name = searchName(input.legalFirstName, input.legalLastName);
  if (!siteIds.length) return [];
  return db
    .selectFrom("patients")
    .innerJoin("sites", "sites.id", "patients.site_id")
    .select([
      "patients.id",
      "patients.mrn",
      "patients.legal_first_name",
      "patients.legal_last_name",
      "patients.date_of_birth",
      "patients.status",
      "sites.name as site_name",
    ])
    .where("patients.date_of_birth", "=", input.dateOfBirth)
    .where("patients.site_id", "in", siteIds)
    .where((eb) => eb.or([eb("patients.search_name", "=", name), eb("patients.search_name", "like", `${name} %`)]))
    .limit(10)
    .execute();
}

/** The counselors (and admins) who can carry a caseload at a site. */
export async function counselorsAt(db: DB, siteIds: string[]) {
  if (!siteIds.length) return [];
  return db
    .selectFrom("users")
    .select(["users.id", "users.name", "users.role"])
    .where("users.role", "in", ["counselor", "admin"])
    .where("users.active", "=", 1)
    .where((eb) => eb.exists(eb.selectFrom("user_sites").select("user_id").whereRef("user_sites.user_id", "=", "users.id").where("site_id", "in", siteIds)))
    .orderBy("users.role", "desc")
    .orderBy("users.name")
    .execute();
}

/** The counselors (and admins) at `siteIds` as a form's choices. */
export async function counselorChoices(db: DB, siteIds: string[]) {
  const counselors = await counselorsAt(db, siteIds);
  return counselors.map((c) => ({ value: c.id, label: c.role === "admin" ? `${c.name} (admin)` : c.name }));
}

async function counselorProblem(db: DB | Trx, counselorId: string, siteId: string): Promise<string | null> {
  const ok = await db
    .selectFrom("users")
    .innerJoin("user_sites", "user_sites.user_id", "users.id")
    .select("users.id")
    .where("users.id", "=", counselorId)
    .where("user_sites.site_id", "=", siteId)
    .where("users.role", "in", ["counselor", "admin"])
    .where("users.active", "=", 1)
    .executeTakeFirst();
  return ok ? null : "Choose a counselor who works at this patient's site.";
}

function demographicsRow(v: Omit<DemographicsInput, "version">) {
  return {
    legal_first_name: v.legalFirstName,
    legal_last_name: v.legalLastName,
    preferred_name: v.preferredName ?? null,
    date_of_birth: v.dateOfBirth,
    sex: v.sex,
    gender_identity: v.genderIdentity ?? null,
    phone: v.phone ?? null,
    email: v.email ?? null,
    address: v.address ?? null,
    emergency_contact_name: v.emergencyContactName ?? null,
    emergency_contact_relationship: v.emergencyContactRelationship ?? null,
    emergency_contact_phone: v.emergencyContactPhone ?? null,
    preferred_language: v.preferredLanguage,
    primary_counselor_id: v.primaryCounselorId,
    payer_type: v.payerType,
    payer_plan: v.payerPlan ?? null,
    payer_member_id: v.payerMemberId ?? null,
    detox_status: v.detoxStatus,
    detox_completed_on: v.detoxStatus === "completed" ? (v.detoxCompletedOn ?? null) : null,
    part2_notice_on: v.part2NoticeOn ?? null,
    search_name: searchName(v.legalFirstName, v.legalLastName, v.preferredName),
  };
}

export type EnrollResult =
  | { ok: true; id: string; mrn: string }
  | {
      ok: false;
      status: 400 | 409;
      fieldErrors?: Record<string, string[]>;
      formError?: string;
      duplicates?: Awaited<ReturnType<typeof findPossibleDuplicates>>;
      /** The track's weekly hours do not fit the level of care: saved only when the person confirms (`confirmTrackHours`). */
      trackHours?: string;
    };

/**
 * Enrolls a patient. A track whose weekly hours fall outside the level of care's band is refused
 * (400, with the hours named) unless `confirmTrackHours`; a confirmed choice is audited with the warning.
 */
export async function enrollPatient(
  db: DB,
  actor: Actor,
  input: IntakeInput,
  allowedSiteIds: string[],
  meta: ClientMeta,
  options: { confirmTrackHours?: boolean } = {},
): Promise<EnrollResult> {
  if (!allowedSiteIds.includes(input.siteId)) return { ok: false, status: 400, fieldErrors: { siteId: ["Choose one of your own sites."] } };
  const counselorError = await counselorProblem(db, input.primaryCounselorId, input.siteId);
  if (counselorError) return { ok: false, status: 400, fieldErrors: { primaryCounselorId: [counselorError] } };
  if (input.confirmDuplicate !== "yes") {
    // Only the user's own sites: that someone is a patient elsewhere is itself protected (42 CFR Part 2).
    const duplicates = await findPossibleDuplicates(db, input, allowedSiteIds);
    if (duplicates.length) return possibleDuplicate(duplicates);
  }
  let track: { id: string; name: string; days: string; start_time: string; end_time: string } | undefined;
  let trackHours: string | null = null;
  if (input.trackId) {
    track = await db
      .selectFrom("tracks")
      .select(["id", "name", "days", "start_time", "end_time"])
      .where("id", "=", input.trackId)
      .where("site_id", "=", input.siteId)
      .where("active", "=", 1)
      .executeTakeFirst();
    if (!track) return { ok: false, status: 400, fieldErrors: { trackId: ["Choose an active track at the patient's site."] } };
    trackHours = trackHoursWarning(track, input.levelOfCare, isAdolescent(input.dateOfBirth, input.admittedOn));
    if (trackHours && !options.confirmTrackHours) return { ok: false, status: 400, formError: `${trackHours} Enroll anyway?`, trackHours };
  }
  const id = newId();
  const episodeId = newId();
  const now = new Date().toISOString();
  return db
    .transaction()
    .execute(async (trx) => {
      // Taking the next MRN locks the counter row until commit, so intakes are serialised here and the
      // duplicate check below sees every intake committed before this one: of two intakes of the same
      // person saved at the same moment, the second is stopped like any other possible duplicate.
      const mrn = await nextMrn(trx);
      if (input.confirmDuplicate !== "yes") {
        const duplicates = await findPossibleDuplicates(trx, input, allowedSiteIds);
        if (duplicates.length) throw new DuplicateFound(duplicates);
      }
      const row = {
        id,
        mrn,
        site_id: input.siteId,
        ...demographicsRow(input),
        status: input.initialStatus,
        level_of_care: input.levelOfCare,
        level_since: input.admittedOn,
        current_episode_id: episodeId,
        track_id: track?.id ?? null,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto("patients").values(row).execute();
      await openEpisode(trx, { ...input, patientId: id, episodeId, episodeNumber: 1 }, actor, now, { status: "Intake", level: "Level of care at admission" });
      await auditPatient(trx, actor, row, meta, {
        action: "patient.enrolled",
        after: {
          mrn,
          status: input.initialStatus,
          levelOfCare: input.levelOfCare,
          admittedOn: input.admittedOn,
          referralSource: input.referralSource,
          primaryCounselorId: input.primaryCounselorId,
          track: track?.name ?? null,
          ...(input.confirmDuplicate ? { duplicateConfirmed: true } : {}),
          ...(trackHours ? { trackHoursConfirmed: trackHours } : {}),
        },
      });
      if (track) {
        // In the track from admission; on its groups' rosters from the first one still ahead.
        await trx
          .insertInto("patient_tracks")
          .values({
            id: newId(),
            patient_id: id,
            track_id: track.id,
            starts_on: input.admittedOn,
            ends_on: null,
            end_reason: null,
            created_by: actor.id,
            created_at: now,
          })
          .execute();
        const refusal = await joinTrackGroups(trx, id, track.id, input.admittedOn);
        if (refusal) throw new Refused(`${refusal} Choose another track, or enroll them without one and add them to groups by hand.`);
      }
      return { ok: true as const, id, mrn };
    })
    .catch((e: unknown) => {
      if (e instanceof DuplicateFound) return possibleDuplicate(e.duplicates);
      return refusalAs409(e);
    });
}

type Duplicates = Awaited<ReturnType<typeof findPossibleDuplicates>>;

/** Thrown inside the intake transaction to roll it back (and give the MRN back) when a duplicate committed first. */
class DuplicateFound extends Error {
  constructor(readonly duplicates: Duplicates) {
    super("possible duplicate");
  }
}

function possibleDuplicate(duplicates: Duplicates): EnrollResult {
  return {
    ok: false,
    status: 409,
    duplicates,
    formError: "A patient with this name and date of birth is already on record. Check they are not the same person before you save.",
  };
}

/** The patient, if they are at one of `siteIds`; the gate every chart route passes through. */
export async function getPatientRow(db: DB | Trx, id: string, siteIds: string[]) {
  if (!siteIds.length || id.length > 64) return null;
  const row = await db.selectFrom("patients").selectAll().where("id", "=", id).where("site_id", "in", siteIds).executeTakeFirst();
  return row ? { ...row, version: Number(row.version) } : null;
}

/** A patient's recorded details, as the chart's overview shows them and the edit form starts from. */
export async function patientDetails(db: DB, id: string, siteIds: string[]) {
  const row = await getPatientRow(db, id, siteIds);
  if (!row) return null;
  const counselor = row.primary_counselor_id
    ? await db.selectFrom("users").select("name").where("id", "=", row.primary_counselor_id).executeTakeFirst()
    : undefined;
  return {
    version: row.version,
    status: row.status as PatientStatus,
    legalFirstName: row.legal_first_name,
    legalLastName: row.legal_last_name,
    preferredName: row.preferred_name,
    dateOfBirth: row.date_of_birth,
    sex: row.sex,
    genderIdentity: row.gender_identity,
    preferredLanguage: row.preferred_language,
    phone: row.phone,
    email: row.email,
    address: row.address,
    emergencyContactName: row.emergency_contact_name,
    emergencyContactRelationship: row.emergency_contact_relationship,
    emergencyContactPhone: row.emergency_contact_phone,
    primaryCounselorId: row.primary_counselor_id,
    primaryCounselorName: counselor?.name ?? null,
    payerType: row.payer_type,
    payerPlan: row.payer_plan,
    payerMemberId: row.payer_member_id,
    detoxStatus: row.detox_status,
    detoxCompletedOn: row.detox_completed_on,
    part2NoticeOn: row.part2_notice_on,
  };
}
export type PatientDetails = NonNullable<Awaited<ReturnType<typeof patientDetails>>>;

export async function updateDemographics(
  db: DB,
  actor: Actor,
  id: string,
  input: DemographicsInput,
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getPatientRow(db, id, siteIds);
  if (!current) return NOT_FOUND;
  const counselorError = await counselorProblem(db, input.primaryCounselorId, current.site_id);
  if (counselorError) return { ok: false, status: 400, fieldErrors: { primaryCounselorId: [counselorError] } };
  const next = demographicsRow(input);
  const diff = changedFields(current, next);
  delete diff.before.search_name;
  delete diff.after.search_name;
  if (!Object.keys(diff.after).length) {
    return current.version === input.version ? { ok: true } : STALE;
  }
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("patients")
      .set({ ...next, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return STALE;
    await auditPatient(trx, actor, current, meta, { action: "patient.updated", ...diff });
    return { ok: true as const };
  });
}

/** Bumps the patient's version if it still is `version`; false when someone else got there first. */
async function claimVersion(trx: Trx, id: string, version: number, set: Record<string, unknown> = {}): Promise<boolean> {
  const res = await trx
    .updateTable("patients")
    .set({ ...set, updated_at: new Date().toISOString(), version: sql`version + 1` })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

async function currentEpisode(db: DB | Trx, patientId: string, episodeId: string | null) {
  if (!episodeId) return null;
  return db.selectFrom("patient_episodes").selectAll().where("id", "=", episodeId).where("patient_id", "=", patientId).executeTakeFirst();
}

/** The two kinds of dated change in an episode: where each is kept and how the user is told of one. */
const DATED_CHANGES = {
  status: { table: "patient_status_changes", column: "status", describe: (status: string) => STATUS_LABELS[status as PatientStatus] ?? status },
  level: { table: "level_of_care_changes", column: "level_of_care", describe: (level: string) => level },
} as const;

/** The last change of a kind in an episode: the latest effective date, and of those the last recorded. */
async function lastChange(db: DB | Trx, kind: keyof typeof DATED_CHANGES, episodeId: string) {
  const { table, column, describe } = DATED_CHANGES[kind];
  const last = await db
    .selectFrom(table)
    .select(["effective_on", sql<string>`${sql.ref(column)}`.as("value")])
    .where("episode_id", "=", episodeId)
    .orderBy("effective_on", "desc")
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  return last && { effectiveOn: last.effective_on, label: `${describe(last.value)} from ${shortDate(last.effective_on)}` };
}

/**
 * The current episode a dated change of status or level of care goes into, or why `effectiveOn`
 * cannot be its date: not before admission, nor before the last change of the same kind.
 */
async function episodeForChange(
  db: DB,
  patient: { id: string; current_episode_id: string | null },
  effectiveOn: string,
  kind: keyof typeof DATED_CHANGES,
): Promise<WriteResult<{ episode: { id: string } }>> {
  const episode = await currentEpisode(db, patient.id, patient.current_episode_id);
  if (!episode) return NOT_FOUND;
  if (effectiveOn < episode.admitted_on) {
    return { ok: false, status: 400, fieldErrors: { effectiveOn: [`The change cannot be before admission (${shortDate(episode.admitted_on)}).`] } };
  }
  const last = await lastChange(db, kind, episode.id);
  if (last && effectiveOn < last.effectiveOn) {
    return { ok: false, status: 400, fieldErrors: { effectiveOn: [`The change cannot be before the last one (${last.label}).`] } };
  }
  return { ok: true, episode };
}

/** The columns of a status or level-of-care change row dated `effectiveOn` in an episode. */
function datedChange(patientId: string, episodeId: string, effectiveOn: string, actor: Actor, now: string) {
  return { id: newId(), patient_id: patientId, episode_id: episodeId, effective_on: effectiveOn, changed_by: actor.id, created_at: now };
}

/** Records a change to the patient's own record in the audit log, in the transaction that makes it. */
async function auditPatient(
  trx: Trx,
  actor: Actor,
  patient: { id: string; site_id: string },
  meta: ClientMeta,
  event: Pick<AuditInput, "action" | "before" | "after" | "detail">,
): Promise<void> {
  await recordAudit(trx, { actor, ...event, entityType: "patient", entityId: patient.id, patientId: patient.id, siteId: patient.site_id, meta });
}

export async function changeLevelOfCare(
  db: DB,
  actor: Actor,
  id: string,
  input: { version: number; levelOfCare: LevelOfCare; effectiveOn: string; reason: string },
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getPatientRow(db, id, siteIds);
  if (!current) return NOT_FOUND;
  if (current.status === "discharged")
    return { ok: false, status: 400, formError: "This patient is discharged: re-admit them before changing the level of care." };
  if (input.levelOfCare === current.level_of_care)
    return { ok: false, status: 400, fieldErrors: { levelOfCare: [`They are already at ${current.level_of_care}.`] } };
  const found = await episodeForChange(db, current, input.effectiveOn, "level");
  if (!found.ok) return found;
  return db.transaction().execute(async (trx) => {
    if (!(await claimVersion(trx, id, input.version, { level_of_care: input.levelOfCare, level_since: input.effectiveOn }))) return STALE;
    await trx
      .insertInto("level_of_care_changes")
      .values({
        ...datedChange(id, found.episode.id, input.effectiveOn, actor, new Date().toISOString()),
        level_of_care: input.levelOfCare,
        reason: input.reason,
      })
      .execute();
    // The level decides which attended days count against which authorization (kept units used).
    await refreshAuthorizationUse(trx, [id]);
    await auditPatient(trx, actor, current, meta, {
      action: "patient.level_changed",
      before: { levelOfCare: current.level_of_care },
      after: { levelOfCare: input.levelOfCare },
      detail: { effectiveOn: input.effectiveOn, reason: input.reason, direction: stepDirection(current.level_of_care, input.levelOfCare) },
    });
    return { ok: true as const };
  });
}

const INTENSITY: Record<LevelOfCare, number> = { OP: 1, IOP: 2, PHP: 3 };
export function stepDirection(from: LevelOfCare, to: LevelOfCare): "step-up" | "step-down" {
  return INTENSITY[to] > INTENSITY[from] ? "step-up" : "step-down";
}

export async function changeStatus(
  db: DB,
  actor: Actor,
  id: string,
  input: { version: number; status: PatientStatus; effectiveOn: string; reason?: string },
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getPatientRow(db, id, siteIds);
  if (!current) return NOT_FOUND;
  const from = current.status;
  if (!STATUS_TRANSITIONS[from].includes(input.status)) {
    const allowed = STATUS_TRANSITIONS[from].map((s) => STATUS_LABELS[s]).join(" or ");
    return {
      ok: false,
      status: 400,
      fieldErrors: {
        status: [
          input.status === "discharged"
            ? "Use the discharge form to discharge a patient."
            : `From ${STATUS_LABELS[from]} a patient can only move to ${allowed || "nothing else (re-admit them instead)"}.`,
        ],
      },
    };
  }
  const found = await episodeForChange(db, current, input.effectiveOn, "status");
  if (!found.ok) return found;
  return db.transaction().execute(async (trx) => {
    if (!(await claimVersion(trx, id, input.version, { status: input.status }))) return STALE;
    await trx
      .insertInto("patient_status_changes")
      .values({ ...datedChange(id, found.episode.id, input.effectiveOn, actor, new Date().toISOString()), status: input.status, reason: input.reason ?? null })
      .execute();
    await auditPatient(trx, actor, current, meta, {
      action: "patient.status_changed",
      before: { status: from },
      after: { status: input.status },
      detail: { effectiveOn: input.effectiveOn, reason: input.reason ?? null },
    });
    return { ok: true as const };
  });
}

export async function dischargePatient(
  db: DB,
  actor: Actor,
  id: string,
  input: DischargeInput,
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult<{ sessionsLeft: string[] }>> {
  const current = await getPatientRow(db, id, siteIds);
  if (!current) return NOT_FOUND;
  if (current.status === "discharged") return { ok: false, status: 400, formError: "This patient is already discharged." };
  const episode = await currentEpisode(db, id, current.current_episode_id);
  if (!episode) return NOT_FOUND;
  if (input.dischargedOn < episode.admitted_on) {
    return { ok: false, status: 400, fieldErrors: { dischargedOn: [`The discharge date is before admission (${shortDate(episode.admitted_on)}).`] } };
  }
  const [lastLevel, lastStatus] = await Promise.all([lastChange(db, "level", episode.id), lastChange(db, "status", episode.id)]);
  const latest = [lastLevel?.effectiveOn, lastStatus?.effectiveOn].filter(Boolean).sort().pop();
  if (latest && input.dischargedOn < latest) {
    return { ok: false, status: 400, fieldErrors: { dischargedOn: [`The discharge date is before the last change on the chart (${latest}).`] } };
  }
  const aftercare = {
    stepDownProvider: input.stepDownProvider ?? null,
    mutualHelp: input.mutualHelp ?? [],
    alumniProgram: input.alumniProgram === "yes",
    soberLivingReferral: input.soberLivingReferral === "yes",
    followUpOn: input.followUpOn ?? null,
  };
  return db.transaction().execute(async (trx) => {
    if (!(await claimVersion(trx, id, input.version, { status: "discharged" }))) return STALE;
    const now = new Date().toISOString();
    await trx
      .updateTable("patient_episodes")
      .set({
        discharged_on: input.dischargedOn,
        discharge_reason: input.reason,
        next_level_of_care: input.nextLevelOfCare,
        aftercare: JSON.stringify(aftercare),
        discharge_note: input.note ?? null,
      })
      .where("id", "=", episode.id)
      .execute();
    await trx
      .insertInto("patient_status_changes")
      .values({ ...datedChange(id, episode.id, input.dischargedOn, actor, now), status: "discharged", reason: input.reason })
      .execute();
    // The track membership ends and the patient leaves every future session, in the same transaction.
    const schedule = await endEnrollmentsAtDischarge(trx, id, input.dischargedOn);
    await auditPatient(trx, actor, current, meta, {
      action: "patient.discharged",
      before: { status: current.status },
      after: { status: "discharged", dischargedOn: input.dischargedOn, reason: input.reason, nextLevelOfCare: input.nextLevelOfCare, aftercare },
      detail: schedule.sessionsLeft.length ? schedule : undefined,
    });
    return { ok: true as const, sessionsLeft: schedule.sessionsLeft };
  });
}

export async function readmitPatient(
  db: DB,
  actor: Actor,
  id: string,
  input: { version: number; admittedOn: string; referralSource: string; levelOfCare: LevelOfCare; initialStatus: "referred" | "active" },
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getPatientRow(db, id, siteIds);
  if (!current) return NOT_FOUND;
  if (current.status !== "discharged") return { ok: false, status: 400, formError: "Only a discharged patient can be re-admitted." };
  const last = await currentEpisode(db, id, current.current_episode_id);
  if (last?.discharged_on && input.admittedOn <= last.discharged_on) {
    return { ok: false, status: 400, fieldErrors: { admittedOn: [`A new episode starts after the last discharge (${shortDate(last.discharged_on)}).`] } };
  }
  const count = await db
    .selectFrom("patient_episodes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("patient_id", "=", id)
    .executeTakeFirstOrThrow();
  const episodeId = newId();
  const episodeNumber = Number(count.n) + 1;
  return db.transaction().execute(async (trx) => {
    if (
      !(await claimVersion(trx, id, input.version, {
        status: input.initialStatus,
        level_of_care: input.levelOfCare,
        level_since: input.admittedOn,
        current_episode_id: episodeId,
      }))
    ) {
      return STALE;
    }
    const now = new Date().toISOString();
    await openEpisode(trx, { ...input, patientId: id, episodeId, episodeNumber }, actor, now, {
      status: "Re-admission",
      level: "Level of care at re-admission",
    });
    await refreshAuthorizationUse(trx, [id]);
    await auditPatient(trx, actor, current, meta, {
      action: "patient.readmitted",
      after: { episode: episodeNumber, admittedOn: input.admittedOn, levelOfCare: input.levelOfCare, status: input.initialStatus },
    });
    return { ok: true as const };
  });
}

export async function episodesOf(db: DB, patientId: string) {
  const rows = await db.selectFrom("patient_episodes").selectAll().where("patient_id", "=", patientId).orderBy("episode_number", "desc").execute();
  return rows.map((r) => ({ ...r, aftercare: r.aftercare ? (JSON.parse(r.aftercare) as Record<string, unknown>) : null }));
}

export async function levelHistory(db: DB, patientId: string) {
  return db
    .selectFrom("level_of_care_changes")
    .innerJoin("patient_episodes", "patient_episodes.id", "level_of_care_changes.episode_id")
    .leftJoin("users", "users.id", "level_of_care_changes.changed_by")
    .select([
      "level_of_care_changes.id",
      "level_of_care_changes.level_of_care",
      "level_of_care_changes.effective_on",
      "level_of_care_changes.reason",
      "users.name as changed_by_name",
      "patient_episodes.episode_number",
    ])
    .where("level_of_care_changes.patient_id", "=", patientId)
    .orderBy("level_of_care_changes.effective_on", "desc")
    .orderBy("level_of_care_changes.created_at", "desc")
    .execute();
}

export async function statusHistory(db: DB, patientId: string) {
  return db
    .selectFrom("patient_status_changes")
    .leftJoin("users", "users.id", "patient_status_changes.changed_by")
    .select([
      "patient_status_changes.id",
      "patient_status_changes.status",
      "patient_status_changes.effective_on",
      "patient_status_changes.reason",
      "users.name as changed_by_name",
    ])
    .where("patient_status_changes.patient_id", "=", patientId)
    .orderBy("patient_status_changes.effective_on", "desc")
    .orderBy("patient_status_changes.created_at", "desc")
    .execute();
}

export { OPEN_STATUSES };

/** A patient as a picker lists them: "Last, Preferred-or-first · MRN", with `value`/`label` for a Select. */
export interface PickerPatient {
  id: string;
  mrn: string;
  name: string;
  value: string;
  label: string;
}

/**
 * Everyone in the program at a site (open statuses), by last then first name: the patient picker
 * of the forms that record or book something for one patient.
 */
export async function openPatientsForPicker(db: DB, siteId: string): Promise<PickerPatient[]> {
  const rows = await db
    .selectFrom("patients")
    .select(["id", "mrn", "legal_first_name", "legal_last_name", "preferred_name"])
    .where("site_id", "=", siteId)
    .where("status", "in", OPEN_STATUSES)
    .orderBy("legal_last_name")
    .orderBy("legal_first_name")
    .execute();
  return rows.map((p) => {
    const name = `${p.legal_last_name}, ${p.preferred_name || p.legal_first_name}`;
    return { id: p.id, mrn: p.mrn, name, value: p.id, label: `${name} · ${p.mrn}` };
  });
}

/**
 * Opens an episode of care (at intake or re-admission): the episode row, and the status and level
 * of care it starts with, dated the admission day.
 */
async function openEpisode(
  trx: Trx,
  e: {
    patientId: string;
    episodeId: string;
    episodeNumber: number;
    referralSource: string;
    admittedOn: string;
    initialStatus: PatientStatus;
    levelOfCare: LevelOfCare;
  },
  actor: Actor,
  now: string,
  reasons: { status: string; level: string },
): Promise<void> {
  await trx
    .insertInto("patient_episodes")
    .values({
      id: e.episodeId,
      patient_id: e.patientId,
      episode_number: e.episodeNumber,
      referral_source: e.referralSource,
      admitted_on: e.admittedOn,
      discharged_on: null,
      discharge_reason: null,
      next_level_of_care: null,
      aftercare: null,
      discharge_note: null,
      created_at: now,
    })
    .execute();
  await trx
    .insertInto("patient_status_changes")
    .values({ ...datedChange(e.patientId, e.episodeId, e.admittedOn, actor, now), status: e.initialStatus, reason: reasons.status })
    .execute();
  await trx
    .insertInto("level_of_care_changes")
    .values({ ...datedChange(e.patientId, e.episodeId, e.admittedOn, actor, now), level_of_care: e.levelOfCare, reason: reasons.level })
    .execute();
}
