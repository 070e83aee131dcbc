/** Reading the audit log: filtered, sorted and paged by the database, scoped to the reader's sites. */
import { type SelectQueryBuilder, sql } from "kysely";
import type { AuditEventsTable, Database } from "#db/schema";
import { reportById } from "~/features/reports/registry.server";
import type { DB } from "~/kernel/db";
import { actionLabel, describeChanges, OUTCOME_LABELS, recordLabel } from "./labels";
import { PATIENT_LISTS } from "./list-kinds";

export interface AuditFilters {
  userId?: string;
  action?: string;
  patientId?: string;
  /**
   * A patient as a person finds them: part of their MRN or name (accents and case ignored), or
   * their id as links carry it. Only patients at the reader's sites match.
   */
  patientQuery?: string;
  /** Half-open UTC range. */
  fromUtc?: string;
  toUtc?: string;
  /**
   * The reader's sites. They see events at these sites, and events tied to no site (sign-ins,
   * account changes, two-factor resets, lookups) only when those are about someone or something
   * at these sites: the actor or the user acted on works at one of them, or the patient is at one.
   * Events about no one at all (a sign-in attempt for an unknown email, a refused cross-site
   * request) belong to no site and are left out: they may name people of other sites.
   * (HIPAA minimum necessary, 45 CFR 164.502(b); issue 16 item 7b.)
   */
  siteIds: string[];
}

function filtered(db: DB, f: AuditFilters): SelectQueryBuilder<Database, "audit_events", object> {
  const sites = f.siteIds.length ? f.siteIds : [""];
  let q = db.selectFrom("audit_events");
  q = q.where((eb) => {
    const staffHere = eb.selectFrom("user_sites").select("user_sites.user_id").where("user_sites.site_id", "in", sites);
    return eb.or([
      eb("audit_events.site_id", "in", sites),
      eb.and([
        eb("audit_events.site_id", "is", null),
        eb.or([
          eb("audit_events.user_id", "in", staffHere),
          eb.and([eb("audit_events.entity_type", "=", "user"), eb("audit_events.entity_id", "in", staffHere)]),
          eb("audit_events.patient_id", "in", eb.selectFrom("patients").select("patients.id").where("patients.site_id", "in", sites)),
        ]),
      ]),
    ]);
  });
  if (f.userId) q = q.where("user_id", "=", f.userId);
  if (f.action) q = q.where("action", "=", f.action);
  if (f.patientId) q = q.where("patient_id", "=", f.patientId);
  if (f.patientQuery) {
    const text = f.patientQuery;
    const like = likePattern(text);
    q = q.where("patient_id", "in", (eb) =>
      eb
        .selectFrom("patients")
        .select("patients.id")
        .where("patients.site_id", "in", sites)
        .where((p) =>
          p.or([
            p("patients.id", "=", text),
            sql<boolean>`patients.search_name like ${like} escape '\\'`,
            sql<boolean>`lower(patients.mrn) like ${like} escape '\\'`,
          ]),
        ),
    );
  }
  if (f.fromUtc) q = q.where("occurred_at", ">=", f.fromUtc);
  if (f.toUtc) q = q.where("occurred_at", "<", f.toUtc);
  return q;
}

/** Search text cleaned the way names are stored (accents off, lower case, single spaces), as a LIKE pattern. */
function likePattern(text: string): string {
  const cleaned = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
  return `%${cleaned.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** What each event carries, in the order the export writes it. */
export const AUDIT_COLUMNS = [
  "seq",
  "id",
  "occurred_at",
  "user_id",
  "user_name",
  "action",
  "outcome",
  "entity_type",
  "entity_id",
  "patient_id",
  "site_id",
  "changes",
  "ip",
  "user_agent",
] as const satisfies readonly (keyof AuditEventsTable)[];

export async function listAuditEvents(db: DB, f: AuditFilters, page: { page: number; pageSize: number; direction: "asc" | "desc" }) {
  const [{ total }] = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .execute();
  const rows = await filtered(db, f)
    .select(AUDIT_COLUMNS)
    .orderBy("seq", page.direction)
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
    .execute();
  return { total: Number(total), events: rows.map((r) => ({ ...r, seq: Number(r.seq) })) };
}

/** Every matching event, oldest first, a batch at a time (for CSV export). */
export async function* iterateAuditEvents(db: DB, f: AuditFilters, batchSize = 2000) {
  let after = 0;
  for (;;) {
    const rows = await filtered(db, f).select(AUDIT_COLUMNS).where("seq", ">", after).orderBy("seq").limit(batchSize).execute();
    for (const r of rows) yield { ...r, seq: Number(r.seq) };
    if (rows.length < batchSize) return;
    after = Number(rows[rows.length - 1].seq);
  }
}

/** One event as a person reads it: who, what in words, which patient (when they may know), what changed. */
export interface ReadableAuditEvent {
  id: string;
  seq: number;
  occurredAt: string;
  who: string | null;
  action: string;
  actionLabel: string;
  outcome: string;
  outcomeLabel: string;
  /** The patient by name and MRN; `hidden` when the reader may not know who it is. */
  patient: { id: string; name: string; mrn: string } | "hidden" | null;
  /** The record acted on, named where it has a name ("Report: Retention", "Staff account: Ana Ruiz"). */
  record: string | null;
  /** "Field: old → new" and "Field: value" lines. */
  changes: string[];
  ip: string | null;
}

type RawEvent = Awaited<ReturnType<typeof listAuditEvents>>["events"][number];

/**
 * Names for the patients, staff, sites, tracks and rooms a page of events refers to: one query
 * per kind, bounded by the page. Patients are named only to a reader who may see who patients are
 * (`namePatients`) and only when the patient is at one of `siteIds`.
 */
async function namesFor(db: DB, events: RawEvent[], siteIds: string[], namePatients: boolean) {
  const ids = (type: string) => [...new Set(events.filter((e) => e.entity_type === type && e.entity_id).map((e) => e.entity_id!))];
  const patientIds = [...new Set(events.map((e) => e.patient_id).filter((x): x is string => Boolean(x)))];
  const sites = siteIds.length ? siteIds : [""];
  const [patients, users, siteRows, tracks, rooms] = await Promise.all([
    namePatients && patientIds.length
      ? db
          .selectFrom("patients")
          .select(["id", "mrn", "legal_first_name", "legal_last_name", "preferred_name"])
          .where("id", "in", patientIds)
          .where("site_id", "in", sites)
          .execute()
      : [],
    ids("user").length ? db.selectFrom("users").select(["id", "name"]).where("id", "in", ids("user")).execute() : [],
    ids("site").length ? db.selectFrom("sites").select(["id", "name"]).where("id", "in", ids("site")).execute() : [],
    ids("track").length ? db.selectFrom("tracks").select(["id", "name"]).where("id", "in", ids("track")).where("site_id", "in", sites).execute() : [],
    ids("room").length ? db.selectFrom("rooms").select(["id", "name"]).where("id", "in", ids("room")).where("site_id", "in", sites).execute() : [],
  ]);
  const named = new Map<string, string>();
  for (const r of [...users, ...siteRows, ...tracks, ...rooms]) named.set(r.id, r.name);
  return {
    patients: new Map(
      patients.map((p) => [
        p.id,
        { id: p.id, mrn: p.mrn, name: `${p.legal_first_name} ${p.legal_last_name}${p.preferred_name ? ` (${p.preferred_name})` : ""}` },
      ]),
    ),
    named,
  };
}

function entityName(e: RawEvent, named: Map<string, string>): string | null {
  if (!e.entity_id) return null;
  if (e.entity_type === "report") return reportById(e.entity_id)?.title ?? e.entity_id;
  if (e.entity_type === "patient_list") return PATIENT_LISTS[e.entity_id as keyof typeof PATIENT_LISTS] ?? null;
  if (e.entity_type === "setting") return e.entity_id;
  return named.get(e.entity_id) ?? null;
}

/** A page of the audit log in words (see ReadableAuditEvent); filtered, sorted and paged by the database. */
export async function listReadableAuditEvents(
  db: DB,
  f: AuditFilters,
  page: { page: number; pageSize: number; direction: "asc" | "desc" },
  reader: { namePatients: boolean; timeZone?: string },
): Promise<{ total: number; events: ReadableAuditEvent[] }> {
  const { total, events } = await listAuditEvents(db, f, page);
  const { patients, named } = await namesFor(db, events, f.siteIds, reader.namePatients);
  return {
    total,
    events: events.map((e) => ({
      id: e.id,
      seq: e.seq,
      occurredAt: e.occurred_at,
      who: e.user_name,
      action: e.action,
      actionLabel: actionLabel(e.action),
      outcome: e.outcome,
      outcomeLabel: OUTCOME_LABELS[e.outcome] ?? e.outcome,
      patient: e.patient_id ? (patients.get(e.patient_id) ?? "hidden") : null,
      record: e.entity_type === "patient" ? null : recordLabel(e.entity_type, entityName(e, named)),
      changes: describeChanges(e.changes, reader.timeZone),
      ip: e.ip,
    })),
  };
}

export async function auditUsers(db: DB, siteIds: string[]) {
  if (!siteIds.length) return [];
  return db
    .selectFrom("users")
    .select(["users.id", "users.name"])
    .where((eb) => eb.exists(eb.selectFrom("user_sites").select("user_id").whereRef("user_sites.user_id", "=", "users.id").where("site_id", "in", siteIds)))
    .orderBy("users.name")
    .execute();
}
