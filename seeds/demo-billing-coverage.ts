/**
 * The demo clinic's payers, coverages, authorizations and Medicare certifications (issue 21),
 * written through the billing repositories as billing staff would (and audited):
 *
 * - Payers for a Brooklyn program (the demo patients live there): three commercial plans with
 *   invented names, New York Medicaid, Medicare Part B, Self-pay and a state grant.
 * - A coverage for every patient in care but the newest admission (insurance still being verified),
 *   from the payer their intake named; one Medicare patient also has Medicaid as secondary.
 * - Approved IOP/PHP authorizations back to back from the start of care at the patient's level,
 *   five units a week, the current one ending 10–24 days from today with its concurrent review four
 *   days before. One ends this week; one is exhausted (units approved = units used); one patient
 *   attending IOP/PHP has no authorization yet (requested, not approved: it shows on Home).
 * - Medicare patients: the physician's initial certification on the first day of care and each
 *   recertification three days before it falls due; one patient's next recertification is due within
 *   the week.
 *
 * Deterministic: patients in MRN order, dates from `today`.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, LevelOfCare } from "../db/schema";
import { createAuthorization, patientAuthorizations, updateAuthorization } from "../app/features/billing/authorizations.server";
import { addCertification, DEFAULT_RECERT } from "../app/features/billing/certifications.server";
import { createCoverage } from "../app/features/billing/coverage.server";
import { createPayer } from "../app/features/billing/payers.server";
import type { PayerKind, RecertRule } from "../app/features/billing/rules";
import { addDays, daysBetween } from "../app/kernel/time";
import { billingStartsOn } from "../app/features/billing/billing-start.server";
import { attendedDays } from "../app/features/billing/days.server";
import { recordConsent } from "../app/features/consents/consents.server";
import { recipientKey } from "../app/features/consents/rules";
import type { DemoClinic } from "./demo";

const meta = { ip: null, userAgent: "demo seed" };

/**
 * The payers: the plans the demo's patients were enrolled with (patients.payer_plan, which their
 * insurer consents also name, so a claim to the plan is covered by the patient's consent), plus
 * Self-pay and a state grant. Payer ids are invented.
 */
const PAYERS: { key: string; name: string; kind: PayerKind; payerCode: string }[] = [
  { key: "empire", name: "Empire BCBS PPO", kind: "commercial", payerCode: "803" },
  { key: "aetna", name: "Aetna Choice POS II", kind: "commercial", payerCode: "60054" },
  { key: "uhc", name: "UnitedHealthcare Choice Plus", kind: "commercial", payerCode: "87726" },
  { key: "fidelis", name: "NY Medicaid Managed Care — Fidelis", kind: "medicaid", payerCode: "11315" },
  { key: "healthfirst", name: "NY Medicaid Managed Care — Healthfirst", kind: "medicaid", payerCode: "80141" },
  { key: "medicare", name: "Medicare Part B", kind: "medicare", payerCode: "13202" },
  { key: "self", name: "Self-pay", kind: "self_pay", payerCode: "" },
  { key: "grant", name: "OASAS State Opioid Response grant", kind: "grant", payerCode: "" },
];

const PHYSICIANS = [
  { name: "Dr. Helen Ruiz", npi: "1730485921" },
  { name: "Dr. Samuel Okafor", npi: "1467392058" },
];

/** The recertification dates a physician signs `lead` days before each falls due, up to today, and the next due date. */
function recertPlan(startedOn: string, rule: RecertRule, today: string, lead: number): { signed: string[]; dueOn: string } {
  const signed: string[] = [];
  let due = addDays(startedOn, rule.firstDay - 1);
  while (addDays(due, -lead) <= today) {
    const on = addDays(due, -lead);
    signed.push(on);
    due = addDays(on, rule.intervalDays);
  }
  return { signed, dueOn: due };
}

export async function seedDemoBillingCoverage(db: Kysely<Database>, clinic: DemoClinic, today: string): Promise<void> {
  const admin = Object.values(clinic.users).find((u) => u.role === "billing") ?? Object.values(clinic.users).find((u) => u.role === "admin")!;
  const actor = { id: admin.id, name: admin.name };
  const siteIds = [clinic.siteId];
  const payer: Record<string, string> = {};
  for (const p of PAYERS) {
    const r = await createPayer(db, actor, clinic.siteId, { name: p.name, kind: p.kind, payerCode: p.payerCode || undefined, active: "yes" }, meta);
    if (!r.ok) throw new Error(`demo payer refused: ${JSON.stringify(r)}`);
    payer[p.key] = r.id;
  }

  const patients = await db
    .selectFrom("patients as p")
    .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .select([
      "p.id",
      "p.mrn",
      "p.payer_type",
      "p.payer_plan",
      "p.payer_member_id",
      "p.legal_first_name",
      "p.legal_last_name",
      "p.date_of_birth",
      "p.level_of_care",
      "p.level_since",
      "e.admitted_on",
    ])
    .where("p.site_id", "=", clinic.siteId)
    .where("p.status", "in", ["active", "on_hold"])
    .where("e.admitted_on", "<=", today)
    .orderBy("p.mrn")
    .execute();
  if (!patients.length) return;
  const newest = [...patients].sort((a, b) => (a.admitted_on < b.admitted_on ? 1 : -1))[0].id;
  const recent = await db
    .selectFrom("attendance")
    .select("patient_id")
    .distinct()
    .where("local_date", ">=", addDays(today, -6))
    .where("local_date", "<=", today)
    .where("status", "in", ["present", "late", "left_early"])
    .execute();
  const attending = new Set(recent.map((r) => r.patient_id));
  // The patient's own plan; a self-pay patient every fourth one is carried by the state grant.
  const payerKey = (p: { payer_type: string; payer_plan: string | null }, i: number) =>
    PAYERS.find((x) => x.kind !== "self_pay" && x.kind !== "grant" && x.name === p.payer_plan)?.key ??
    (p.payer_type === "self_pay" && i % 4 === 0 ? "grant" : "self");

  // Who plays which part: picked among patients attending IOP/PHP whose commercial plan or Medicaid authorizes care.
  const candidates = patients.filter(
    (p) => p.id !== newest && p.level_of_care !== "OP" && (p.payer_type === "commercial" || p.payer_type === "medicaid") && attending.has(p.id),
  );
  const endingSoon = candidates[0]?.id;
  const noAuthorization = candidates[1]?.id;
  const exhaustCandidates = candidates.slice(2).map((p) => p.id);
  let recertSoonDone = false;
  let dualDone = false;
  const inCareCoverage = new Map<string, { id: string; key: string; mrn: string }>();

  for (const [i, p] of patients.entries()) {
    if (p.id === newest) continue;
    const key = payerKey(p, i);
    const effectiveFrom = `${p.admitted_on.slice(0, 4)}-01-01` <= p.admitted_on ? `${p.admitted_on.slice(0, 4)}-01-01` : p.admitted_on;
    const coverage = await createCoverage(
      db,
      actor,
      p.id,
      {
        payerId: payer[key],
        memberId: key === "self" ? "SELF" : (p.payer_member_id ?? `M${p.mrn}`),
        groupNumber: PAYERS.find((x) => x.key === key)!.kind === "commercial" ? `GRP-${4100 + (i % 7) * 13}` : undefined,
        relationship: "self",
        priority: "primary",
        effectiveFrom,
      },
      siteIds,
      meta,
    );
    if (!coverage.ok) throw new Error(`demo coverage refused: ${JSON.stringify(coverage)}`);
    inCareCoverage.set(p.id, { id: coverage.id, key, mrn: p.mrn });
    if (key === "medicare" && !dualDone) {
      dualDone = true;
      const dual = await createCoverage(
        db,
        actor,
        p.id,
        { payerId: payer.healthfirst, memberId: `NY${String(7000000 + i * 311)}`, relationship: "self", priority: "secondary", effectiveFrom },
        siteIds,
        meta,
      );
      if (!dual.ok) throw new Error(`demo coverage refused: ${JSON.stringify(dual)}`);
    }
    const level = p.level_of_care as LevelOfCare;
    if (level === "OP" || key === "self" || key === "grant") continue;
    const startedOn = p.level_since > p.admitted_on ? p.level_since : p.admitted_on;

    if (p.id === noAuthorization) {
      // Requested at admission, not yet approved: the days attended wait on it.
      const r = await createAuthorization(
        db,
        actor,
        p.id,
        {
          coverageId: coverage.id,
          levelOfCare: level,
          unitKind: "days",
          unitsApproved: 20,
          startsOn: startedOn,
          endsOn: addDays(startedOn, 27),
          status: "requested",
        },
        siteIds,
        meta,
      );
      if (!r.ok) throw new Error(`demo authorization refused: ${JSON.stringify(r)}`);
      continue;
    }

    // Back-to-back 28-day authorizations ending with the current one, five units a week.
    const lastEnd = p.id === endingSoon ? addDays(today, 3) : addDays(today, 10 + (i % 15));
    // The days from the start of care to the current one's end, cut into even spans of about four weeks.
    const total = daysBetween(startedOn, lastEnd) + 1;
    const count = Math.max(1, Math.round(total / 28));
    const spans: { startsOn: string; endsOn: string }[] = [];
    for (let n = 0, from = startedOn; n < count; n++) {
      const to = n === count - 1 ? lastEnd : addDays(from, Math.floor(total / count) - 1);
      spans.push({ startsOn: from, endsOn: to });
      from = addDays(to, 1);
    }
    for (const [n, s] of spans.entries()) {
      const current = n === spans.length - 1;
      const r = await createAuthorization(
        db,
        actor,
        p.id,
        {
          coverageId: coverage.id,
          levelOfCare: level,
          unitKind: "days",
          unitsApproved: Math.max(1, Math.ceil(((daysBetween(s.startsOn, s.endsOn) + 1) * 5) / 7)),
          startsOn: s.startsOn,
          endsOn: s.endsOn,
          status: "approved",
          number: `${key.slice(0, 3).toUpperCase()}-${p.mrn.replace(/\D/g, "").slice(-5)}-${n + 1}`,
          // The concurrent review four days before the end, or tomorrow when that has passed.
          nextReviewOn: current ? (addDays(s.endsOn, -4) > today ? addDays(s.endsOn, -4) : addDays(today, 1)) : undefined,
        },
        siteIds,
        meta,
      );
      if (!r.ok) throw new Error(`demo authorization refused: ${JSON.stringify(r)}`);
    }

    if (key === "medicare" && (level === "IOP" || level === "PHP")) {
      const physician = PHYSICIANS[i % PHYSICIANS.length];
      const hours = level === "IOP" ? 12 : 25;
      const init = await addCertification(
        db,
        actor,
        p.id,
        {
          coverageId: coverage.id,
          levelOfCare: level,
          kind: "initial",
          certifiedOn: startedOn,
          physicianName: physician.name,
          physicianNpi: physician.npi,
          hoursPerWeek: hours,
        },
        siteIds,
        meta,
      );
      if (!init.ok) throw new Error(`demo certification refused: ${JSON.stringify(init)}`);
      // Recertified three days before each falls due; the first Medicare patient whose schedule
      // allows it is signed so that the next one falls due within the week (Home shows it).
      const rule = DEFAULT_RECERT[level];
      let plan = recertPlan(startedOn, rule, today, 3);
      for (let lead = 0; lead < rule.intervalDays && !recertSoonDone; lead++) {
        const tried = recertPlan(startedOn, rule, today, lead);
        if (tried.dueOn > today && tried.dueOn <= addDays(today, 7)) {
          plan = tried;
          recertSoonDone = true;
        }
      }
      for (const on of plan.signed) {
        const r = await addCertification(
          db,
          actor,
          p.id,
          {
            coverageId: coverage.id,
            levelOfCare: level,
            kind: "recertification",
            certifiedOn: on,
            physicianName: physician.name,
            physicianNpi: physician.npi,
            hoursPerWeek: hours,
          },
          siteIds,
          meta,
        );
        if (!r.ok) throw new Error(`demo recertification refused: ${JSON.stringify(r)}`);
      }
    }
  }

  // One authorization used up: its approved units are exactly the days already used.
  for (const id of exhaustCandidates) {
    const current = (await patientAuthorizations(db, id, today)).find((a) => a.status === "approved" && a.startsOn <= today && today <= a.endsOn);
    if (!current || current.used < 3) continue;
    const r = await updateAuthorization(
      db,
      actor,
      id,
      current.id,
      { ...current, unitsApproved: current.used, number: current.number, nextReviewOn: current.nextReviewOn ?? undefined, version: current.version },
      siteIds,
      meta,
    );
    if (!r.ok) throw new Error(`demo authorization refused: ${JSON.stringify(r)}`);
    break;
  }

  // Patients in care whose level changed since billing began (PHP stepped down to IOP, IOP to OP,
  // or back): the payer approved each level they attended at, as a utilization reviewer would have
  // asked at each change, so those earlier days are not held for "no authorization". One approved
  // authorization per level over the attended days no authorization at that level covers yet.
  const billSince = (await billingStartsOn(db, clinic.siteId)) ?? addDays(today, -56);
  const inCareIds = [...inCareCoverage.keys()].filter((id) => id !== noAuthorization);
  const inCareDays = await attendedDays(db, inCareIds, billSince, today);
  for (const id of inCareIds) {
    const coverage = inCareCoverage.get(id)!;
    if (coverage.key === "self" || coverage.key === "grant") continue;
    const approved = (await patientAuthorizations(db, id, today)).filter((a) => a.status === "approved");
    for (const level of ["IOP", "PHP"] as const) {
      const atLevel = approved.filter((a) => a.levelOfCare === level);
      const uncovered = (inCareDays.get(id) ?? [])
        .filter((d) => d.level === level && !atLevel.some((a) => a.startsOn <= d.date && d.date <= a.endsOn))
        .map((d) => d.date)
        .sort();
      if (!uncovered.length) continue;
      const first = uncovered[0];
      // Up to the day before the next authorization at this level, so the two never overlap.
      const next = atLevel
        .map((a) => a.startsOn)
        .filter((d) => d > first)
        .sort()[0];
      const last = uncovered.filter((d) => !next || d < next).at(-1)!;
      const r = await createAuthorization(
        db,
        actor,
        id,
        {
          coverageId: coverage.id,
          levelOfCare: level,
          unitKind: "days",
          unitsApproved: Math.max(uncovered.filter((d) => d <= last).length, Math.ceil(((daysBetween(first, last) + 1) * 5) / 7)),
          startsOn: first,
          endsOn: last,
          status: "approved",
          number: `${coverage.key.slice(0, 3).toUpperCase()}-${coverage.mrn.replace(/\D/g, "").slice(-5)}-${level}0`,
        },
        siteIds,
        meta,
      );
      if (!r.ok) throw new Error(`demo authorization refused: ${JSON.stringify(r)}`);
    }
  }

  // Patients who attended since the clinic began billing here and have since left care: billing
  // had their plan on file and the payer's approval while they attended, as a clinic would, so
  // their days are billed like anyone's (most of them exported by the claims seed), not held for
  // "no coverage". One coverage ending at discharge, and an approved authorization per level over
  // the days they attended at it, five units a week.
  const inCare = new Set(patients.map((p) => p.id));
  const billFrom = (await billingStartsOn(db, clinic.siteId)) ?? addDays(today, -56);
  const left = (
    await db
      .selectFrom("patients as p")
      .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
      .select(["p.id", "p.mrn", "p.payer_type", "p.payer_plan", "p.payer_member_id", "e.admitted_on", "e.discharged_on"])
      .where("p.site_id", "=", clinic.siteId)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom("attendance as a")
            .select("a.id")
            .whereRef("a.patient_id", "=", "p.id")
            .where("a.local_date", ">=", billFrom)
            .where("a.status", "in", ["present", "late", "left_early"]),
        ),
      )
      .orderBy("p.mrn")
      .execute()
  ).filter((p) => !inCare.has(p.id));
  const daysOf = await attendedDays(
    db,
    left.map((p) => p.id),
    billFrom,
    today,
  );
  const past = left.flatMap((p) =>
    (["IOP", "PHP"] as const).flatMap((level) => {
      const dates = (daysOf.get(p.id) ?? [])
        .filter((d) => d.level === level)
        .map((d) => d.date)
        .sort();
      return dates.length ? [{ ...p, level_of_care: level, first: dates[0], last: dates[dates.length - 1] }] : [];
    }),
  );
  const intake = Object.values(clinic.users).find((u) => u.role === "counselor") ?? admin;
  const coverageOf = new Map<string, { id: string; key: string }>();
  for (const [i, c] of past.entries()) {
    let coverage = coverageOf.get(c.id);
    if (!coverage) {
      const key = payerKey(c, i);
      const effectiveFrom = `${c.admitted_on.slice(0, 4)}-01-01`;
      const added = await createCoverage(
        db,
        actor,
        c.id,
        {
          payerId: payer[key],
          memberId: key === "self" ? "SELF" : (c.payer_member_id ?? `M${c.mrn}`),
          relationship: "self",
          priority: "primary",
          effectiveFrom,
          effectiveTo: c.discharged_on ?? undefined,
        },
        siteIds,
        meta,
      );
      if (!added.ok) throw new Error(`demo coverage refused: ${JSON.stringify(added)}`);
      coverage = { id: added.id, key };
      coverageOf.set(c.id, coverage);
    }
    if (coverage.key === "self" || coverage.key === "grant") continue;
    // Their Part 2 consent to the plan for payment, signed at admission, when the chart has none.
    const plan = PAYERS.find((x) => x.key === coverage.key)!.name;
    const consented = await db
      .selectFrom("consents")
      .select("id")
      .where("patient_id", "=", c.id)
      .where("recipient_key", "=", recipientKey(plan))
      .executeTakeFirst();
    if (!consented) {
      const signed = await recordConsent(
        db,
        intake,
        c.id,
        {
          requestKey: randomUUID(),
          disclosingParty: "Harbor Light Recovery",
          information: ["attendance", "level_of_care", "diagnoses"],
          recipient: plan,
          recipientDesignation: "named",
          purposes: ["payment", "health_care_operations"],
          expiresOn: addDays(c.admitted_on, 365),
          expiryEvent: "none",
          signedOn: c.admitted_on,
          signedBy: "patient",
          revocationExplained: "yes",
          purposeOther: undefined,
          expiryEventText: undefined,
          signerName: undefined,
          note: undefined,
        },
        siteIds,
        meta,
      );
      if (!signed.ok) throw new Error(`demo consent refused: ${JSON.stringify(signed)}`);
    }
    const startsOn = c.admitted_on < c.first ? c.admitted_on : c.first;
    const endsOn = c.discharged_on && c.discharged_on > c.last ? c.discharged_on : c.last;
    const r = await createAuthorization(
      db,
      actor,
      c.id,
      {
        coverageId: coverage.id,
        levelOfCare: c.level_of_care,
        unitKind: "days",
        unitsApproved: Math.max(1, Math.ceil(((daysBetween(startsOn, endsOn) + 1) * 5) / 7)),
        startsOn,
        endsOn,
        status: "approved",
        number: `${coverage.key.slice(0, 3).toUpperCase()}-${c.mrn.replace(/\D/g, "").slice(-5)}-${c.level_of_care}`,
      },
      siteIds,
      meta,
    );
    if (!r.ok) throw new Error(`demo authorization refused: ${JSON.stringify(r)}`);
    if (coverage.key === "medicare") {
      const rule = DEFAULT_RECERT[c.level_of_care];
      const physician = PHYSICIANS[i % PHYSICIANS.length];
      const signed = [c.admitted_on, ...recertPlan(c.admitted_on, rule, endsOn, 3).signed];
      for (const [n, on] of signed.entries()) {
        const cert = await addCertification(
          db,
          actor,
          c.id,
          {
            coverageId: coverage.id,
            levelOfCare: c.level_of_care,
            kind: n === 0 ? "initial" : "recertification",
            certifiedOn: on,
            physicianName: physician.name,
            physicianNpi: physician.npi,
            hoursPerWeek: c.level_of_care === "PHP" ? 25 : 12,
          },
          siteIds,
          meta,
        );
        if (!cert.ok) throw new Error(`demo certification refused: ${JSON.stringify(cert)}`);
      }
    }
  }
}
