/**
 * The demo's standardized measures: PHQ-9, GAD-7, AUDIT, DAST-10 and the BAM at intake and about
 * every 30 days for the patients in the program, with believable trends — most improve, about one
 * in five does not — and a few who are overdue or new (due at intake). One patient answered above
 * 0 on PHQ-9 item 9 on their latest PHQ-9 and has an open safety flag; another had one that a
 * counselor's recorded safety check closed.
 *
 * Written through the app's own repository (and so audited). Deterministic: a fixed seed.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { recordMeasure, recordSafetyCheck, safetyFlagsOf } from "../app/features/measures/measures.server";
import { type Answers, type Item, MEASURE_CODES, MEASURES, type MeasureCode } from "../app/features/measures/rules";
import { addDays, daysBetween } from "../app/kernel/time";
import { seededRandom } from "./demo-patients";

type Clinic = { siteId: string; users: Record<string, { id: string; name: string; role: string }> };
type Rnd = ReturnType<typeof seededRandom>;

/** Answers to `items` whose points add up to `target` (or as near as the items allow), spread at random. */
function fill(items: Item[], target: number, rnd: Rnd, answers: Answers): void {
  // Each item climbs its answers in order of points (a reverse-keyed item climbs backwards).
  const order = new Map(items.map((i) => [i.n, i.choices.map((_, k) => k).sort((a, b) => i.choices[a].points - i.choices[b].points)]));
  const rank = new Map(items.map((i) => [i.n, 0]));
  let left = target;
  for (let guard = 0; left > 0 && guard < 400; guard++) {
    const item = items[Math.floor(rnd.next() * items.length)];
    const steps = order.get(item.n)!;
    const r = rank.get(item.n)!;
    if (r + 1 >= steps.length) continue;
    const gain = item.choices[steps[r + 1]].points - item.choices[steps[r]].points;
    if (gain > left) continue;
    rank.set(item.n, r + 1);
    left -= gain;
  }
  for (const i of items) answers[i.n] = order.get(i.n)![rank.get(i.n)!];
}

/** One administration's answers for a severity from 0 (none) to 1 (the worst the measure measures). */
function answersFor(code: MeasureCode, severity: number, rnd: Rnd, item9 = 0): Answers {
  const m = MEASURES[code];
  const answers: Answers = {};
  const s = Math.min(1, Math.max(0, severity));
  if (code === "bam") {
    const by = (sub: string) => m.items.filter((i) => i.subscale === sub);
    // Little enough trouble reads as no use at all in the past 30 days.
    fill(by("use"), s < 0.2 ? 0 : Math.round(s * 9), rnd, answers);
    fill(by("risk"), Math.round(4 + s * 14), rnd, answers);
    fill(by("protective"), Math.round(20 - s * 12), rnd, answers);
    answers["17"] = Math.max(0, Math.min(4, Math.round(4 - s * 4)));
    return answers;
  }
  if (code === "phq9") {
    fill(m.items.slice(0, 8), Math.round(s * 24), rnd, answers);
    answers["9"] = item9;
    return answers;
  }
  fill(m.items, Math.round(s * m.maxTotal! * 0.85), rnd, answers);
  return answers;
}

export async function seedDemoMeasures(db: Kysely<Database>, clinic: Clinic, today: string): Promise<void> {
  const rnd = seededRandom(1962026);
  const meta = { ip: null, userAgent: "demo seed" };
  const siteIds = [clinic.siteId];
  const staff = Object.values(clinic.users).find((u) => u.role === "staff");
  const patients = await db
    .selectFrom("patients as p")
    .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .innerJoin("users as c", "c.id", "p.primary_counselor_id")
    .select(["p.id", "p.status", "e.admitted_on", "c.id as counselor_id", "c.name as counselor_name"])
    .where("p.site_id", "=", clinic.siteId)
    .where("p.status", "in", ["active", "on_hold"])
    .orderBy("p.mrn")
    .execute();
  let flagged = 0;
  // The flags go to Marcus Bell's caseload (the demo counselor who signs in without 2FA).
  const marcus = clinic.users["marcus.bell"]?.id;
  const longer = patients.filter((p) => daysBetween(p.admitted_on, today) >= 35 && (!marcus || p.counselor_id === marcus));
  const openFlag = longer[0]?.id;
  const closedFlag = longer[1]?.id;
  // Two more of Marcus's patients have fallen behind: nothing given in the last 38 days, so their
  // repeat measures are overdue on his Home worklist.
  const behind = new Set(
    longer
      .filter((p) => p.id !== openFlag && p.id !== closedFlag && daysBetween(p.admitted_on, today) >= 45)
      .slice(0, 2)
      .map((p) => p.id),
  );
  for (const [index, p] of patients.entries()) {
    const counselor = { id: p.counselor_id, name: p.counselor_name };
    const days = daysBetween(p.admitted_on, today);
    // The newest admissions have nothing yet: their intake measures are due.
    if (days < 3) continue;
    const improving = index % 5 !== 2;
    const base = 0.35 + rnd.next() * 0.45;
    const dates: string[] = [];
    for (let d = 0; d <= days; d += 30) dates.push(addDays(p.admitted_on, Math.min(days, d + Math.floor(rnd.next() * 3))));
    // Every fourth patient is behind: the latest round is not given yet (overdue on the chart).
    if (index % 4 === 3 && dates.length > 1 && daysBetween(dates.at(-1)!, today) < 7) dates.pop();
    if (behind.has(p.id)) dates.splice(0, dates.length, ...dates.filter((on) => daysBetween(on, today) >= 38));
    for (const [k, on] of dates.entries()) {
      const severity = improving ? base * Math.pow(0.62, k) + rnd.next() * 0.06 : base + (rnd.next() - 0.3) * 0.12 * (k + 1);
      // Who gave it: mostly the counselor, sometimes staff at the front desk with a tablet.
      const actor = staff && rnd.next() < 0.3 ? { id: staff.id, name: staff.name } : counselor;
      for (const code of MEASURE_CODES) {
        const last = k === dates.length - 1;
        // The open flag on one patient's latest PHQ-9; the closed one on another's first.
        const item9 = code === "phq9" && ((p.id === openFlag && last) || (p.id === closedFlag && k === 0)) ? 1 : 0;
        // Now and then a question was skipped: the response stays incomplete.
        const answers = answersFor(code, severity * (code === "audit" || code === "dast10" ? 0.8 : 1), rnd, item9);
        if (rnd.next() < 0.03) delete answers[MEASURES[code].items[Math.floor(rnd.next() * MEASURES[code].items.length)].n];
        const r = await recordMeasure(db, actor, p.id, code, { requestKey: randomUUID(), administeredOn: on, answers }, siteIds, meta);
        if (!r.ok) throw new Error(`demo measure refused: ${JSON.stringify(r)}`);
        if (r.flagOpened) flagged++;
      }
    }
    if (p.id === closedFlag) {
      const [flag] = (await safetyFlagsOf(db, p.id)).filter((f) => f.status === "open");
      if (flag) {
        const r = await recordSafetyCheck(
          db,
          counselor,
          p.id,
          {
            intent: "safety-check",
            flagId: flag.id,
            version: flag.version,
            riskLevel: "low",
            plan: "Passive thoughts, no plan or intent. Safety plan written with the patient: sister and sponsor as supports, 988 crisis line, no firearms at home. Check-in at the next group.",
            whoWasTold: "Dr. Adeyemi, clinical supervisor",
            checkedOn: flag.openedOn,
          },
          siteIds,
          meta,
        );
        if (!r.ok) throw new Error(`demo safety check refused: ${JSON.stringify(r)}`);
      }
    }
  }
  if (!flagged) throw new Error("demo measures: no safety flag was opened");
}

/**
 * Measures for the past year's discharges (seeded after the current caseload, with the history):
 * at intake and at discharge for the thirty most recent episodes that lasted three weeks or more,
 * so the Measure change report has an intake → discharge comparison. Most improve.
 */
export async function seedDemoDischargeMeasures(db: Kysely<Database>, clinic: Clinic, today: string): Promise<void> {
  const rnd = seededRandom(1972026);
  const meta = { ip: null, userAgent: "demo seed" };
  const episodes = await db
    .selectFrom("patient_episodes as e")
    .innerJoin("patients as p", "p.id", "e.patient_id")
    .innerJoin("users as c", "c.id", "p.primary_counselor_id")
    .select(["p.id", "e.admitted_on", "e.discharged_on", "c.id as counselor_id", "c.name as counselor_name"])
    .where("p.site_id", "=", clinic.siteId)
    .where("e.discharged_on", "is not", null)
    .where("e.discharged_on", ">=", addDays(today, -365))
    .orderBy("e.discharged_on", "desc")
    .orderBy("p.mrn")
    .execute();
  const long = episodes.filter((e) => daysBetween(e.admitted_on, e.discharged_on!) >= 21).slice(0, 30);
  for (const [index, e] of long.entries()) {
    const counselor = { id: e.counselor_id, name: e.counselor_name };
    const improving = index % 4 !== 1;
    const base = 0.35 + rnd.next() * 0.45;
    const end = addDays(e.discharged_on!, -Math.floor(rnd.next() * 3));
    for (const [k, on] of [e.admitted_on, end].entries()) {
      const severity = k === 0 ? base : improving ? base * 0.45 + rnd.next() * 0.08 : base + (rnd.next() - 0.4) * 0.15;
      for (const code of MEASURE_CODES) {
        const answers = answersFor(code, severity * (code === "audit" || code === "dast10" ? 0.8 : 1), rnd);
        const r = await recordMeasure(db, counselor, e.id, code, { requestKey: randomUUID(), administeredOn: on, answers }, [clinic.siteId], meta);
        if (!r.ok) throw new Error(`demo discharge measure refused: ${JSON.stringify(r)}`);
      }
    }
  }
}
