/**
 * Query pieces the drug-testing repositories share: a test only at the reader's sites, who a patient
 * is (the columns and the name built from them), a test as a list shows it (with the labels of what
 * it flagged), and an alert read with the test it is about.
 */
import type { Queryable } from "~/kernel/db";

/**
 * One test (alias `t`), found only when it is at one of these sites; null when no test can be (an id
 * longer than any id, or no sites at all), so the caller answers "no such test" without asking.
 */
export function testAtSites(db: Queryable, testId: string, siteIds: string[]) {
  if (testId.length > 64 || !siteIds.length) return null;
  return db.selectFrom("drug_tests as t").where("t.id", "=", testId).where("t.site_id", "in", siteIds);
}

/** The patient columns (table alias `p`) that say who a test is for. */
export const PATIENT_IDENTITY = ["p.mrn", "p.legal_first_name", "p.legal_last_name", "p.preferred_name"] as const;

/** A patient's name as the drug-testing pages write it: the name they go by, then their last name. */
export const personName = (p: { legal_first_name: string; legal_last_name: string; preferred_name?: string | null }) =>
  `${p.preferred_name || p.legal_first_name} ${p.legal_last_name}`;

/** Tests (alias `t`) with the columns every list of tests shows: when, why, which specimen on which panel, and how it came out. */
export const listedTests = (db: Queryable) =>
  db
    .selectFrom("drug_tests as t")
    .leftJoin("drug_test_panels as panel", "panel.id", "t.panel_id")
    .select([
      "t.id",
      "t.collected_at",
      "t.collection",
      "t.reason",
      "t.specimen",
      "t.validity",
      "t.outcome",
      "t.unexpected_positive",
      "panel.name as panel_name",
    ]);

/** Labels of every alert (open or not) each test raised, for lists. */
export async function openLabelsByTest(db: Queryable, testIds: string[]) {
  const out = new Map<string, { kind: string; label: string; open: boolean }[]>();
  for (let i = 0; i < testIds.length; i += 500) {
    const rows = await db
      .selectFrom("drug_test_alerts")
      .select(["test_id", "kind", "label", "status"])
      .where("test_id", "in", testIds.slice(i, i + 500))
      .where("status", "!=", "withdrawn")
      .orderBy("raised_at")
      .execute();
    for (const r of rows) {
      const list = out.get(r.test_id) ?? [];
      list.push({ kind: r.kind, label: r.label, open: r.status === "open" });
      out.set(r.test_id, list);
    }
  }
  return out;
}

type Flagged<T> = Omit<T, "unexpected_positive"> & { unexpected_positive: boolean; findings: { kind: string; label: string; open: boolean }[] };

/** Listed tests with the unexpected-positive mark as a boolean and the labels of what each flagged. */
export async function withFindings<T extends { id: string; unexpected_positive: number }>(db: Queryable, rows: T[]): Promise<Flagged<T>[]> {
  const labels = await openLabelsByTest(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, unexpected_positive: Boolean(r.unexpected_positive), findings: labels.get(r.id) ?? [] }));
}

/** Alerts (alias `a`) joined to the test (alias `t`) that raised them. */
export const alertsWithTest = (db: Queryable) => db.selectFrom("drug_test_alerts as a").innerJoin("drug_tests as t", "t.id", "a.test_id");
