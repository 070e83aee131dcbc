/** Reading the audit log: filtered, sorted and paged by the database, scoped to the reader's sites. */
import type { SelectQueryBuilder } from "kysely";
import type { AuditEventsTable, Database } from "#db/schema";
import type { DB } from "~/kernel/db";

export interface AuditFilters {
  userId?: string;
  action?: string;
  patientId?: string;
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
  if (f.fromUtc) q = q.where("occurred_at", ">=", f.fromUtc);
  if (f.toUtc) q = q.where("occurred_at", "<", f.toUtc);
  return q;
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

export async function auditActions(db: DB): Promise<string[]> {
  const rows = await db.selectFrom("audit_events").select("action").distinct().orderBy("action").execute();
  return rows.map((r) => r.action);
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
