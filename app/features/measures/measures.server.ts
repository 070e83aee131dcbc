/**
 * Standardized measures: each administration saved with its score (one transaction with its audit
 * record), the chart's overview (latest, trend, due state), and the safety flags a positive PHQ-9
 * item 9 opens until a counselor records a safety check.
 */
import { sql } from "kysely";
import type { DB, Queryable } from "~/kernel/db";
import { isUniqueViolation } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import {
  type Answers,
  type BamSubscale,
  DEFAULT_MEASURE_INTERVAL_DAYS,
  type Due,
  MEASURE_CODES,
  MEASURES,
  type MeasureCode,
  measureDue,
  PHQ9_SAFETY_ITEM,
  RISK_LEVELS,
  type Score,
  scoreMeasure,
} from "./rules";
import type { ResponseInput, SafetyCheckInput } from "./schemas";
import { measureIntervalSetting } from "./settings.server";
import type { OpenSafetyFlag } from "./worklist";

const NOT_FOUND = { ok: false as const, status: 404 as const, formError: "There is no such patient at your sites." };

/** The site's measure interval (setting `measure_interval_days`: the site's own, else the network's, else 30). */
export async function measureInterval(db: Queryable, siteId: string): Promise<number> {
  return (await measureIntervalSetting(db, siteId)).value;
}

async function patientAt(db: Queryable, patientId: string, siteIds: string[]) {
  if (!siteIds.length || patientId.length > 64) return null;
  return db
    .selectFrom("patients as p")
    .leftJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .select(["p.id", "p.site_id", "e.admitted_on", "e.discharged_on"])
    .where("p.id", "=", patientId)
    .where("p.site_id", "in", siteIds)
    .executeTakeFirst();
}

export type SavedMeasure = { id: string; repeated: boolean; score: Score; flagOpened: boolean };

/** Saves one administration. The same form sent twice saves it once (its request key). */
export async function recordMeasure(
  db: DB,
  actor: Actor,
  patientId: string,
  code: MeasureCode,
  input: ResponseInput,
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult<SavedMeasure>> {
  const patient = await patientAt(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  const repeated = async (): Promise<WriteResult<SavedMeasure> | null> => {
    const earlier = await db
      .selectFrom("measure_responses")
      .select(["id", "patient_id", "measure", "answers"])
      .where("request_key", "=", input.requestKey)
      .executeTakeFirst();
    if (!earlier) return null;
    if (earlier.patient_id !== patientId || earlier.measure !== code)
      return { ok: false, status: 409, formError: "This form was already used to save a measure. Reload the page to enter another." };
    return { ok: true, id: earlier.id, repeated: true, score: scoreMeasure(code, JSON.parse(earlier.answers) as Answers), flagOpened: false };
  };
  const earlier = await repeated();
  if (earlier) return earlier;
  const score = scoreMeasure(code, input.answers);
  const id = newId();
  const now = new Date().toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("measure_responses")
        .values({
          id,
          patient_id: patientId,
          site_id: patient.site_id,
          measure: code,
          request_key: input.requestKey,
          answers: JSON.stringify(input.answers),
          total: score.total,
          band: score.band,
          subscales: score.subscales ? JSON.stringify(score.subscales) : null,
          complete: score.complete ? 1 : 0,
          administered_on: input.administeredOn,
          entered_by: actor.id,
          entered_at: now,
        })
        .execute();
      await recordAudit(trx, {
        actor,
        action: "measure.recorded",
        entityType: "measure_response",
        entityId: id,
        patientId,
        siteId: patient.site_id,
        after: {
          measure: MEASURES[code].name,
          administeredOn: input.administeredOn,
          complete: score.complete,
          total: score.total,
          band: score.band,
          unanswered: score.missing.join(", ") || null,
        },
        meta,
      });
      if (score.safetyConcern) {
        const flagId = newId();
        await trx
          .insertInto("safety_flags")
          .values({
            id: flagId,
            patient_id: patientId,
            site_id: patient.site_id,
            response_id: id,
            item_answer: input.answers[PHQ9_SAFETY_ITEM],
            opened_on: input.administeredOn,
            opened_at: now,
            status: "open",
            risk_level: null,
            plan: null,
            who_was_told: null,
            checked_on: null,
            checked_by: null,
            checked_at: null,
          })
          .execute();
        await recordAudit(trx, {
          actor,
          action: "safety_flag.opened",
          entityType: "safety_flag",
          entityId: flagId,
          patientId,
          siteId: patient.site_id,
          after: { measure: "PHQ-9", item: PHQ9_SAFETY_ITEM, answer: MEASURES.phq9.items[8].choices[input.answers[PHQ9_SAFETY_ITEM]].label },
          meta,
        });
      }
    });
  } catch (e) {
    // The same form sent twice at once: the second finds the first's response.
    if (isUniqueViolation(e)) {
      const first = await repeated();
      if (first) return first;
    }
    throw e;
  }
  return { ok: true, id, repeated: false, score, flagOpened: score.safetyConcern };
}

export type MeasurePoint = { on: string; total: number | null; subscales: Record<BamSubscale, number | null> | null };
export type MeasureSummary = {
  code: MeasureCode;
  latest: { on: string; total: number | null; band: string | null; complete: boolean; subscales: Record<BamSubscale, number | null> | null } | null;
  /** Complete administrations, oldest first, for the trend. */
  trend: MeasurePoint[];
  due: Due | null;
};

async function episodeOf(db: Queryable, patientId: string) {
  return db
    .selectFrom("patients as p")
    .leftJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .select(["p.site_id", "e.admitted_on", "e.discharged_on"])
    .where("p.id", "=", patientId)
    .executeTakeFirst();
}

/** Each measure's due state only: what staff may see (no score, no band, no earlier answers). */
export async function measuresDue(db: Queryable, patientId: string, today: string): Promise<{ code: MeasureCode; due: Due | null }[]> {
  const episode = await episodeOf(db, patientId);
  const [interval, last] = await Promise.all([
    episode ? measureInterval(db, episode.site_id) : DEFAULT_MEASURE_INTERVAL_DAYS,
    db
      .selectFrom("measure_responses")
      .select(["measure", (eb) => eb.fn.max("administered_on").as("last_on")])
      .where("patient_id", "=", patientId)
      .groupBy("measure")
      .execute(),
  ]);
  const lastOn = new Map(last.map((r) => [r.measure, r.last_on as string | null]));
  return MEASURE_CODES.map((code) => ({
    code,
    due: episode?.admitted_on
      ? measureDue({ admittedOn: episode.admitted_on, dischargedOn: episode.discharged_on, lastOn: lastOn.get(code) ?? null, today, intervalDays: interval })
      : null,
  }));
}

/** The chart's measures: each one's latest score and band, its trend, and when it is due. Clinical. */
export async function measuresOverview(db: Queryable, patientId: string, today: string): Promise<MeasureSummary[]> {
  const [dues, rows] = await Promise.all([
    measuresDue(db, patientId, today),
    db
      .selectFrom("measure_responses")
      .select(["measure", "administered_on", "total", "band", "complete", "subscales", "entered_at"])
      .where("patient_id", "=", patientId)
      .orderBy("administered_on")
      .orderBy("entered_at")
      .execute(),
  ]);
  return dues.map(({ code, due }) => {
    const mine = rows.filter((r) => r.measure === code);
    const view = (r: (typeof rows)[number]) => ({
      on: r.administered_on,
      total: r.total === null ? null : Number(r.total),
      band: r.band,
      complete: Boolean(Number(r.complete)),
      subscales: r.subscales ? (JSON.parse(r.subscales) as Record<BamSubscale, number | null>) : null,
    });
    const last = mine.at(-1);
    return {
      code,
      latest: last ? view(last) : null,
      trend: mine.filter((r) => Number(r.complete)).map((r) => ({ on: r.administered_on, total: view(r).total, subscales: view(r).subscales })),
      due,
    };
  });
}

export type SafetyFlagView = {
  id: string;
  version: number;
  openedOn: string;
  answer: string;
  status: "open" | "closed";
  riskLevel: string | null;
  plan: string | null;
  whoWasTold: string | null;
  checkedOn: string | null;
  checkedBy: string | null;
};

/** The patient's safety flags, open ones first, newest first. Clinical. */
export async function safetyFlagsOf(db: Queryable, patientId: string): Promise<SafetyFlagView[]> {
  const rows = await db
    .selectFrom("safety_flags as f")
    .leftJoin("users as u", "u.id", "f.checked_by")
    .select([
      "f.id",
      "f.version",
      "f.opened_on",
      "f.item_answer",
      "f.status",
      "f.risk_level",
      "f.plan",
      "f.who_was_told",
      "f.checked_on",
      "u.name as checked_by_name",
    ])
    .where("f.patient_id", "=", patientId)
    .orderBy("f.status", "desc")
    .orderBy("f.opened_at", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    version: Number(r.version),
    openedOn: r.opened_on,
    answer: MEASURES.phq9.items[8].choices[Number(r.item_answer)]?.label ?? String(r.item_answer),
    status: r.status,
    riskLevel: r.risk_level ? (RISK_LEVELS[r.risk_level as keyof typeof RISK_LEVELS] ?? r.risk_level) : null,
    plan: r.plan,
    whoWasTold: r.who_was_told,
    checkedOn: r.checked_on,
    checkedBy: r.checked_by_name,
  }));
}

export async function openSafetyFlagCount(db: Queryable, patientId: string): Promise<number> {
  const row = await db
    .selectFrom("safety_flags")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("patient_id", "=", patientId)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export type { OpenSafetyFlag };

/** Patients at a site with an open safety flag (a counselor's own caseload when `counselorId` is given), oldest flag first. */
export async function openSafetyFlagsAt(db: Queryable, siteId: string, counselorId: string | null): Promise<OpenSafetyFlag[]> {
  let q = db
    .selectFrom("safety_flags as f")
    .innerJoin("patients as p", "p.id", "f.patient_id")
    .leftJoin("users as c", "c.id", "p.primary_counselor_id")
    .select([
      "p.id",
      "p.mrn",
      "p.legal_first_name",
      "p.legal_last_name",
      "p.preferred_name",
      "c.name as counselor",
      (eb) => eb.fn.min("f.opened_on").as("opened_on"),
    ])
    .where("f.site_id", "=", siteId)
    .where("p.site_id", "=", siteId)
    .where("f.status", "=", "open")
    .groupBy(["p.id", "p.mrn", "p.legal_first_name", "p.legal_last_name", "p.preferred_name", "c.name"]);
  if (counselorId) q = q.where("p.primary_counselor_id", "=", counselorId);
  const rows = await q.orderBy("opened_on").orderBy("p.legal_last_name").limit(100).execute();
  return rows.map((r) => ({
    patientId: r.id,
    name: `${r.legal_last_name}, ${r.preferred_name || r.legal_first_name}`,
    mrn: r.mrn,
    openedOn: String(r.opened_on),
    counselor: r.counselor,
  }));
}

/** A counselor's safety check closes the flag; refused if someone closed or changed it meanwhile. */
export async function recordSafetyCheck(
  db: DB,
  actor: Actor,
  patientId: string,
  input: SafetyCheckInput,
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult<{ id: string }>> {
  const patient = await patientAt(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  const stale = {
    ok: false as const,
    status: 409 as const,
    formError: "Someone else recorded a safety check on this flag, or changed it, while you were working. Reload to see it.",
  };
  return db.transaction().execute(async (trx) => {
    const flag = await trx
      .selectFrom("safety_flags")
      .select(["id", "status", "version", "opened_on"])
      .where("id", "=", input.flagId)
      .where("patient_id", "=", patientId)
      .executeTakeFirst();
    if (!flag) return { ok: false as const, status: 404 as const, formError: "There is no such safety flag on this chart." };
    if (flag.status !== "open" || Number(flag.version) !== input.version) return stale;
    if (input.checkedOn < flag.opened_on)
      return { ok: false as const, status: 400 as const, fieldErrors: { checkedOn: ["The check cannot be dated before the flag was opened."] } };
    const now = new Date().toISOString();
    const res = await trx
      .updateTable("safety_flags")
      .set({
        status: "closed",
        risk_level: input.riskLevel,
        plan: input.plan,
        who_was_told: input.whoWasTold,
        checked_on: input.checkedOn,
        checked_by: actor.id,
        checked_at: now,
        version: sql`version + 1`,
      })
      .where("id", "=", flag.id)
      .where("status", "=", "open")
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return stale;
    await recordAudit(trx, {
      actor,
      action: "safety_check.recorded",
      entityType: "safety_flag",
      entityId: flag.id,
      patientId,
      siteId: patient.site_id,
      before: { status: "open" },
      after: { status: "closed", riskLevel: input.riskLevel, plan: input.plan, whoWasTold: input.whoWasTold, checkedOn: input.checkedOn },
      meta,
    });
    return { ok: true as const, id: flag.id };
  });
}
