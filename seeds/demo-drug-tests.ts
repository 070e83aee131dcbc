/**
 * The demo's drug testing over the past eight weeks: a random draw every Wednesday (a quarter of the
 * patients attending that day), a scheduled urine test every Monday for patients on buprenorphine or
 * methadone, and an intake test on admission. MAT patients show their expected positives; a few
 * tests are unexpected (fentanyl on buprenorphine, confirmed by the lab; cocaine; THC; oxycodone on
 * naltrexone that the lab confirmed negative; buprenorphine missing), one is dilute, one is a
 * refusal, and the latest lab send-out is still pending. Older alerts were acknowledged by the
 * patient's counselor; the recent ones are open. Nothing is drawn for today.
 *
 * Written through the app's own repositories (and so audited). Deterministic: fixed seeds.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { acknowledgeAlerts } from "../app/features/drug-testing/alerts.server";
import { confirmResult, recordCollection, saveResults } from "../app/features/drug-testing/collections.server";
import { runDraw } from "../app/features/drug-testing/draws.server";
import { listPanels } from "../app/features/drug-testing/panels.server";
import { type Analyte, type MatRegimen, matOn, regimensOf } from "../app/features/drug-testing/rules";
import { addDays, weekdayOf, zonedInstant } from "../app/kernel/time";
import { seededRandom } from "./demo-patients";

type Clinic = { siteId: string; users: Record<string, { id: string; name: string; role: string }> };

interface Planned {
  date: string;
  time: string;
  patientId: string;
  reason: "random" | "scheduled" | "intake";
  collectorKey: string;
  regimens: MatRegimen[];
  special?: "fentanyl" | "cocaine" | "thc" | "oxycodone" | "bup_missing" | "dilute" | "temperature" | "refused" | "pending";
}

export async function seedDemoDrugTests(db: Kysely<Database>, clinic: Clinic, timeZone: string, today: string) {
  const rnd = seededRandom(6062026);
  const meta = { ip: null, userAgent: "demo seed" };
  const site = { id: clinic.siteId, time_zone: timeZone };
  const siteIds = [clinic.siteId];
  const user = (key: string) => ({ id: clinic.users[key].id, name: clinic.users[key].name });
  const staffKeys = Object.keys(clinic.users).filter((k) => clinic.users[k].role === "staff");
  const urine = (await listPanels(db, clinic.siteId, { activeOnly: true })).find((p) => p.specimen === "urine")!;

  const patients = await db
    .selectFrom("patients as p")
    .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .innerJoin("users as c", "c.id", "p.primary_counselor_id")
    .select(["p.id", "p.status", "e.admitted_on", "c.id as counselor_id", "c.name as counselor_name"])
    .where("p.site_id", "=", clinic.siteId)
    .where("p.status", "in", ["active", "on_hold"])
    .orderBy("p.mrn")
    .execute();
  const episodes = await db.selectFrom("mat_episodes").select(["patient_id", "medication", "started_on", "ended_on"]).execute();
  const regimensOn = (patientId: string, date: string) =>
    regimensOf(
      matOn(
        episodes.filter((e) => e.patient_id === patientId),
        date,
      ),
    );
  const byId = new Map(patients.map((p) => [p.id, p]));

  // Wednesdays and Mondays of the eight weeks before today (never today itself).
  const days: string[] = [];
  for (let d = addDays(today, -56); d < today; d = addDays(d, 1)) if (["mon", "wed"].includes(weekdayOf(d))) days.push(d);

  const planned: Planned[] = [];
  for (const p of patients) {
    if (p.admitted_on >= addDays(today, -56) && p.admitted_on < today) {
      planned.push({
        date: p.admitted_on,
        time: "08:45",
        patientId: p.id,
        reason: "intake",
        collectorKey: staffKeys[0],
        regimens: regimensOn(p.id, p.admitted_on),
      });
    }
  }
  for (const [n, date] of days.entries()) {
    // Tom and Aisha take turns, week by week.
    const collectorKey = staffKeys[Math.floor(n / 2) % staffKeys.length];
    if (weekdayOf(date) === "mon") {
      for (const p of patients) {
        const regimens = regimensOn(p.id, date);
        if (p.admitted_on < date && (regimens.includes("buprenorphine") || regimens.includes("methadone"))) {
          planned.push({ date, time: "09:15", patientId: p.id, reason: "scheduled", collectorKey, regimens });
        }
      }
      continue;
    }
    const drawer = user(collectorKey);
    const seed = createHash("sha256").update(`demo-draw-${date}`).digest("hex");
    const when = new Date(zonedInstant(date, "08:30", timeZone));
    let draw = await runDraw(db, drawer, { date, pool: "attending", mode: "rate", amount: 25 }, site, meta, { now: when, seed });
    if (!draw.ok) draw = await runDraw(db, drawer, { date, pool: "all_active", mode: "rate", amount: 25 }, site, meta, { now: when, seed });
    if (!draw.ok) continue;
    const selected = JSON.parse(
      (await db.selectFrom("drug_test_draws").select("selected").where("id", "=", draw.id).executeTakeFirstOrThrow()).selected,
    ) as string[];
    selected.forEach((patientId, i) => {
      if (!byId.has(patientId)) return;
      const minutes = 9 * 60 + 30 + i * 6;
      const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
      planned.push({ date, time, patientId, reason: "random", collectorKey, regimens: regimensOn(patientId, date) });
    });
  }
  planned.sort((a, b) => a.date.localeCompare(b.date) || a.time.localeCompare(b.time));

  // The notable tests, each on the first planned test that fits, counted back from today.
  const pick = (special: Planned["special"], fits: (t: Planned) => boolean, from: number, to: number) => {
    const t = planned.find((x) => !x.special && x.date >= addDays(today, -from) && x.date <= addDays(today, -to) && fits(x));
    if (t) t.special = special;
  };
  const onBup = (t: Planned) => t.regimens.includes("buprenorphine");
  const noMat = (t: Planned) => t.regimens.length === 0;
  pick("bup_missing", onBup, 49, 36);
  pick("fentanyl", onBup, 35, 28);
  pick("cocaine", noMat, 30, 22);
  pick("oxycodone", (t) => t.regimens.includes("naltrexone"), 30, 14);
  pick("dilute", noMat, 16, 11);
  pick("temperature", noMat, 21, 17);
  pick("refused", (t) => t.reason === "random" && noMat(t), 12, 8);
  pick("thc", noMat, 7, 2);
  pick("pending", (t) => !onBup(t), 3, 1);

  let made = 0;
  for (const t of planned) {
    const p = byId.get(t.patientId)!;
    const collectedAt = zonedInstant(t.date, t.time, timeZone);
    const later = (minutes: number) => new Date(Date.parse(collectedAt) + minutes * 60_000);
    const collector = user(t.collectorKey);
    const recorded = await recordCollection(
      db,
      collector,
      {
        requestKey: randomUUID(),
        patientId: t.patientId,
        collection: t.special === "refused" ? "refused" : "collected",
        date: t.date,
        time: t.time,
        reason: t.reason,
        specimen: "urine",
        panelId: urine.id,
        observed: t.special === "temperature" ? false : rnd.chance(0.4),
        // Strip readings in °F; one specimen came in cold (49 CFR 40.65: 90–100 °F) and was recollected under observation.
        temperatureF: t.special === "temperature" ? 88 : 92 + (made % 6),
        temperatureNote: t.special === "temperature" ? "Cup felt cool; patient had been in the restroom for several minutes." : undefined,
        collectedBy: collector.id,
        note: t.special === "refused" ? "Declined to provide a specimen; said they would rather talk to their counselor." : undefined,
      },
      siteIds,
      meta,
      later(2),
    );
    if (!recorded.ok) throw new Error(`demo collection was refused: ${JSON.stringify(recorded)}`);
    made++;
    const counselor = { id: p.counselor_id, name: p.counselor_name };
    const acknowledge = async (note: string) => {
      const r = await acknowledgeAlerts(db, counselor, { patientId: p.id, testId: recorded.id, note }, siteIds, meta, later(60 * 26));
      if (!r.ok) throw new Error(`demo acknowledgement was refused: ${JSON.stringify(r)}`);
    };
    if (t.special === "refused") continue;

    const results: Partial<Record<Analyte, "pending" | "negative" | "positive">> = {};
    for (const a of urine.analytes) {
      const expected =
        (t.regimens.includes("buprenorphine") && a === "buprenorphine") || (t.regimens.includes("methadone") && (a === "methadone" || a === "eddp"));
      results[a] = t.special === "pending" ? "pending" : expected ? "positive" : "negative";
    }
    if (t.special === "bup_missing") results.buprenorphine = "negative";
    if (t.special === "fentanyl") results.fentanyl = "positive";
    if (t.special === "cocaine") results.cocaine = "positive";
    if (t.special === "thc") results.thc = "positive";
    if (t.special === "oxycodone") results.oxycodone = "positive";
    const saved = await saveResults(
      db,
      collector,
      recorded.id,
      {
        intent: "results",
        version: 1,
        validity: t.special === "dilute" ? "dilute" : "valid",
        // The lab's validity figures for the dilute one: creatinine 14 mg/dL, SG 1.0020 (49 CFR 40.88(a)).
        ...(t.special === "dilute" ? { creatinine: 14, specificGravity: 1.002, ph: 6.1 } : {}),
        results,
      },
      siteIds,
      meta,
      later(8),
    );
    if (!saved.ok) throw new Error(`demo results were refused: ${JSON.stringify(saved)}`);

    if (t.special === "fentanyl" || t.special === "oxycodone") {
      const confirmed = await confirmResult(
        db,
        collector,
        recorded.id,
        {
          intent: "confirm",
          version: 2,
          analyte: t.special,
          confirmation: t.special === "fentanyl" ? "confirmed_positive" : "confirmed_negative",
          lab: "Northeast Toxicology Laboratory",
          accessionNumber: `NTL-${t.date.replaceAll("-", "")}-${String(100 + made).padStart(4, "0")}`,
          confirmedOn: addDays(t.date, 3),
        },
        siteIds,
        meta,
        later(60 * 24 * 3),
      );
      if (!confirmed.ok) throw new Error(`demo confirmation was refused: ${JSON.stringify(confirmed)}`);
    }
    if (t.special === "bup_missing")
      await acknowledge(
        "Said she missed three days of doses after losing her film supply; prescriber contacted and a refill arranged. Observed dosing for two weeks.",
      );
    if (t.special === "fentanyl")
      await acknowledge(
        "Disclosed a one-time use after a family conflict. Naloxone kit given, safety plan updated, relapse-prevention goals revised with the patient.",
      );
    if (t.special === "temperature") {
      // The observed recollection, twelve minutes later, linked to the cold specimen.
      const [h, m] = t.time.split(":").map(Number) as [number, number];
      const minutes = h * 60 + m + 12;
      const again = await recordCollection(
        db,
        collector,
        {
          requestKey: randomUUID(),
          patientId: t.patientId,
          collection: "collected",
          date: t.date,
          time: `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`,
          reason: t.reason,
          specimen: "urine",
          panelId: urine.id,
          observed: true,
          temperatureF: 96,
          temperatureNote: undefined,
          collectedBy: collector.id,
          note: "Recollected under direct observation after an out-of-range temperature.",
          recollectionOf: recorded.id,
        },
        siteIds,
        meta,
        later(20),
      );
      if (!again.ok) throw new Error(`demo recollection was refused: ${JSON.stringify(again)}`);
      const negatives = Object.fromEntries(urine.analytes.map((a) => [a, "negative" as const]));
      const r = await saveResults(db, collector, again.id, { intent: "results", version: 1, validity: "valid", results: negatives }, siteIds, meta, later(30));
      if (!r.ok) throw new Error(`demo recollection results were refused: ${JSON.stringify(r)}`);
      await acknowledge("Recollected under direct observation the same morning (96 °F); negative. Discussed at the next session.");
    }
    if (t.special === "cocaine") await acknowledge("Discussed in individual session; used at a party. Added weekly for-cause testing for a month.");
  }
  return made;
}
