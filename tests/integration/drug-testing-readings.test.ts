/**
 * Every row of the interpretation table, through the database: for each case a patient on that
 * regimen has a collection recorded and the analyte entered, and the stored reading, risk, rule and
 * alert are what the table says — on SQLite, and on PostgreSQL when it is configured.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTest } from "~/features/drug-testing/collections.server";
import { type Panel, savePanel } from "~/features/drug-testing/panels.server";
import { analytesFor, isUnexpected, type MatRegimen } from "~/features/drug-testing/rules";
import { addMatEpisode } from "~/features/patients/clinical.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta } from "../support/demo";
import { CASES } from "../unit/drug-testing-cases";
import { enroll } from "./patients-support";
import { collect, type DrugTestWorld, drugTestWorld, enterResults } from "./drug-testing-support";

describe.each(dialects)("every interpretation row, stored on %s", (dialect) => {
  let t: TestDatabase;
  let w: DrugTestWorld;
  let everything: Panel;
  const patientOn: Partial<Record<string, string>> = {};

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    w = await drugTestWorld(t.db);
    const disulfiram = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Dot", legalLastName: "Disulfiram" })).id;
    const mat = await addMatEpisode(
      t.db,
      w.counselor,
      disulfiram,
      { medication: "disulfiram", dose: "250 mg", schedule: "daily", prescriber: "Dr. Adeyemi", setting: "office_based", startedOn: "2026-09-01" },
      w.siteIds,
      meta,
    );
    if (!mat.ok) throw new Error(JSON.stringify(mat));
    Object.assign(patientOn, { "": w.nomat, buprenorphine: w.bup, methadone: w.methadone, naltrexone: w.naltrexone, disulfiram });
    const panel = await savePanel(
      t.db,
      w.admin,
      w.site.id,
      { intent: "create", name: "Urine — every analyte", specimen: "urine", analytes: analytesFor("urine") },
      meta,
    );
    if (!panel.ok) throw new Error(JSON.stringify(panel));
    everything = { id: panel.id, name: "Urine — every analyte", specimen: "urine", analytes: analytesFor("urine"), active: true, version: 1 };
  });
  afterAll(() => t?.destroy());

  it.each(CASES.map((c, i) => ({ ...c, i })))("$say ($rule)", async (c) => {
    const key = (c.regimens as MatRegimen[]).join(",");
    const patientId = patientOn[key]!;
    const breath = c.analyte === "breath_alcohol";
    const panel = breath ? w.breath : everything;
    const minutes = 8 * 60 + c.i;
    const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
    const testId = await collect(w, {
      patientId,
      time,
      specimen: breath ? "breath" : "urine",
      panelId: panel.id,
      temperatureInRange: breath ? undefined : "yes",
    });
    await enterResults(w, testId, { [c.analyte]: c.result }, "valid", panel);
    const test = (await getTest(t.db, testId, w.siteIds))!;
    const stored = test.results.find((r) => r.analyte === c.analyte)!;
    expect({ result: stored.result, reading: stored.reading, highRisk: stored.high_risk, rule: stored.rule }).toEqual({
      result: c.result,
      reading: c.reading,
      highRisk: c.highRisk,
      rule: c.rule,
    });
    const alertFor = (
      await t.db.selectFrom("drug_test_alerts").select(["kind", "status", "high_risk"]).where("test_id", "=", testId).where("analyte", "=", c.analyte).execute()
    ).map((a) => ({ ...a, high_risk: Number(a.high_risk) }));
    if (isUnexpected(c.reading)) {
      expect(alertFor).toEqual([{ kind: c.reading, status: "open", high_risk: c.highRisk ? 1 : 0 }]);
    } else {
      expect(alertFor).toEqual([]);
    }
  });
});
