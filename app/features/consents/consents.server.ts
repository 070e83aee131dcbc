/**
 * A patient's 42 CFR Part 2 consents: recorded with every §2.31 element, revoked (dated, with a
 * note) or marked expired when an event in words has happened — never deleted. Each write is one
 * transaction with its audit record; changes name the version they started from.
 */
import { type DB, isUniqueViolation } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import {
  combinesCounselingNotes,
  type ConsentState,
  type ConsentTerms,
  consentStateOn,
  COUNSELING_NOTES_ALONE,
  type Information,
  type Purpose,
  recipientKey,
} from "./rules";
import type { ConsentInput, MarkExpiredInput, RevokeInput } from "./schemas";
import { changeChartEntry, chartEntry } from "~/features/patients/chart-entries.server";
import { shortDate } from "~/kernel/time";
import { refreshAfterConsentChange } from "~/features/billing/charges.server";

const NOT_FOUND = { ok: false as const, status: 404 as const, formError: "There is no such patient at your sites." };
const STALE_ROW = "Someone else changed this consent while you were working. Reload to see their change, then try again.";

/** The patient as a consent needs them: at one of the user's sites, with the site's name and zone. */
export async function consentPatient(db: DB, patientId: string, siteIds: string[]) {
  if (!siteIds.length || patientId.length > 64) return null;
  return db
    .selectFrom("patients as p")
    .innerJoin("sites as s", "s.id", "p.site_id")
    .select([
      "p.id",
      "p.site_id",
      "p.mrn",
      "p.legal_first_name",
      "p.legal_last_name",
      "p.date_of_birth",
      "p.status",
      "s.name as site_name",
      "s.address as site_address",
      "s.time_zone",
    ])
    .where("p.id", "=", patientId)
    .where("p.site_id", "in", siteIds)
    .executeTakeFirst();
}

/** Every discharge date of the patient's episodes: an "on discharge" consent ends at the first one after signing. */
export async function dischargeDatesOf(db: DB, patientId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("patient_episodes")
    .select("discharged_on")
    .where("patient_id", "=", patientId)
    .where("discharged_on", "is not", null)
    .execute();
  return rows.map((r) => r.discharged_on!);
}

type ConsentRow = Awaited<ReturnType<typeof consentRows>>[number];
async function consentRows(db: DB, patientId: string) {
  return db
    .selectFrom("consents as c")
    .innerJoin("users as r", "r.id", "c.recorded_by")
    .leftJoin("users as rv", "rv.id", "c.revoked_by")
    .leftJoin("users as ex", "ex.id", "c.expired_by")
    .selectAll("c")
    .select(["r.name as recorded_by_name", "rv.name as revoked_by_name", "ex.name as expired_by_name"])
    .where("c.patient_id", "=", patientId)
    .orderBy("c.signed_on", "desc")
    .orderBy("c.id", "desc")
    .execute();
}

export function termsOf(
  r: Pick<
    ConsentRow,
    "id" | "signed_on" | "recipient" | "recipient_designation" | "purposes" | "information" | "expires_on" | "expiry_event" | "revoked_on" | "expired_on"
  >,
): ConsentTerms {
  return {
    id: r.id,
    signedOn: r.signed_on,
    recipient: r.recipient,
    recipientDesignation: r.recipient_designation,
    purposes: JSON.parse(r.purposes) as Purpose[],
    information: JSON.parse(r.information) as Information[],
    expiresOn: r.expires_on,
    expiryEvent: r.expiry_event === "discharge" || r.expiry_event === "other" ? r.expiry_event : null,
    revokedOn: r.revoked_on,
    expiredOn: r.expired_on,
  };
}

export type ConsentView = ReturnType<typeof toView>;
function toView(r: ConsentRow, state: ConsentState) {
  const terms = termsOf(r);
  return {
    ...terms,
    state,
    disclosingParty: r.disclosing_party,
    purposeOther: r.purpose_other,
    expiryEventText: r.expiry_event_text,
    signedBy: r.signed_by,
    signerName: r.signer_name,
    revocationExplained: Boolean(r.revocation_explained),
    note: r.note,
    revocationNote: r.revocation_note,
    revokedBy: r.revoked_by_name,
    expiryNote: r.expiry_note,
    expiredBy: r.expired_by_name,
    recordedBy: r.recorded_by_name,
    recordedAt: r.created_at,
    version: Number(r.version),
  };
}

/** The patient's consents, newest signature first, each with its state on `on`. */
export async function consentsOf(db: DB, patientId: string, on: string) {
  const [rows, discharges] = await Promise.all([consentRows(db, patientId), dischargeDatesOf(db, patientId)]);
  return rows.map((r) => toView(r, consentStateOn(termsOf(r), on, discharges)));
}

export async function recordConsent(
  db: DB,
  actor: Actor,
  patientId: string,
  input: ConsentInput,
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult<{ id: string; repeated: boolean }>> {
  const patient = await consentPatient(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  const earlier = await db.selectFrom("consents").select(["id", "patient_id"]).where("request_key", "=", input.requestKey).executeTakeFirst();
  if (earlier) {
    if (earlier.patient_id === patientId) return { ok: true, id: earlier.id, repeated: true };
    return { ok: false, status: 409, formError: "This form was already used to record a consent. Reload the page to record another." };
  }
  if (input.signedOn < patient.date_of_birth)
    return { ok: false, status: 400, fieldErrors: { signedOn: ["The signature date is before the patient's date of birth."] } };
  if (combinesCounselingNotes(input.information)) return { ok: false, status: 400, fieldErrors: { information: [COUNSELING_NOTES_ALONE] } };
  const id = newId();
  const now = new Date().toISOString();
  const row = {
    id,
    patient_id: patientId,
    site_id: patient.site_id,
    request_key: input.requestKey,
    disclosing_party: input.disclosingParty,
    information: JSON.stringify(input.information),
    recipient: input.recipient,
    recipient_key: recipientKey(input.recipient),
    recipient_designation: input.recipientDesignation,
    purposes: JSON.stringify(input.purposes),
    purpose_other: input.purposes.includes("other") ? (input.purposeOther ?? null) : null,
    expires_on: input.expiresOn ?? null,
    expiry_event: input.expiryEvent === "none" ? null : input.expiryEvent,
    expiry_event_text: input.expiryEvent === "other" ? (input.expiryEventText ?? null) : null,
    revocation_explained: 1,
    signed_on: input.signedOn,
    signed_by: input.signedBy,
    signer_name: input.signedBy === "patient" ? null : (input.signerName ?? null),
    note: input.note ?? null,
    revoked_on: null,
    revocation_note: null,
    revoked_by: null,
    expired_on: null,
    expiry_note: null,
    expired_by: null,
    recorded_by: actor.id,
    created_at: now,
    updated_at: now,
  };
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("consents").values(row).execute();
      await recordAudit(trx, {
        actor,
        action: "consent.recorded",
        entityType: "consent",
        entityId: id,
        patientId,
        siteId: patient.site_id,
        after: {
          disclosingParty: row.disclosing_party,
          recipient: row.recipient,
          recipientDesignation: row.recipient_designation,
          purposes: input.purposes,
          purposeOther: row.purpose_other,
          information: input.information,
          expiresOn: row.expires_on,
          expiryEvent: row.expiry_event,
          expiryEventText: row.expiry_event_text,
          signedOn: row.signed_on,
          signedBy: row.signed_by,
          signerName: row.signer_name,
          revocationExplained: true,
        },
        meta,
      });
      // A day held for "no Part 2 consent" for this payer becomes ready (the record above covers it).
      await refreshAfterConsentChange(trx, patient.site_id, patientId);
    });
  } catch (e) {
    // The same form sent twice at once: the second finds the first's consent.
    if (isUniqueViolation(e)) {
      const first = await db.selectFrom("consents").select(["id", "patient_id"]).where("request_key", "=", input.requestKey).executeTakeFirst();
      if (first && first.patient_id === patientId) return { ok: true, id: first.id, repeated: true };
    }
    throw e;
  }
  return { ok: true, id, repeated: false };
}

/** Revocation is dated and kept: the consent stays on the chart, inactive from that day on. */
export async function revokeConsent(db: DB, actor: Actor, patientId: string, input: RevokeInput, siteIds: string[], meta: ClientMeta): Promise<WriteResult> {
  const patient = await consentPatient(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  const c = await chartEntry(db, "consents", patientId, input.consentId);
  if (!c) return { ok: false, status: 404, formError: "That consent is not on this patient's chart." };
  if (c.revoked_on) return { ok: false, status: 400, formError: `This consent was already revoked on ${shortDate(c.revoked_on)}.` };
  if (input.revokedOn < c.signed_on)
    return { ok: false, status: 400, fieldErrors: { revokedOn: [`A revocation cannot come before the signature (${shortDate(c.signed_on)}).`] } };
  return changeChartEntry(
    db,
    "consents",
    { id: c.id, version: input.version },
    { revoked_on: input.revokedOn, revocation_note: input.revocationNote, revoked_by: actor.id },
    {
      actor,
      action: "consent.revoked",
      entityType: "consent",
      patientId,
      siteId: patient.site_id,
      before: { revokedOn: null },
      after: { revokedOn: input.revokedOn, revocationNote: input.revocationNote },
      detail: { recipient: c.recipient, signedOn: c.signed_on },
      meta,
    },
    STALE_ROW,
    // From this day the payer may no longer be told: its unexported days are held again.
    (trx) => refreshAfterConsentChange(trx, patient.site_id, patientId),
  );
}

/** An expiry event described in words cannot be evaluated: a person marks the day it happened. */
export async function markConsentExpired(
  db: DB,
  actor: Actor,
  patientId: string,
  input: MarkExpiredInput,
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const patient = await consentPatient(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  const c = await chartEntry(db, "consents", patientId, input.consentId);
  if (!c) return { ok: false, status: 404, formError: "That consent is not on this patient's chart." };
  if (c.expiry_event !== "other")
    return { ok: false, status: 400, formError: "Only a consent that ends on an event described in words is marked expired by hand." };
  if (c.revoked_on) return { ok: false, status: 400, formError: `This consent was revoked on ${shortDate(c.revoked_on)}.` };
  if (c.expired_on) return { ok: false, status: 400, formError: `This consent was already marked expired on ${shortDate(c.expired_on)}.` };
  if (input.expiredOn < c.signed_on)
    return { ok: false, status: 400, fieldErrors: { expiredOn: [`The event cannot come before the signature (${shortDate(c.signed_on)}).`] } };
  return changeChartEntry(
    db,
    "consents",
    { id: c.id, version: input.version },
    { expired_on: input.expiredOn, expiry_note: input.expiryNote ?? null, expired_by: actor.id },
    {
      actor,
      action: "consent.marked_expired",
      entityType: "consent",
      patientId,
      siteId: patient.site_id,
      before: { expiredOn: null },
      after: { expiredOn: input.expiredOn, expiryNote: input.expiryNote ?? null },
      detail: { recipient: c.recipient, event: c.expiry_event_text },
      meta,
    },
    STALE_ROW,
    // From this day the payer may no longer be told: its unexported days are held again.
    (trx) => refreshAfterConsentChange(trx, patient.site_id, patientId),
  );
}
