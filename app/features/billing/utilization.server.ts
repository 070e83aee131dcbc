/**
 * Home's utilization-review alerts (issue 21, item 2 and 3) for the roles that keep coverage
 * (`write:coverage`: admin and billing), in one pass over a site's patients in care (bounded by the
 * census, like plans/worklist.server.ts): their authorizations with their kept units used, coverages,
 * Medicare certifications and the last week's attended days are each read once, and every figure
 * comes from the same rules and kept figures the chart uses (`usageFromUnits`, `authorizationCovers`,
 * `certificationOn`).
 */
import type { DB, Queryable } from "~/kernel/db";
import { addDays } from "~/kernel/time";
import type { LevelOfCare } from "#db/schema";
import { AUTHORIZATION_COLUMNS, authorizationsWithUse, ENDING_WITHIN_DAYS, LOW_UNITS, spanOf, withUse } from "./authorizations.server";
import { recertRules } from "./certifications.server";
import { attendedDays } from "./days.server";
import { authorizationCovers, certificationOn } from "./rules";

/**
 * A concurrent review shows from this many days before its date (and while overdue): payers
 * schedule reviews by phone and expect the clinical update ready, so three days leaves time to
 * gather the notes and the plan. Chosen here; the issue names no figure.
 */
export const REVIEW_NOTICE_DAYS = 3;
/** "Attending": at least one attended session in this many days up to today. */
export const ATTENDING_WITHIN_DAYS = 7;
/** Medicare recertifications show from this many days before they fall due, and while overdue. */
export const RECERT_NOTICE_DAYS = 7;

export type UtilizationAlertKind = "exceeded" | "unauthorized" | "recert" | "ending" | "low" | "review";
const ORDER: UtilizationAlertKind[] = ["exceeded", "unauthorized", "recert", "ending", "low", "review"];

export interface UtilizationAlert {
  kind: UtilizationAlertKind;
  patientId: string;
  name: string;
  mrn: string;
  /** What the alert says, e.g. "IOP 10 of 10 days used; ends Dec 9". */
  detail: string;
  /** The date it turns on (end, review, recertification due), when it has one. */
  on: string | null;
}

const short = (d: string) => {
  const [y, m, day] = d.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, day)).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
};

export async function utilizationAlerts(db: Queryable, siteId: string, today: string): Promise<UtilizationAlert[]> {
  const patients = await db
    .selectFrom("patients as p")
    .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .select(["p.id", "p.mrn", "p.legal_first_name", "p.legal_last_name", "p.preferred_name", "p.level_of_care", "p.level_since", "e.admitted_on"])
    .where("p.site_id", "=", siteId)
    .where("p.status", "in", ["active", "on_hold"])
    .where("e.admitted_on", "<=", today)
    .limit(2000)
    .execute();
  if (!patients.length) return [];
  const ids = patients.map((p) => p.id);
  const recent = addDays(today, -ATTENDING_WITHIN_DAYS + 1);
  const [auths, coverages, certs, rules] = await Promise.all([
    authorizationsWithUse(db)
      .select(AUTHORIZATION_COLUMNS)
      .where("a.patient_id", "in", ids)
      .where("a.status", "=", "approved")
      .where("a.ends_on", ">=", addDays(today, -30))
      .execute(),
    db
      .selectFrom("coverages as c")
      .innerJoin("payers as py", "py.id", "c.payer_id")
      .select(["c.id", "c.patient_id", "c.priority", "c.effective_from", "c.effective_to", "py.kind"])
      .where("c.patient_id", "in", ids)
      .where("c.effective_from", "<=", today)
      .where((eb) => eb.or([eb("c.effective_to", "is", null), eb("c.effective_to", ">=", today)]))
      .execute(),
    db
      .selectFrom("medicare_certifications")
      .select(["patient_id", "coverage_id", "level_of_care", "kind", "certified_on"])
      .where("patient_id", "in", ids)
      .execute(),
    recertRules(db),
  ]);
  // Units used are kept (authorization-use.server.ts); the days read are the attending window's alone.
  const days = await attendedDays(db as DB, ids, recent, today, { documented: false });
  const out: UtilizationAlert[] = [];
  for (const p of patients) {
    const who = { patientId: p.id, name: `${p.legal_last_name}, ${p.preferred_name || p.legal_first_name}`, mrn: p.mrn };
    const mine = days.get(p.id) ?? [];
    const myAuths = auths.filter((a) => a.patient_id === p.id);
    for (const a of myAuths) {
      const use = withUse(a, today);
      const figures = `${a.level_of_care} ${use.used} of ${use.unitsApproved} ${a.unit_kind} used`;
      if (use.exceeded) out.push({ ...who, kind: "exceeded", detail: `${figures}: ${-use.remaining} over`, on: a.ends_on });
      if (a.ends_on < today) continue;
      if (a.ends_on <= addDays(today, ENDING_WITHIN_DAYS))
        out.push({
          ...who,
          kind: "ending",
          detail: `${a.level_of_care} authorization ${a.number || ""} ends ${short(a.ends_on)}; ${use.remaining} left`.replace("  ", " "),
          on: a.ends_on,
        });
      if (!use.exceeded && a.starts_on <= today && use.remaining <= LOW_UNITS)
        out.push({ ...who, kind: "low", detail: `${figures}; ${use.remaining} left`, on: a.ends_on });
      if (a.next_review_on && a.next_review_on <= addDays(today, REVIEW_NOTICE_DAYS))
        out.push({
          ...who,
          kind: "review",
          detail: `${a.level_of_care} review ${a.next_review_on < today ? `overdue since ${short(a.next_review_on)}` : `on ${short(a.next_review_on)}`}`,
          on: a.next_review_on,
        });
    }
    // Attending (an attended session in the last 7 days) at a level that needs an authorization,
    // with none approved covering today at the patient's level, unless the care is self-pay or grant-funded.
    const level = p.level_of_care as LevelOfCare;
    const myCoverages = coverages.filter((c) => c.patient_id === p.id);
    // Self-pay and grant-funded care need no payer's authorization.
    const selfPay = myCoverages.some((c) => c.priority === "primary" && (c.kind === "self_pay" || c.kind === "grant"));
    if (level !== "OP" && !selfPay && mine.some((d) => d.date >= recent)) {
      const covered = myAuths.some((a) => authorizationCovers(spanOf(a), today) && a.level_of_care === level);
      if (!covered)
        out.push({
          ...who,
          kind: "unauthorized",
          detail: `Attended ${level} in the last ${ATTENDING_WITHIN_DAYS} days; no approved ${level} authorization covers today`,
          on: null,
        });
    }
    // Medicare: a certification must be on record and current at the patient's level.
    const medicare = myCoverages.find((c) => c.kind === "medicare");
    if (medicare && (level === "IOP" || level === "PHP")) {
      const startedOn = p.level_since > p.admitted_on ? p.level_since : p.admitted_on;
      const mineCerts = certs
        .filter((c) => c.patient_id === p.id && c.coverage_id === medicare.id && c.level_of_care === level)
        .map((c) => ({ kind: c.kind, certifiedOn: c.certified_on }));
      const standing = certificationOn(mineCerts, startedOn, rules[level], today);
      if (!standing.dueOn) out.push({ ...who, kind: "recert", detail: `No Medicare ${level} certification on record`, on: null });
      else if (standing.dueOn <= addDays(today, RECERT_NOTICE_DAYS))
        out.push({
          ...who,
          kind: "recert",
          detail: `${level} recertification ${standing.dueOn < today ? `overdue since ${short(standing.dueOn)}` : `due ${short(standing.dueOn)}`}`,
          on: standing.dueOn,
        });
    }
  }
  return out.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || (a.on ?? "").localeCompare(b.on ?? "") || a.name.localeCompare(b.name));
}
