/**
 * Charges: one per patient per day attended at IOP or PHP, made from attendance, signed notes, the
 * fee schedule of the patient's primary coverage that day, the authorizations, the Medicare
 * certification and the Part 2 consent to disclose to the payer for payment. A charge is ready or
 * held, and a held charge names every reason (rules.ts `holdReasons`).
 *
 * Charges are derived figures: `refreshCharges` recomputes the ready and held ones for the patients
 * and dates a change touched, and never touches exported, paid or denied ones (an exported charge
 * changes only through a replacement or void claim). A day no longer attended whose charge was
 * never exported loses its charge. A refresh a person asks for (the review screen's button, a fee
 * schedule change) is audited once, with its counts; the rows themselves are not. A refresh that
 * follows a roll call or a signature runs in that write's transaction, whose own audit record
 * stands for it.
 */
import { type Selectable, sql } from "kysely";
import type { ChargesTable } from "#db/schema";
import type { Queryable, Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { recordAudit } from "~/features/audit/audit.server";
import { chooseConsent } from "~/features/consents/rules";
import { termsOf } from "~/features/consents/consents.server";
import { BILLABLE_DAY_RULES } from "~/features/attendance/rules";
import { addDays, formatDuration, shortDate, todayIn } from "~/kernel/time";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { attendedDays } from "./days.server";
import { billingStartsOn } from "./billing-start.server";
import {
  allocateDays,
  type AttendedDay,
  type AuthorizationSpan,
  certificationOn,
  type ChargeStatus,
  dayCover,
  type HoldReason,
  HOLD_REASONS,
  holdReasons,
  type PayerKind,
  type RecertRule,
  UNIT_KINDS,
} from "./rules";

/** Patients per IN list: inside both databases' parameter limits. */
const CHUNK = 400;
/** The statuses a refresh owns; every other one belongs to a claim. */
const OPEN: ChargeStatus[] = ["ready", "held"];

async function chunked<T>(ids: readonly string[], read: (ids: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

export interface RefreshScope {
  /** Only these patients; all of the site's patients attending in the dates when absent. */
  patientIds?: readonly string[];
  from: string;
  to: string;
}

export interface RefreshOptions {
  /** The person whose change caused the refresh: the refresh is audited once when it changed anything. */
  actor?: Actor | null;
  meta?: ClientMeta;
  /** What caused it, for the audit record ("roll call", "note signed", "refresh button"). */
  because?: string;
}

export interface RefreshResult {
  patients: number;
  created: number;
  updated: number;
  removed: number;
  from: string;
  to: string;
}

export interface Computed {
  patientId: string;
  day: AttendedDay;
  coverageId: string | null;
  payerId: string | null;
  authorizationId: string | null;
  feeId: string | null;
  procedureCode: string;
  modifiers: string;
  revenueCode: string;
  units: number;
  amountCents: number;
  status: "ready" | "held";
  reasons: HoldReason[];
  /** The minutes the day needs (the fee schedule's, or the level's rule without one). */
  minMinutes: number;
  payerName: string | null;
}

/** The Medicare recertification rule per level, from program settings (see the migration for the regulation). */
async function recertRules(db: Queryable): Promise<Record<"IOP" | "PHP", RecertRule>> {
  const rows = await db.selectFrom("program_settings").select(["key", "value"]).where("key", "like", "medicare_recert_%").execute();
  const get = (key: string, fallback: number) => {
    const n = Number(rows.find((r) => r.key === key)?.value);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    IOP: { firstDay: get("medicare_recert_iop_first_day", 60), intervalDays: get("medicare_recert_iop_interval_days", 60) },
    PHP: { firstDay: get("medicare_recert_php_first_day", 18), intervalDays: get("medicare_recert_php_interval_days", 30) },
  };
}

/**
 * Recomputes the ready and held charges of `scope` at `siteId`, in the transaction given or one of
 * its own. The dates widen to every day of the authorizations in force in them: one day more or
 * less can move which later day exhausts an authorization.
 */
export async function refreshCharges(db: Queryable, siteId: string, scope: RefreshScope, options: RefreshOptions = {}): Promise<RefreshResult> {
  if (db.isTransaction) return refreshIn(db as Trx, siteId, scope, options);
  return db.transaction().execute((trx) => refreshIn(trx, siteId, scope, options));
}

/**
 * What the charges of `scope` should be now, from the same rules a refresh writes by, and the
 * stored (not void) charges of those patients and dates: a refresh writes the difference for open
 * charges, and the claim corrections compare it with exported ones. Writes nothing.
 */
export async function planCharges(db: Queryable, siteId: string, scope: RefreshScope) {
  const { from } = scope;
  const trx = db;
  let ids: string[];
  if (scope.patientIds) {
    ids = scope.patientIds.length
      ? (
          await chunked([...new Set(scope.patientIds)], (c) =>
            trx.selectFrom("patients").select("id").where("site_id", "=", siteId).where("id", "in", c).execute(),
          )
        ).map((p) => p.id)
      : [];
  } else {
    const [attending, charged] = await Promise.all([
      trx
        .selectFrom("attendance as a")
        .innerJoin("patients as p", "p.id", "a.patient_id")
        .select("a.patient_id")
        .distinct()
        .where("p.site_id", "=", siteId)
        .where("a.local_date", ">=", from)
        .where("a.local_date", "<=", scope.to)
        .execute(),
      trx
        .selectFrom("charges")
        .select("patient_id")
        .distinct()
        .where("site_id", "=", siteId)
        .where("status", "in", OPEN)
        .where("service_date", ">=", from)
        .where("service_date", "<=", scope.to)
        .execute(),
    ]);
    ids = [...new Set([...attending.map((a) => a.patient_id), ...charged.map((c) => c.patient_id)])];
  }
  if (!ids.length) return { ids, from, to: scope.to, computed: [] as Computed[], existing: [] as Selectable<ChargesTable>[] };

  const auths = await chunked(ids, (c) =>
    trx
      .selectFrom("authorizations")
      .select(["id", "patient_id", "coverage_id", "level_of_care", "unit_kind", "units_approved", "starts_on", "ends_on", "status"])
      .where("patient_id", "in", c)
      .execute(),
  );
  // Widen to the authorizations in force in the dates: read their whole span, rewrite through their end.
  let readFrom = from;
  let to = scope.to;
  for (const a of auths)
    if (a.status === "approved" && a.starts_on <= scope.to && a.ends_on >= from) {
      if (a.starts_on < readFrom) readFrom = a.starts_on;
      if (a.ends_on > to) to = a.ends_on;
    }

  const [days, coverages, fees, certs, episodes, consents, existing, rules, billFrom, site] = await Promise.all([
    attendedDays(trx, ids, readFrom, to),
    chunked(ids, (c) =>
      trx
        .selectFrom("coverages as c")
        .innerJoin("payers as p", "p.id", "c.payer_id")
        .select(["c.id", "c.patient_id", "c.payer_id", "c.effective_from", "c.effective_to", "p.name as payer_name", "p.kind as payer_kind"])
        .where("c.patient_id", "in", c)
        .where("c.priority", "=", "primary")
        .execute(),
    ),
    trx.selectFrom("fee_schedule").selectAll().where("site_id", "=", siteId).execute(),
    chunked(ids, (c) =>
      trx.selectFrom("medicare_certifications").select(["patient_id", "level_of_care", "kind", "certified_on"]).where("patient_id", "in", c).execute(),
    ),
    chunked(ids, (c) => trx.selectFrom("patient_episodes").select(["patient_id", "admitted_on", "discharged_on"]).where("patient_id", "in", c).execute()),
    chunked(ids, (c) =>
      trx
        .selectFrom("consents")
        .select([
          "id",
          "patient_id",
          "signed_on",
          "recipient",
          "recipient_designation",
          "purposes",
          "information",
          "expires_on",
          "expiry_event",
          "revoked_on",
          "expired_on",
        ])
        .where("patient_id", "in", c)
        .execute(),
    ),
    chunked(ids, (c) =>
      trx
        .selectFrom("charges")
        .selectAll()
        .where("patient_id", "in", c)
        .where("status", "<>", "void")
        .where("service_date", ">=", from)
        .where("service_date", "<=", to)
        .execute(),
    ),
    recertRules(trx),
    billingStartsOn(trx, siteId),
    trx.selectFrom("sites").select("time_zone").where("id", "=", siteId).executeTakeFirstOrThrow(),
  ]);
  // A claim is the disclosure: the consent that matters is the one in force when the claim can go
  // out, today, not on the day of the service. 42 CFR 2.31(a)(6)-(7): a patient may revoke consent
  // at any time except where the program has already acted on it (a claim already sent), and it
  // ends at its expiry date or event; a consent signed after the service covers a claim made after
  // it. The export checks the same on the day it runs (claims.server.ts).
  const consentDay = todayIn(site.time_zone);

  const group = <T extends { patient_id: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) (m.get(r.patient_id) ?? m.set(r.patient_id, []).get(r.patient_id)!).push(r);
    return m;
  };
  const authsBy = group(auths);
  const coveragesBy = group(coverages);
  const certsBy = group(certs);
  const episodesBy = group(episodes);
  const consentsBy = group(consents);
  const feeOf = new Map(fees.map((f) => [`${f.payer_id}|${f.level_of_care}`, f]));

  const computed: Computed[] = [];
  for (const patientId of ids) {
    const patientDays = days.get(patientId) ?? [];
    const spans: (AuthorizationSpan & { coverageId: string })[] = (authsBy.get(patientId) ?? []).map((a) => ({
      id: a.id,
      coverageId: a.coverage_id,
      level: a.level_of_care,
      unitKind: a.unit_kind,
      unitsApproved: Number(a.units_approved),
      startsOn: a.starts_on,
      endsOn: a.ends_on,
      status: a.status,
    }));
    const allocated = allocateDays(patientDays, spans);
    const terms = (consentsBy.get(patientId) ?? []).map(termsOf);
    const discharges = (episodesBy.get(patientId) ?? []).map((e) => e.discharged_on);
    for (const day of patientDays) {
      if (day.date < from || day.date > to || (day.level !== "IOP" && day.level !== "PHP")) continue;
      // Before the site's "Bill days from" date: billed some other way, so no charge (its open one is removed below).
      if (billFrom !== null && day.date < billFrom) continue;
      const coverage =
        (coveragesBy.get(patientId) ?? [])
          .filter((c) => c.effective_from <= day.date && (c.effective_to === null || c.effective_to >= day.date))
          .sort((a, b) => (a.effective_from < b.effective_from ? 1 : -1))[0] ?? null;
      const kind: PayerKind | null = coverage?.payer_kind ?? null;
      const fee = coverage ? (feeOf.get(`${coverage.payer_id}|${day.level}`) ?? null) : null;
      const cover = dayCover(day, allocated, spans);
      let certificationCurrent = true;
      if (kind === "medicare") {
        const admittedOn =
          (episodesBy.get(patientId) ?? []).filter((e) => e.admitted_on <= day.date).sort((a, b) => (a.admitted_on < b.admitted_on ? 1 : -1))[0]?.admitted_on ??
          day.date;
        const patientCerts = (certsBy.get(patientId) ?? [])
          .filter((c) => c.level_of_care === day.level)
          .map((c) => ({ kind: c.kind, certifiedOn: c.certified_on }));
        certificationCurrent = certificationOn(patientCerts, admittedOn, rules[day.level], day.date).current;
      }
      // Self-pay discloses nothing to a third party; anyone else is told who attended on which day,
      // so an active Part 2 consent must name them (or a general TPO designation) for payment.
      const consentAllows =
        kind === "self_pay" ||
        (coverage !== null && chooseConsent(terms, { recipient: coverage.payer_name, purpose: "payment", information: [], on: consentDay }, discharges).ok);
      const reasons = holdReasons({
        day,
        fee: fee ? { minMinutes: Number(fee.min_minutes), requiresSignedNote: Number(fee.requires_signed_note) === 1 } : null,
        hasCoverage: coverage !== null,
        cover,
        medicare: kind === "medicare",
        certificationCurrent,
        consentAllows,
        authorizationRequired: kind !== "self_pay" && kind !== "grant",
      });
      const units = fee ? Number(fee.units_per_day) : 0;
      computed.push({
        patientId,
        day,
        coverageId: coverage?.id ?? null,
        payerId: coverage?.payer_id ?? null,
        authorizationId: cover.kind === "none" ? null : cover.authorizationId,
        feeId: fee?.id ?? null,
        procedureCode: fee?.procedure_code ?? "",
        modifiers: fee?.modifiers ?? "",
        revenueCode: fee?.revenue_code ?? "",
        units,
        amountCents: fee ? units * Number(fee.rate_cents) : 0,
        status: reasons.length ? "held" : "ready",
        reasons,
        minMinutes: fee ? Number(fee.min_minutes) : BILLABLE_DAY_RULES[day.level].minMinutes,
        payerName: coverage?.payer_name ?? null,
      });
    }
  }
  return { ids, from, to, computed, existing };
}

async function refreshIn(trx: Trx, siteId: string, scope: RefreshScope, options: RefreshOptions): Promise<RefreshResult> {
  const { ids, from, to, computed, existing } = await planCharges(trx, siteId, scope);
  if (!ids.length) return { patients: 0, created: 0, updated: 0, removed: 0, from, to: scope.to };
  const now = new Date().toISOString();
  const stored = new Map(existing.map((c) => [`${c.patient_id}|${c.service_date}`, c]));
  const seen = new Set<string>();
  let created = 0;
  let updated = 0;
  let removed = 0;
  for (const c of computed) {
    const key = `${c.patientId}|${c.day.date}`;
    seen.add(key);
    const before = stored.get(key);
    const values = {
      level_of_care: c.day.level,
      minutes: c.day.minutes,
      documented_minutes: c.day.documentedMinutes,
      coverage_id: c.coverageId,
      payer_id: c.payerId,
      authorization_id: c.authorizationId,
      fee_schedule_id: c.feeId,
      procedure_code: c.procedureCode,
      modifiers: c.modifiers,
      revenue_code: c.revenueCode,
      units: c.units,
      amount_cents: c.amountCents,
      status: c.status,
      hold_reasons: JSON.stringify(c.reasons),
    };
    if (!before) {
      const res = await trx
        .insertInto("charges")
        .values({ id: newId(), site_id: siteId, patient_id: c.patientId, service_date: c.day.date, ...values, created_at: now, updated_at: now })
        // A twin refresh that inserted the same day first: its row stands, and the next refresh updates it.
        .onConflict((oc) => oc.columns(["patient_id", "service_date"]).where("status", "<>", sql.lit("void")).doNothing())
        .executeTakeFirst();
      created += Number(res.numInsertedOrUpdatedRows ?? 0);
      continue;
    }
    // A claim owns it now.
    if (!OPEN.includes(before.status)) continue;
    const same = (Object.keys(values) as (keyof typeof values)[]).every((k) => String(before[k] ?? "") === String(values[k] ?? ""));
    if (same) continue;
    const res = await trx
      .updateTable("charges")
      .set({ ...values, updated_at: now, version: sql`version + 1` })
      .where("id", "=", before.id)
      .where("status", "in", OPEN)
      .executeTakeFirst();
    updated += Number(res.numUpdatedRows);
  }
  const gone = existing.filter((c) => OPEN.includes(c.status) && !seen.has(`${c.patient_id}|${c.service_date}`)).map((c) => c.id);
  for (let i = 0; i < gone.length; i += CHUNK) {
    const res = await trx
      .deleteFrom("charges")
      .where("id", "in", gone.slice(i, i + CHUNK))
      .where("status", "in", OPEN)
      .executeTakeFirst();
    removed += Number(res.numDeletedRows);
  }
  const result = { patients: ids.length, created, updated, removed, from, to };
  if (options.actor && created + updated + removed > 0)
    await recordAudit(trx, {
      actor: options.actor,
      action: "charges.refreshed",
      entityType: "charges",
      siteId,
      patientId: ids.length === 1 ? ids[0] : null,
      detail: { ...result, because: options.because ?? null },
      meta: options.meta,
    });
  return result;
}

// ---- The review screen ------------------------------------------------------------------------

export const CHARGE_SORTS = ["date", "patient", "amount"] as const;
export type ChargeSort = (typeof CHARGE_SORTS)[number];

export interface ChargeFilters {
  /** A payer's id, "none" (no coverage that day), or null for every payer. */
  payer: string | null;
  reason: HoldReason | null;
  status: "ready" | "held" | null;
  /** The Monday of the week, or null for every week. */
  week: string | null;
  /** Part of a patient's name or MRN. */
  patient: string;
}

export interface ChargeRow {
  id: string;
  date: string;
  patientId: string;
  patientName: string;
  mrn: string;
  level: string;
  minutes: number;
  documentedMinutes: number;
  payer: string | null;
  code: string;
  modifiers: string;
  revenueCode: string;
  units: number;
  amountCents: number;
  status: ChargeStatus;
  reasons: { code: HoldReason; label: string; detail: string }[];
}

/** The most patients a name or MRN filter looks up by id; more than this and the charges are matched by name in the join. */
const PATIENTS_BY_ID = 400;

const patientLike = (text: string) =>
  `%${text
    .trim()
    .toLowerCase()
    .replace(/[%_\\]/g, "")}%`;

/**
 * The site's patients whose name or MRN holds the text, up to one more than `PATIENTS_BY_ID`: a
 * few patients' charges are then read through the (patient, day) index instead of every charge of
 * the site being joined to its patient and matched (1.3 s at the scale-1 flagship).
 */
async function patientsMatching(db: Queryable, siteId: string, text: string): Promise<string[]> {
  const like = patientLike(text);
  const rows = await db
    .selectFrom("patients as p")
    .select("p.id")
    .where("p.site_id", "=", siteId)
    .where((eb) =>
      eb.or([eb("p.search_name", "like", like), eb(sql<string>`lower(p.mrn)`, "like", like), eb(sql<string>`lower(p.legal_last_name)`, "like", like)]),
    )
    .limit(PATIENTS_BY_ID + 1)
    .execute();
  return rows.map((r) => r.id);
}

function filtered(db: Queryable, siteId: string, f: ChargeFilters, patientIds: string[] | null = null) {
  let q = db
    .selectFrom("charges as c")
    .innerJoin("patients as p", "p.id", "c.patient_id")
    .leftJoin("payers as y", "y.id", "c.payer_id")
    .leftJoin("authorizations as a", "a.id", "c.authorization_id")
    .leftJoin("fee_schedule as f", "f.id", "c.fee_schedule_id")
    .where("c.site_id", "=", siteId)
    .where("c.status", "<>", "void");
  if (f.payer === "none") q = q.where("c.payer_id", "is", null);
  else if (f.payer) q = q.where("c.payer_id", "=", f.payer);
  // Reasons are stored as a JSON array of their codes: a code's quoted form matches it alone.
  if (f.reason) q = q.where("c.hold_reasons", "like", `%"${f.reason}"%`);
  if (f.status) q = q.where("c.status", "=", f.status);
  if (f.week) q = q.where("c.service_date", ">=", f.week).where("c.service_date", "<=", addDays(f.week, 6));
  if (patientIds) q = q.where("c.patient_id", "in", patientIds);
  else if (f.patient.trim()) {
    const like = patientLike(f.patient);
    q = q.where((eb) =>
      eb.or([eb("p.search_name", "like", like), eb(sql<string>`lower(p.mrn)`, "like", like), eb(sql<string>`lower(p.legal_last_name)`, "like", like)]),
    );
  }
  return q;
}

/**
 * The count and sum of the filtered charges by status. Without a hold reason or a patient to match,
 * every filter left (payer, status, week) is a key of the kept day totals (migration 28), so the
 * figures are a sum over days, not a count of every charge the site ever had.
 */
async function totalsOf(
  db: Queryable,
  siteId: string,
  f: ChargeFilters,
  patientIds: string[] | null,
): Promise<{ status: ChargeStatus; n: number; cents: number }[]> {
  if (f.reason || f.patient.trim())
    return filtered(db, siteId, f, patientIds)
      .select(["c.status", (eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.sum<number>("c.amount_cents").as("cents")])
      .groupBy("c.status")
      .execute();
  let q = db
    .selectFrom("charge_day_totals")
    .select(["status", (eb) => eb.fn.sum<number>("charges").as("n"), (eb) => eb.fn.sum<number>("cents").as("cents")])
    .where("site_id", "=", siteId)
    .groupBy("status");
  if (f.payer) q = q.where("payer_key", "=", f.payer === "none" ? "" : f.payer);
  if (f.status) q = q.where("status", "=", f.status);
  if (f.week) q = q.where("service_date", ">=", f.week).where("service_date", "<=", addDays(f.week, 6));
  return q.execute();
}

/** One page of the site's charges under the filters, with the ready and held totals of all of them. */
export async function listCharges(
  db: Queryable,
  siteId: string,
  f: ChargeFilters,
  paging: { sort: ChargeSort; direction: "asc" | "desc"; page: number; pageSize: number },
) {
  const dir = paging.direction;
  // A name or MRN that matches a few patients: their charges by id (none matched: nothing to read).
  let patientIds: string[] | null = null;
  if (f.patient.trim()) {
    const matched = await patientsMatching(db, siteId, f.patient);
    if (!matched.length) return { total: 0, totals: { ready: { count: 0, cents: 0 }, held: { count: 0, cents: 0 } }, rows: [] as ChargeRow[] };
    if (matched.length <= PATIENTS_BY_ID) patientIds = matched;
  }
  let page = filtered(db, siteId, f, patientIds).select([
    "c.id",
    "c.service_date",
    "c.patient_id",
    "p.legal_first_name",
    "p.legal_last_name",
    "p.mrn",
    "c.level_of_care",
    "c.minutes",
    "c.documented_minutes",
    "y.name as payer_name",
    "c.procedure_code",
    "c.modifiers",
    "c.revenue_code",
    "c.units",
    "c.amount_cents",
    "c.status",
    "c.hold_reasons",
    "a.number as auth_number",
    "a.unit_kind as auth_unit_kind",
    "a.units_approved as auth_units",
    "a.starts_on as auth_starts_on",
    "a.ends_on as auth_ends_on",
    "f.min_minutes",
  ]);
  if (paging.sort === "patient") page = page.orderBy("p.legal_last_name", dir).orderBy("p.legal_first_name", dir).orderBy("c.service_date", "desc");
  else if (paging.sort === "amount") page = page.orderBy("c.amount_cents", dir).orderBy("c.service_date", "desc");
  else page = page.orderBy("c.service_date", dir).orderBy("p.legal_last_name");
  const [rows, totals] = await Promise.all([
    page
      .orderBy("c.id")
      .limit(paging.pageSize)
      .offset((paging.page - 1) * paging.pageSize)
      .execute(),
    totalsOf(db, siteId, f, patientIds),
  ]);
  const sum = (status: string) => {
    const t = totals.find((r) => r.status === status);
    return { count: Number(t?.n ?? 0), cents: Number(t?.cents ?? 0) };
  };
  const total = totals.reduce((n, t) => n + Number(t.n), 0);
  return {
    total,
    totals: { ready: sum("ready"), held: sum("held") },
    rows: rows.map((r): ChargeRow => ({
      id: r.id,
      date: r.service_date,
      patientId: r.patient_id,
      patientName: `${r.legal_last_name}, ${r.legal_first_name}`,
      mrn: r.mrn,
      level: r.level_of_care,
      minutes: Number(r.minutes),
      documentedMinutes: Number(r.documented_minutes),
      payer: r.payer_name,
      code: r.procedure_code,
      modifiers: r.modifiers,
      revenueCode: r.revenue_code,
      units: Number(r.units),
      amountCents: Number(r.amount_cents),
      status: r.status,
      reasons: (JSON.parse(r.hold_reasons) as HoldReason[])
        .filter((code) => code in HOLD_REASONS)
        .map((code) => ({ code, label: HOLD_REASONS[code], detail: explain(code, r) })),
    })),
  };
}

/** What a held day's reason means for that day, in words a biller can act on. */
function explain(
  code: HoldReason,
  r: {
    minutes: number | string;
    documented_minutes: number | string;
    level_of_care: string;
    min_minutes: number | string | null;
    payer_name: string | null;
    auth_number: string | null;
    auth_unit_kind: string | null;
    auth_units: number | string | null;
    auth_starts_on: string | null;
    auth_ends_on: string | null;
  },
): string {
  const minutes = Number(r.minutes);
  const level = r.level_of_care === "PHP" ? "PHP" : "IOP";
  const need = r.min_minutes === null ? BILLABLE_DAY_RULES[level].minMinutes : Number(r.min_minutes);
  const auth = r.auth_number ? `authorization ${r.auth_number}` : "the authorization";
  const span = r.auth_starts_on && r.auth_ends_on ? ` (${shortDate(r.auth_starts_on)}–${shortDate(r.auth_ends_on)})` : "";
  const unitWord = r.auth_unit_kind ? UNIT_KINDS[r.auth_unit_kind as keyof typeof UNIT_KINDS].toLowerCase() : "units";
  switch (code) {
    case "below_hours":
      return `Attended ${formatDuration(minutes)}; a billable ${level} day needs ${formatDuration(need)}.`;
    case "note_unsigned":
      return `${formatDuration(Number(r.documented_minutes))} of ${formatDuration(minutes)} documented by a signed note; sign the day's notes.`;
    case "no_coverage":
      return "No primary coverage in effect on this day: add the patient's insurance, or mark them self-pay.";
    case "no_fee_schedule":
      return `${r.payer_name ?? "The payer"} has no ${level} row in the fee schedule.`;
    case "no_authorization":
      return `No approved ${level} authorization covers this day.`;
    case "authorization_exhausted":
      return `All ${r.auth_units ?? ""} ${unitWord} of ${auth}${span} were used on earlier days.`;
    case "authorization_expired":
      return `${auth[0].toUpperCase()}${auth.slice(1)}${span} ended before this day; request a concurrent review or a new authorization.`;
    case "no_medicare_certification":
      return "No current physician certification (or recertification) for this level on this day.";
    case "no_consent":
      return `No active Part 2 consent lets the program disclose to ${r.payer_name ?? "the payer"} for payment.`;
  }
}

/** The payers that appear on the site's charges, for the filter. */
export async function chargePayers(db: Queryable, siteId: string) {
  return db.selectFrom("payers").select(["id", "name"]).where("site_id", "=", siteId).orderBy("name").execute();
}

/** How far back a change to a patient's coverage can reach into unexported charges: a year of days. */
const COVERAGE_REACH_DAYS = 366;

/**
 * A change to a patient's coverage, authorizations or Medicare certifications: recomputes that
 * patient's unexported charges of the past year (exported ones belong to their claims), so a held
 * day becomes ready once its authorization is recorded, and the other way round. Its audit is the
 * change's own record.
 */
export async function refreshAfterCoverageChange(trx: Trx, siteId: string, patientId: string): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  // Inside the change's own transaction, whose audit record stands for it (as after a roll call).
  await refreshCharges(trx, siteId, { patientIds: [patientId], from: addDays(today, -COVERAGE_REACH_DAYS), to: addDays(today, 1) });
}

/**
 * A Part 2 consent recorded, revoked or marked expired: recomputes that patient's unexported
 * charges over the same reach as a coverage change, so a day held for "no Part 2 consent" becomes
 * ready once the consent is signed, and a ready one is held from its revocation. Inside the consent
 * write's transaction, whose audit record stands for it.
 */
export async function refreshAfterConsentChange(trx: Trx, siteId: string, patientId: string): Promise<void> {
  await refreshAfterCoverageChange(trx, siteId, patientId);
}
