/**
 * The "Unexpected result" flag: one alert per finding of a test (an unexpected positive, a
 * prescribed medication not detected, an adulterated or substituted specimen, a refusal, a
 * no-show), open until a counselor acknowledges it with a note. When results change so that a
 * finding no longer stands (a lab confirms negative), its open alert is withdrawn, not deleted.
 */
import { sql } from "kysely";
import type { DB, Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { alertsWithTest, PATIENT_IDENTITY, personName, testAtSites } from "./queries.server";
import type { Finding } from "./rules";

/**
 * Brings a test's alerts in line with its findings, inside the transaction that changed the test:
 * new findings raise open alerts (a withdrawn one re-opens), findings that went away withdraw their
 * open alerts. Acknowledged alerts are history and stay as they are.
 */
export async function syncAlerts(trx: Trx, test: { id: string; patientId: string }, findings: Finding[], now: string) {
  const existing = await trx.selectFrom("drug_test_alerts").selectAll().where("test_id", "=", test.id).execute();
  const byFinding = new Map(existing.map((a) => [a.finding, a]));
  const wanted = new Set(findings.map((f) => f.key));
  const raised: string[] = [];
  const withdrawn: string[] = [];
  for (const f of findings) {
    const a = byFinding.get(f.key);
    if (!a) {
      await trx
        .insertInto("drug_test_alerts")
        .values({
          id: newId(),
          test_id: test.id,
          patient_id: test.patientId,
          finding: f.key,
          kind: f.kind,
          analyte: f.analyte,
          label: f.label,
          high_risk: f.highRisk ? 1 : 0,
          raised_at: now,
          status: "open",
          closed_at: null,
          closed_by: null,
          note: null,
        })
        .execute();
      raised.push(f.label);
    } else if (a.status === "withdrawn") {
      await trx
        .updateTable("drug_test_alerts")
        .set({
          status: "open",
          raised_at: now,
          closed_at: null,
          closed_by: null,
          note: null,
          label: f.label,
          high_risk: f.highRisk ? 1 : 0,
          version: sql`version + 1`,
        })
        .where("id", "=", a.id)
        .execute();
      raised.push(f.label);
    } else if (a.status === "open" && (a.label !== f.label || Boolean(a.high_risk) !== f.highRisk)) {
      await trx
        .updateTable("drug_test_alerts")
        .set({ label: f.label, high_risk: f.highRisk ? 1 : 0 })
        .where("id", "=", a.id)
        .execute();
    }
  }
  for (const a of existing) {
    if (a.status === "open" && !wanted.has(a.finding)) {
      await trx
        .updateTable("drug_test_alerts")
        .set({ status: "withdrawn", closed_at: now, note: "The finding no longer stands after the results changed.", version: sql`version + 1` })
        .where("id", "=", a.id)
        .execute();
      withdrawn.push(a.label);
    }
  }
  return { raised, withdrawn };
}

/**
 * Open (unacknowledged) alerts per patient, for the caseload, the chart header and the dashboard:
 * how many, and what they are ("Fentanyl", "Buprenorphine not detected", "Refused", …) in the
 * order they were raised. Patients without open alerts are absent from the map.
 */
export async function unexpectedResultFlags(db: DB, patientIds: string[]): Promise<Map<string, { count: number; analytes: string[] }>> {
  const out = new Map<string, { count: number; analytes: string[] }>();
  const ids = [...new Set(patientIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom("drug_test_alerts")
      .select(["patient_id", "label"])
      .where("patient_id", "in", ids.slice(i, i + 500))
      .where("status", "=", "open")
      .orderBy("raised_at")
      .orderBy("id")
      .execute();
    for (const r of rows) {
      const entry = out.get(r.patient_id) ?? { count: 0, analytes: [] };
      entry.count++;
      if (!entry.analytes.includes(r.label)) entry.analytes.push(r.label);
      out.set(r.patient_id, entry);
    }
  }
  return out;
}

/** A patient's open alerts, grouped by test, oldest test first. */
export async function openAlertsOf(db: DB, patientId: string) {
  const rows = await alertsWithTest(db)
    .select(["a.id", "a.test_id", "a.kind", "a.label", "a.high_risk", "a.raised_at", "t.collected_on", "t.collected_at", "t.reason"])
    .where("a.patient_id", "=", patientId)
    .where("a.status", "=", "open")
    .orderBy("t.collected_at")
    .orderBy("a.raised_at")
    .execute();
  const byTest = new Map<
    string,
    { testId: string; collectedOn: string; collectedAt: string; reason: string; findings: { id: string; kind: string; label: string; highRisk: boolean }[] }
  >();
  for (const r of rows) {
    const entry = byTest.get(r.test_id) ?? { testId: r.test_id, collectedOn: r.collected_on, collectedAt: r.collected_at, reason: r.reason, findings: [] };
    entry.findings.push({ id: r.id, kind: r.kind, label: r.label, highRisk: Boolean(r.high_risk) });
    byTest.set(r.test_id, entry);
  }
  return [...byTest.values()];
}

/** Alerts already acknowledged for a patient, newest first (who, when, and their note). */
export async function acknowledgedAlertsOf(db: DB, patientId: string, limit = 20) {
  return alertsWithTest(db)
    .leftJoin("users as u", "u.id", "a.closed_by")
    .select(["a.id", "a.test_id", "a.kind", "a.label", "a.status", "a.closed_at", "a.note", "u.name as by_name", "t.collected_on"])
    .where("a.patient_id", "=", patientId)
    .where("a.status", "in", ["acknowledged", "withdrawn"])
    .orderBy("a.closed_at", "desc")
    .limit(limit)
    .execute();
}

/**
 * Open alerts at some sites, one row per patient and test, for a counselor's own caseload
 * (primary counselor) or, with counselorId null, everyone's.
 */
export async function openAlertsAt(db: DB, siteIds: string[], counselorId: string | null, limit = 50) {
  if (!siteIds.length) return [];
  let q = alertsWithTest(db)
    .innerJoin("patients as p", "p.id", "a.patient_id")
    .leftJoin("users as c", "c.id", "p.primary_counselor_id")
    .select(["a.test_id", "a.label", "a.high_risk", "t.collected_on", "p.id as patient_id", ...PATIENT_IDENTITY, "c.name as counselor"])
    .where("a.status", "=", "open")
    .where("p.site_id", "in", siteIds);
  if (counselorId) q = q.where("p.primary_counselor_id", "=", counselorId);
  const rows = await q
    .orderBy("t.collected_at", "desc")
    .orderBy("a.raised_at")
    .limit(limit * 6)
    .execute();
  const byTest = new Map<
    string,
    { testId: string; patientId: string; name: string; mrn: string; counselor: string | null; collectedOn: string; labels: string[]; highRisk: boolean }
  >();
  for (const r of rows) {
    const entry = byTest.get(r.test_id) ?? {
      testId: r.test_id,
      patientId: r.patient_id,
      name: personName(r),
      mrn: r.mrn,
      counselor: r.counselor,
      collectedOn: r.collected_on,
      labels: [],
      highRisk: false,
    };
    entry.labels.push(r.label);
    entry.highRisk ||= Boolean(r.high_risk);
    byTest.set(r.test_id, entry);
  }
  return [...byTest.values()].slice(0, limit);
}

/** A counselor acknowledges every open alert of one test with one note. */
export async function acknowledgeAlerts(
  db: DB,
  actor: Actor,
  input: { patientId: string; testId: string; note: string },
  siteIds: string[],
  meta: ClientMeta,
  now = new Date(),
): Promise<WriteResult<{ acknowledged: string[] }>> {
  const test = await testAtSites(db, input.testId.slice(0, 64), siteIds)
    ?.select(["t.id", "t.patient_id", "t.site_id", "t.collected_on"])
    .where("t.patient_id", "=", input.patientId)
    .executeTakeFirst();
  if (!test) return { ok: false, status: 404, formError: "That test is not on this patient's chart." };
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    // One statement claims the open alerts, so two counselors acknowledging at once cannot both succeed.
    const open = await trx
      .updateTable("drug_test_alerts")
      .set({ status: "acknowledged", closed_at: nowIso, closed_by: actor.id, note: input.note, version: sql`version + 1` })
      .where("test_id", "=", test.id)
      .where("status", "=", "open")
      .returning(["id", "label", "raised_at"])
      .execute();
    if (!open.length) {
      const last = await trx
        .selectFrom("drug_test_alerts as a")
        .leftJoin("users as u", "u.id", "a.closed_by")
        .select(["u.name", "a.closed_at"])
        .where("a.test_id", "=", test.id)
        .where("a.status", "=", "acknowledged")
        .orderBy("a.closed_at", "desc")
        .executeTakeFirst();
      return {
        ok: false as const,
        status: 409 as const,
        formError: last ? `${last.name ?? "Someone"} already acknowledged this result; reload to see their note.` : "This test has nothing to acknowledge.",
      };
    }
    open.sort((a, b) => a.raised_at.localeCompare(b.raised_at) || a.id.localeCompare(b.id));
    await recordAudit(trx, {
      actor,
      action: "drug_test.alert_acknowledged",
      entityType: "drug_test",
      entityId: test.id,
      patientId: test.patient_id,
      siteId: test.site_id,
      after: { findings: open.map((a) => a.label), note: input.note },
      detail: { collectedOn: test.collected_on },
      meta,
    });
    return { ok: true as const, acknowledged: open.map((a) => a.label) };
  });
}
