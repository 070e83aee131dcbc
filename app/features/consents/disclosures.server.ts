/**
 * Disclosing a patient's records under an active consent (§2.31–2.32) and the accounting of
 * disclosures (§2.25). A disclosure is refused, with nothing written, unless a consent active on
 * the day covers its recipient, its purpose and every category of information asked for. What was
 * disclosed is kept whole (content and the §2.32 notice as printed) in an append-only table, so the
 * document can be re-opened exactly as it was sent; every opening is audited.
 */
import type { Selectable } from "kysely";
import type { ConsentsTable } from "#db/schema";
import { type DB, isUniqueViolation, type Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { attendanceHistory } from "~/features/attendance/attendance.server";
import { isAttended } from "~/features/attendance/rules";
import { endOfDayUtc, formatInstant, instantRange, weekStart, todayIn, shortDate, startOfDayUtc } from "~/kernel/time";
import { recordAudit } from "~/features/audit/audit.server";
import { analyteLabel, effectiveResult, OUTCOMES, READINGS, SPECIMENS, TEST_REASONS } from "~/features/drug-testing/rules";
import { DISCHARGE_REASONS, LEVEL_LABELS, MAT_MEDICATIONS, MUTUAL_HELP_GROUPS, NEXT_LEVELS } from "~/features/patients/rules";
import { PRINT_LIMIT, signedNotesInRange } from "~/features/notes/chart.server";
import { ownCounselingNotesBetween } from "~/features/notes/counseling.server";
import { ATTENDANCE_MODES } from "~/features/attendance/rules";
import { entrySections, GROUP_SHARED_FIELDS, HARM_ANSWERS, OBJECTIVE_PROGRESS, PARTICIPATION, USE_ANSWERS } from "~/features/notes/rules";
import { newId } from "~/utils/ids";
import { part2DisclosureNoticeText } from "~/utils/part2";
import type { ClientMeta } from "~/utils/request.server";
import { consentPatient, dischargeDatesOf, termsOf } from "./consents.server";
import {
  accountingFrom,
  chooseConsent,
  combinesCounselingNotes,
  COUNSELING_NOTES_DISCLOSED_ALONE,
  INFORMATION,
  type Information,
  listLabels,
  PURPOSES,
  SIGNERS,
} from "./rules";
import type { DisclosureInput } from "./schemas";

const NOT_FOUND = { ok: false as const, status: 404 as const, formError: "There is no such patient at your sites." };

const label = <T extends Record<string, string>>(labels: T, code: string | null) => (code ? ((labels as Record<string, string>)[code] ?? code) : "");

/** What a disclosed document holds, stored as JSON with the disclosure and rendered from it. */
export interface DisclosureContent {
  patient: { name: string; dateOfBirth: string; mrn: string };
  program: string;
  /** The site's postal address as it was when disclosed, lines separated by newlines (absent in documents made before sites had one). */
  programAddress?: string | null;
  period: { from: string; to: string };
  /** The consent's scope (§2.32(b): a clear explanation of the scope of the consent). */
  consent: {
    signedOn: string;
    signedBy: string;
    disclosingParty: string;
    recipient: string;
    general: boolean;
    purposes: string;
    information: string;
    expiry: string;
  };
  attendance?: {
    sessions: { date: string; session: string; status: string; mode: string; hours: number }[];
    weeks: { weekOf: string; attended: number; absent: number; hours: number }[];
    totalHours: number;
  };
  drugTests?: { date: string; reason: string; specimen: string; outcome: string; positives: string[] }[];
  levelOfCare?: { episodes: { admittedOn: string; dischargedOn: string | null }[]; levels: { level: string; from: string; reason: string }[] };
  diagnoses?: { code: string; description: string; onsetOn: string | null; resolvedOn: string | null }[];
  medications?: { medication: string; dose: string; schedule: string; startedOn: string; endedOn: string | null }[];
  dischargeSummary?: { dischargedOn: string; reason: string; nextLevel: string; aftercare: string[] }[];
  /** Signed progress notes of the period: a group note's shared part and this patient's own part only. */
  progressNotes?: {
    date: string;
    session: string;
    kind: string;
    when: string;
    facilitators: string;
    signed: string;
    cosigned: string | null;
    lateEntry: boolean;
    attended: string;
    shared: { label: string; text: string }[];
    part: { label: string; text: string }[];
    objectives: { text: string; progress: string; comment: string }[];
    addenda: { signed: string; text: string }[];
  }[];
  /** SUD counseling notes (42 CFR § 2.11), only under a consent naming them alone, and only the discloser's own. */
  counselingNotes?: { written: string; author: string; text: string }[];
}

const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

export function expiryText(c: { expiresOn: string | null; expiryEvent: string | null; expiryEventText: string | null }): string {
  const parts = [
    c.expiresOn ? `on ${shortDate(c.expiresOn)}` : null,
    c.expiryEvent === "discharge" ? "on discharge from treatment" : null,
    c.expiryEvent === "other" ? `when ${c.expiryEventText}` : null,
  ].filter(Boolean);
  return parts.length > 1 ? `${parts.join(", or ")}, whichever comes first` : (parts[0] ?? "");
}

const KIND_WORDS: Record<string, string> = { group: "Group", individual: "Individual", family: "Family" };

/** Signed progress notes of the period as a disclosure carries them; null when there are more than one document holds. */
async function progressNotesOf(db: DB, patient: { id: string; site_id: string; time_zone: string }, from: string, to: string) {
  const notes = await signedNotesInRange(db, patient.id, [patient.site_id], from, to);
  if (!notes) return null;
  const tz = patient.time_zone;
  return notes.map((n) => {
    const p = n.parts[0];
    const c = p?.content;
    return {
      date: n.date,
      session: n.sessionTitle,
      kind: KIND_WORDS[n.kind] ?? n.kind,
      when: instantRange(n.startsAt, n.endsAt, tz),
      facilitators: n.facilitators,
      signed: n.signedAt ? `${n.signedBy}, ${formatInstant(n.signedAt, tz)}` : "",
      cosigned: n.cosignRequired ? (n.cosignedAt ? `${n.cosignedBy}, ${formatInstant(n.cosignedAt, tz)}` : "awaiting a supervisor's co-signature") : null,
      lateEntry: n.lateEntry,
      attended: p ? `${p.minutes ?? "—"} minutes, ${label(ATTENDANCE_MODES, p.mode).toLowerCase() || "mode not recorded"}` : "",
      shared: n.kind === "group" ? GROUP_SHARED_FIELDS.map((f) => ({ label: f.label, text: n.shared[f.key] })) : [],
      part: c
        ? [
            ...(n.kind === "group" ? [{ label: "Participation", text: label(PARTICIPATION, c.participation) }] : []),
            ...entrySections(n.kind, n.format).map((sec) => ({ label: sec.label, text: c.sections[sec.key] ?? "" })),
            { label: "Thoughts of harm", text: label(HARM_ANSWERS, c.harm) + (c.harmDetail ? `: ${c.harmDetail}` : "") },
            { label: "Use since last session", text: label(USE_ANSWERS, c.use) + (c.useDetail ? `: ${c.useDetail}` : "") },
          ]
        : [],
      objectives: c ? c.objectives.map((o) => ({ text: o.text, progress: label(OBJECTIVE_PROGRESS, o.progress), comment: o.comment })) : [],
      addenda: n.addenda.map((a) => ({ signed: `${a.signedBy}, ${formatInstant(a.signedAt, tz)}`, text: a.text })),
    };
  });
}

/** Collects exactly the categories asked for, from `from` through `to`. */
async function buildContent(
  db: DB,
  patient: NonNullable<Awaited<ReturnType<typeof consentPatient>>>,
  consent: Selectable<ConsentsTable>,
  information: Information[],
  from: string,
  to: string,
  extra: { progressNotes?: DisclosureContent["progressNotes"]; counselingNotes?: DisclosureContent["counselingNotes"] } = {},
): Promise<DisclosureContent> {
  const pid = patient.id;
  const terms = termsOf(consent);
  const content: DisclosureContent = {
    patient: { name: `${patient.legal_first_name} ${patient.legal_last_name}`, dateOfBirth: patient.date_of_birth, mrn: patient.mrn },
    program: consent.disclosing_party,
    programAddress: patient.site_address,
    period: { from, to },
    consent: {
      signedOn: consent.signed_on,
      signedBy: consent.signed_by === "patient" ? SIGNERS.patient : `${consent.signer_name} (${label(SIGNERS, consent.signed_by).toLowerCase()})`,
      disclosingParty: consent.disclosing_party,
      recipient: consent.recipient,
      general: consent.recipient_designation === "general",
      purposes: listLabels(PURPOSES, terms.purposes, false) + (consent.purpose_other ? ` (${consent.purpose_other})` : ""),
      information: listLabels(INFORMATION, terms.information, false),
      expiry: expiryText({ expiresOn: consent.expires_on, expiryEvent: consent.expiry_event, expiryEventText: consent.expiry_event_text }),
    },
  };
  if (information.includes("attendance")) {
    // Only the period: marks after `to` (recorded since) are never part of what was disclosed.
    const marks = (await attendanceHistory(db, pid, from)).marks.filter((m) => m.local_date <= to).reverse();
    const weeks = new Map<string, { weekOf: string; attended: number; absent: number; minutes: number }>();
    for (const m of marks) {
      const monday = weekStart(m.local_date);
      const w = weeks.get(monday) ?? { weekOf: monday, attended: 0, absent: 0, minutes: 0 };
      if (isAttended(m.status)) {
        w.attended++;
        w.minutes += m.minutes;
      } else w.absent++;
      weeks.set(monday, w);
    }
    content.attendance = {
      sessions: marks.map((m) => ({
        date: m.local_date,
        session: m.title,
        status: m.label,
        mode: m.mode === "telehealth" ? "Telehealth" : "In person",
        hours: hours(m.minutes),
      })),
      weeks: [...weeks.values()].map(({ minutes, ...w }) => ({ ...w, hours: hours(minutes) })),
      totalHours: hours(marks.reduce((n, m) => n + m.minutes, 0)),
    };
  }
  if (information.includes("drug_tests")) {
    const tests = await db
      .selectFrom("drug_tests")
      .select(["id", "collected_on", "reason", "specimen", "outcome"])
      .where("patient_id", "=", pid)
      .where("collected_on", ">=", from)
      .where("collected_on", "<=", to)
      .orderBy("collected_at")
      .orderBy("id")
      .execute();
    const results = tests.length
      ? await db
          .selectFrom("drug_test_results")
          .select(["test_id", "analyte", "result", "confirmation", "reading"])
          .where(
            "test_id",
            "in",
            tests.map((t) => t.id),
          )
          .orderBy("analyte")
          .execute()
      : [];
    // Whether a positive was expected on a prescribed medication says what the medication is: only with MAT in the consent.
    const withMat = information.includes("medications");
    content.drugTests = tests.map((t) => ({
      date: t.collected_on,
      reason: label(TEST_REASONS, t.reason),
      specimen: t.specimen ? label(SPECIMENS, t.specimen) : "—",
      outcome: label(OUTCOMES, t.outcome),
      positives: results
        .filter((r) => r.test_id === t.id && effectiveResult(r.result, r.confirmation) === "positive")
        .map(
          (r) =>
            `${analyteLabel(r.analyte)}${r.confirmation === "confirmed_positive" ? " (lab confirmed)" : ""}${withMat && r.reading === "expected_positive" ? ` — ${READINGS[r.reading].toLowerCase()}` : ""}`,
        ),
    }));
  }
  if (information.includes("level_of_care")) {
    const [episodes, levels] = await Promise.all([
      db.selectFrom("patient_episodes").select(["admitted_on", "discharged_on"]).where("patient_id", "=", pid).orderBy("episode_number").execute(),
      db
        .selectFrom("level_of_care_changes")
        .select(["level_of_care", "effective_on", "reason"])
        .where("patient_id", "=", pid)
        .orderBy("effective_on")
        .orderBy("created_at")
        .execute(),
    ]);
    content.levelOfCare = {
      episodes: episodes.map((e) => ({ admittedOn: e.admitted_on, dischargedOn: e.discharged_on })),
      levels: levels.map((l) => ({ level: label(LEVEL_LABELS, l.level_of_care), from: l.effective_on, reason: l.reason })),
    };
  }
  if (information.includes("diagnoses")) {
    const rows = await db
      .selectFrom("patient_diagnoses")
      .select(["code", "description", "onset_on", "resolved_on"])
      .where("patient_id", "=", pid)
      .where((eb) => eb.or([eb("resolved_on", "is", null), eb("resolved_on", ">=", from)]))
      .orderBy("is_primary", "desc")
      .orderBy("code")
      .execute();
    content.diagnoses = rows.map((d) => ({ code: d.code, description: d.description, onsetOn: d.onset_on, resolvedOn: d.resolved_on }));
  }
  if (information.includes("medications")) {
    const rows = await db
      .selectFrom("mat_episodes")
      .select(["medication", "formulation", "dose", "schedule", "started_on", "ended_on"])
      .where("patient_id", "=", pid)
      .where("started_on", "<=", to)
      .where((eb) => eb.or([eb("ended_on", "is", null), eb("ended_on", ">=", from)]))
      .orderBy("started_on")
      .execute();
    content.medications = rows.map((m) => ({
      medication: `${label(MAT_MEDICATIONS, m.medication)}${m.formulation ? ` (${m.formulation})` : ""}`,
      dose: m.dose,
      schedule: m.schedule,
      startedOn: m.started_on,
      endedOn: m.ended_on,
    }));
  }
  if (information.includes("discharge_summary")) {
    const rows = await db
      .selectFrom("patient_episodes")
      .select(["discharged_on", "discharge_reason", "next_level_of_care", "aftercare"])
      .where("patient_id", "=", pid)
      .where("discharged_on", "is not", null)
      .where("discharged_on", ">=", from)
      .where("discharged_on", "<=", to)
      .orderBy("discharged_on")
      .execute();
    content.dischargeSummary = rows.map((e) => {
      const a = (e.aftercare ? JSON.parse(e.aftercare) : {}) as {
        stepDownProvider?: string | null;
        mutualHelp?: string[];
        alumniProgram?: boolean;
        soberLivingReferral?: boolean;
        followUpOn?: string | null;
      };
      return {
        dischargedOn: e.discharged_on!,
        reason: label(DISCHARGE_REASONS, e.discharge_reason),
        nextLevel: label(NEXT_LEVELS, e.next_level_of_care),
        aftercare: [
          a.stepDownProvider ? `Step-down provider: ${a.stepDownProvider}` : null,
          a.followUpOn ? `Follow-up appointment: ${shortDate(a.followUpOn)}` : null,
          a.mutualHelp?.length ? `Mutual-help groups: ${a.mutualHelp.map((g) => label(MUTUAL_HELP_GROUPS, g)).join(", ")}` : null,
          a.alumniProgram ? "Joins the alumni program" : null,
          a.soberLivingReferral ? "Referred to sober living" : null,
        ].filter((x): x is string => Boolean(x)),
      };
    });
  }
  // Read before the write (they bound it): signed notes with this patient's part only; counseling notes, the discloser's own.
  if (information.includes("progress_notes")) content.progressNotes = extra.progressNotes ?? [];
  if (information.includes("counseling_notes")) content.counselingNotes = extra.counselingNotes ?? [];
  return content;
}

/**
 * Discloses the patient's records to a recipient for a purpose, under the consent that covers it
 * on the site's today. A double submit finds the disclosure the first one made.
 */
export async function discloseRecords(
  db: DB,
  actor: Actor,
  patientId: string,
  input: DisclosureInput,
  siteIds: string[],
  meta: ClientMeta,
  now = new Date(),
): Promise<WriteResult<{ id: string; repeated: boolean }>> {
  const patient = await consentPatient(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  const earlier = await db.selectFrom("disclosures").select(["id", "patient_id"]).where("request_key", "=", input.requestKey).executeTakeFirst();
  if (earlier) {
    if (earlier.patient_id === patientId) return { ok: true, id: earlier.id, repeated: true };
    return { ok: false, status: 409, formError: "This form was already used for a disclosure. Reload the page to make another." };
  }
  if (combinesCounselingNotes(input.information)) return { ok: false, status: 400, fieldErrors: { information: [COUNSELING_NOTES_DISCLOSED_ALONE] } };
  const today = todayIn(patient.time_zone, now);
  if (input.recordsFrom > today) return { ok: false, status: 400, fieldErrors: { recordsFrom: ["The records cannot start in the future."] } };
  const [rows, discharges] = await Promise.all([
    db.selectFrom("consents").selectAll().where("patient_id", "=", patientId).execute(),
    dischargeDatesOf(db, patientId),
  ]);
  const choice = chooseConsent(
    rows.map((r) => ({ ...termsOf(r), row: r })),
    { recipient: input.recipient, purpose: input.purpose, information: input.information, on: today },
    discharges,
  );
  if (!choice.ok) return { ok: false, status: 400, fieldErrors: { [choice.field]: [choice.message] } };
  const consent = choice.consent.row;
  const extra: Parameters<typeof buildContent>[6] = {};
  if (input.information.includes("progress_notes")) {
    const notes = await progressNotesOf(db, patient, input.recordsFrom, today);
    if (!notes)
      return { ok: false, status: 400, fieldErrors: { recordsFrom: [`More than ${PRINT_LIMIT} signed notes fall in this period: disclose a shorter one.`] } };
    extra.progressNotes = notes;
  }
  if (input.information.includes("counseling_notes")) {
    // Only their author reads SUD counseling notes, so only the author discloses them: the discloser's own.
    const own = await ownCounselingNotesBetween(
      db,
      patientId,
      actor.id,
      startOfDayUtc(input.recordsFrom, patient.time_zone),
      endOfDayUtc(today, patient.time_zone),
    );
    if (!own.length)
      return {
        ok: false,
        status: 400,
        fieldErrors: { information: ["You wrote no SUD counseling notes on this patient in this period. Only their author discloses counseling notes."] },
      };
    extra.counselingNotes = own.map((n) => ({ written: formatInstant(n.writtenAt, patient.time_zone), author: actor.name, text: n.text }));
  }
  const content = await buildContent(db, patient, consent, input.information, input.recordsFrom, today, extra);
  const id = newId();
  const at = now.toISOString();
  const notice = part2DisclosureNoticeText();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("disclosures")
        .values({
          id,
          patient_id: patientId,
          site_id: patient.site_id,
          consent_id: consent.id,
          request_key: input.requestKey,
          disclosed_on: today,
          disclosed_at: at,
          disclosed_by: actor.id,
          recipient: input.recipient,
          purpose: input.purpose,
          purpose_detail: input.purposeDetail ?? null,
          information: JSON.stringify(input.information),
          records_from: input.recordsFrom,
          content: JSON.stringify(content),
          notice,
          note: input.note ?? null,
          created_at: at,
        })
        .execute();
      await recordAudit(trx, {
        actor,
        action: "disclosure.made",
        entityType: "disclosure",
        entityId: id,
        patientId,
        siteId: patient.site_id,
        after: {
          recipient: input.recipient,
          purpose: input.purpose,
          purposeDetail: input.purposeDetail ?? null,
          information: input.information,
          recordsFrom: input.recordsFrom,
          disclosedOn: today,
          consentId: consent.id,
        },
        meta,
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      const first = await db.selectFrom("disclosures").select(["id", "patient_id"]).where("request_key", "=", input.requestKey).executeTakeFirst();
      if (first && first.patient_id === patientId) return { ok: true, id: first.id, repeated: true };
    }
    throw e;
  }
  return { ok: true, id, repeated: false };
}

const listColumns = [
  "d.id",
  "d.disclosed_on",
  "d.disclosed_at",
  "d.recipient",
  "d.purpose",
  "d.purpose_detail",
  "d.information",
  "d.records_from",
  "d.consent_id",
  "c.signed_on as consent_signed_on",
  "c.recipient as consent_recipient",
  "u.name as disclosed_by_name",
] as const;

function listRow(r: {
  id: string;
  disclosed_on: string;
  disclosed_at: string;
  recipient: string;
  purpose: string;
  purpose_detail: string | null;
  information: string;
  records_from: string;
  consent_id: string;
  consent_signed_on: string;
  consent_recipient: string;
  disclosed_by_name: string;
}) {
  const info = JSON.parse(r.information) as Information[];
  return {
    id: r.id,
    disclosedOn: r.disclosed_on,
    disclosedAt: r.disclosed_at,
    recipient: r.recipient,
    purpose: label(PURPOSES, r.purpose) + (r.purpose_detail ? ` (${r.purpose_detail})` : ""),
    information: info.map((i) => INFORMATION[i] ?? i),
    recordsFrom: r.records_from,
    consent: { id: r.consent_id, signedOn: r.consent_signed_on, recipient: r.consent_recipient },
    disclosedBy: r.disclosed_by_name,
  };
}

/** The patient's disclosures from `from` on (all when null), newest first. */
export async function disclosuresOf(db: DB, patientId: string, from: string | null = null) {
  let q = db
    .selectFrom("disclosures as d")
    .innerJoin("consents as c", "c.id", "d.consent_id")
    .innerJoin("users as u", "u.id", "d.disclosed_by")
    .select(listColumns)
    .where("d.patient_id", "=", patientId);
  if (from) q = q.where("d.disclosed_on", ">=", from);
  const rows = await q.orderBy("d.disclosed_at", "desc").orderBy("d.id", "desc").execute();
  return rows.map(listRow);
}

/**
 * The accounting of disclosures (§2.25): every disclosure made with consent in the three years up
 * to and including `today` at the patient's site. Printing it is audited.
 */
export async function accountingOfDisclosures(db: DB, actor: Actor, patientId: string, siteIds: string[], meta: ClientMeta, now = new Date()) {
  const patient = await consentPatient(db, patientId, siteIds);
  if (!patient) return null;
  const today = todayIn(patient.time_zone, now);
  const from = accountingFrom(today);
  const entries = (await disclosuresOf(db, patientId, from)).filter((d) => d.disclosedOn <= today);
  await recordAudit(db, {
    actor,
    action: "disclosure.accounting_printed",
    entityType: "patient",
    entityId: patientId,
    patientId,
    siteId: patient.site_id,
    detail: { from, to: today, entries: entries.length },
    meta,
  });
  return {
    patient: { id: patient.id, name: `${patient.legal_first_name} ${patient.legal_last_name}`, mrn: patient.mrn, dateOfBirth: patient.date_of_birth },
    program: patient.site_name,
    programAddress: patient.site_address,
    from,
    to: today,
    entries,
  };
}

/** One disclosed document, exactly as it was produced, at one of the user's sites; the opening is audited. */
export async function openDisclosure(db: DB, actor: Actor, disclosureId: string, siteIds: string[], meta: ClientMeta) {
  if (!siteIds.length || disclosureId.length > 64) return null;
  const d = await db
    .selectFrom("disclosures as d")
    .innerJoin("consents as c", "c.id", "d.consent_id")
    .innerJoin("users as u", "u.id", "d.disclosed_by")
    .select([...listColumns, "d.patient_id", "d.site_id", "d.content", "d.notice", "d.note"])
    .where("d.id", "=", disclosureId)
    .where("d.site_id", "in", siteIds)
    .executeTakeFirst();
  if (!d) return null;
  await recordAudit(db, {
    actor,
    action: "disclosure.opened",
    entityType: "disclosure",
    entityId: d.id,
    patientId: d.patient_id,
    siteId: d.site_id,
    detail: { recipient: d.recipient, disclosedOn: d.disclosed_on },
    meta,
  });
  return { ...listRow(d), patientId: d.patient_id, note: d.note, notice: d.notice, content: JSON.parse(d.content) as DisclosureContent };
}

/** What a claim discloses to a payer: the days billed and the diagnosis codes on it. */
export interface ClaimDisclosure {
  patientId: string;
  siteId: string;
  /** The consent the disclosure is made under (chosen with `chooseConsent`). */
  consent: Selectable<ConsentsTable>;
  requestKey: string;
  recipient: string;
  information: Information[];
  patient: { name: string; dateOfBirth: string; mrn: string };
  programAddress: string | null;
  /** The days billed: service date, what was billed that day, hours attended. */
  days: { date: string; service: string; hours: number }[];
  diagnoses: { code: string; description: string }[];
  level: string;
  today: string;
  note: string;
}

/**
 * Records a claim sent to a payer in the patient's accounting of disclosures (§2.25), in the
 * caller's transaction (the export's): purpose payment, recipient the payer, the document as the
 * claim carried it. The consent was chosen by the caller; the caller audits the export.
 */
export async function recordClaimDisclosure(trx: Trx, actor: Actor, d: ClaimDisclosure, at: string): Promise<string> {
  const terms = termsOf(d.consent);
  const consent = d.consent;
  const dates = d.days.map((x) => x.date).sort();
  const content: DisclosureContent = {
    patient: d.patient,
    program: consent.disclosing_party,
    programAddress: d.programAddress,
    period: { from: dates[0] ?? d.today, to: dates[dates.length - 1] ?? d.today },
    consent: {
      signedOn: consent.signed_on,
      signedBy: consent.signed_by === "patient" ? SIGNERS.patient : `${consent.signer_name} (${label(SIGNERS, consent.signed_by).toLowerCase()})`,
      disclosingParty: consent.disclosing_party,
      recipient: consent.recipient,
      general: consent.recipient_designation === "general",
      purposes: listLabels(PURPOSES, terms.purposes, false) + (consent.purpose_other ? ` (${consent.purpose_other})` : ""),
      information: listLabels(INFORMATION, terms.information, false),
      expiry: expiryText({ expiresOn: consent.expires_on, expiryEvent: consent.expiry_event, expiryEventText: consent.expiry_event_text }),
    },
  };
  if (d.information.includes("attendance"))
    content.attendance = {
      sessions: d.days.map((x) => ({ date: x.date, session: x.service, status: "Attended", mode: "—", hours: x.hours })),
      weeks: [],
      totalHours: Math.round(d.days.reduce((n, x) => n + x.hours, 0) * 10) / 10,
    };
  if (d.information.includes("level_of_care"))
    content.levelOfCare = { episodes: [], levels: [{ level: d.level, from: dates[0] ?? d.today, reason: "As billed" }] };
  if (d.information.includes("diagnoses")) content.diagnoses = d.diagnoses.map((x) => ({ ...x, onsetOn: null, resolvedOn: null }));
  const id = newId();
  await trx
    .insertInto("disclosures")
    .values({
      id,
      patient_id: d.patientId,
      site_id: d.siteId,
      consent_id: consent.id,
      request_key: d.requestKey,
      disclosed_on: d.today,
      disclosed_at: at,
      disclosed_by: actor.id,
      recipient: d.recipient,
      purpose: "payment",
      purpose_detail: null,
      information: JSON.stringify(d.information),
      records_from: dates[0] ?? d.today,
      content: JSON.stringify(content),
      notice: part2DisclosureNoticeText(),
      note: d.note,
      created_at: at,
    })
    .execute();
  return id;
}
