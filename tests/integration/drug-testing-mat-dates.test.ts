/**
 * Results are read against the MAT a patient was on when the specimen was collected, also when
 * the results are entered days later (a lab's answer) and the MAT changed in between. On its own
 * database, so the program's figures in the other collection tests stay as they are.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTest } from "~/features/drug-testing/collections.server";
import { addMatEpisode, endMatEpisode } from "~/features/patients/clinical.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta } from "../support/demo";
import { enroll } from "./patients-support";
import { collect, type DrugTestWorld, drugTestWorld, enterResults, NOW } from "./drug-testing-support";

describe.each(dialects)("MAT on the collection day on %s", (dialect) => {
  let t: TestDatabase;
  let w: DrugTestWorld;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    w = await drugTestWorld(t.db);
  });
  afterAll(() => t?.destroy());

  const test = async (id: string) => {
    const found = (await getTest(t.db, id, w.siteIds))!;
    return { buprenorphine: found.results.find((r) => r.analyte === "buprenorphine")!.reading, mat: found.matContext.map((m) => m.medication) };
  };
  const bup = { medication: "buprenorphine_naloxone" as const, dose: "16 mg", schedule: "daily", prescriber: "Dr. Adeyemi", setting: "office_based" };

  it("reads results entered a week later against the MAT running on the collection day, not the day of entry", async () => {
    // Collected Friday Nov 20; results entered Friday Nov 27 (NOW, noon in New York). In between,
    // on Tuesday Nov 24, Eli's buprenorphine ends and Sol's begins.
    expect(NOW.toISOString().slice(0, 10)).toBe("2026-11-27");
    const eli = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Eli", legalLastName: "Ending" })).id;
    const started = await addMatEpisode(t.db, w.counselor, eli, { ...bup, startedOn: "2026-09-01" }, w.siteIds, meta);
    if (!started.ok) throw new Error(JSON.stringify(started));
    const sol = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Sol", legalLastName: "Starting" })).id;

    const eliTest = await collect(w, { patientId: eli, date: "2026-11-20", time: "09:40" });
    const solTest = await collect(w, { patientId: sol, date: "2026-11-20", time: "09:45" });

    expect(
      await endMatEpisode(t.db, w.counselor, eli, { matId: started.id, version: 1, endedOn: "2026-11-24", endReason: "Tapered off" }, w.siteIds, meta),
    ).toEqual({ ok: true });
    expect((await addMatEpisode(t.db, w.counselor, sol, { ...bup, startedOn: "2026-11-24" }, w.siteIds, meta)).ok).toBe(true);

    // Eli was on buprenorphine on Nov 20: buprenorphine present is expected, and nothing is flagged
    // (read against Nov 27 it would be an unexpected positive).
    expect(await enterResults(w, eliTest, { buprenorphine: "positive" })).toMatchObject({ outcome: "positive", raised: [] });
    expect(await test(eliTest)).toEqual({ buprenorphine: "expected_positive", mat: ["buprenorphine_naloxone"] });

    // Sol was not on it yet on Nov 20: buprenorphine present is an unexpected positive, flagged
    // (read against Nov 27 it would be expected, and nobody would hear of it).
    expect(await enterResults(w, solTest, { buprenorphine: "positive" })).toMatchObject({ outcome: "positive", raised: ["Buprenorphine"] });
    expect(await test(solTest)).toEqual({ buprenorphine: "unexpected_positive", mat: [] });
  });

  it("flags prescribed buprenorphine missing from a collection made before the MAT ended, entered after it ended", async () => {
    // Buprenorphine entered negative on Nov 27 for a collection of Nov 20, when Ana was still on it
    // (her episode ended Nov 24): prescribed medication not detected, flagged.
    const ana = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Ana", legalLastName: "Absent" })).id;
    const started = await addMatEpisode(t.db, w.counselor, ana, { ...bup, startedOn: "2026-09-01" }, w.siteIds, meta);
    if (!started.ok) throw new Error(JSON.stringify(started));
    const anaTest = await collect(w, { patientId: ana, date: "2026-11-20", time: "09:50" });
    expect(await endMatEpisode(t.db, w.counselor, ana, { matId: started.id, version: 1, endedOn: "2026-11-24" }, w.siteIds, meta)).toEqual({ ok: true });
    expect(await enterResults(w, anaTest, {})).toMatchObject({ outcome: "negative", raised: ["Buprenorphine not detected"] });
    expect(await test(anaTest)).toEqual({ buprenorphine: "unexpected_negative", mat: ["buprenorphine_naloxone"] });
  });
});
