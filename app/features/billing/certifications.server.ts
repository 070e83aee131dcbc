/**
 * Medicare's physician certification for IOP and PHP (issue 21, item 3): for a coverage whose payer
 * is Medicare, the physician's initial certification and each recertification, append-only. A
 * certification below the hours Medicare requires for the level is refused: IOP needs at least 9
 * hours a week (42 CFR 410.44(a), CY 2024 OPPS final rule), PHP at least 20 (42 CFR 410.43(c)(1)).
 * When the next recertification falls due is `certificationOn` with the program's settings
 * (see `recertRules`).
 */
import type { Actor } from "~/kernel/actor";
import type { DB, Queryable } from "~/kernel/db";
import type { WriteResult } from "~/kernel/results";
import type { ClientMeta } from "~/utils/request.server";
import { type RecertRule, certificationOn } from "./rules";
import { addRecordRow } from "./record-writes.server";

/** Minimum hours a week of therapeutic services the certification must state, per level. */
export const MIN_CERTIFIED_HOURS = { IOP: 9, PHP: 20 } as const;
const HOURS_RULE = {
  IOP: "Medicare covers IOP only for a patient who needs at least 9 hours a week of therapeutic services (42 CFR 410.44(a); CY 2024 OPPS final rule).",
  PHP: "Medicare covers PHP only for a patient who needs at least 20 hours a week of therapeutic services (42 CFR 410.43(c)(1)).",
};

/**
 * When Medicare's recertification falls due, per level, from the program settings the revenue-cycle
 * migration seeded. The figures follow 42 CFR 424.24: PHP (paragraph (e)(3)) — the first
 * recertification as of the 18th day of partial hospitalization services, later ones at intervals of
 * no more than 30 days; IOP (paragraph (h), added by the CY 2024 OPPS final rule, 88 FR 81540,
 * effective January 1, 2024) — the first recertification as of the 60th day, later ones no less
 * often than every 60 days. An unreadable setting falls back to those figures.
 */
export const DEFAULT_RECERT: Record<"IOP" | "PHP", RecertRule> = { IOP: { firstDay: 60, intervalDays: 60 }, PHP: { firstDay: 18, intervalDays: 30 } };

export async function recertRules(db: Queryable): Promise<Record<"IOP" | "PHP", RecertRule>> {
  const rows = await db.selectFrom("program_settings").select(["key", "value"]).where("key", "like", "medicare_recert_%").execute();
  const read = (key: string, fallback: number) => {
    const n = Number(rows.find((r) => r.key === key)?.value);
    return Number.isInteger(n) && n >= 1 && n <= 366 ? n : fallback;
  };
  return {
    IOP: { firstDay: read("medicare_recert_iop_first_day", 60), intervalDays: read("medicare_recert_iop_interval_days", 60) },
    PHP: { firstDay: read("medicare_recert_php_first_day", 18), intervalDays: read("medicare_recert_php_interval_days", 30) },
  };
}

export interface CertificationRow {
  id: string;
  coverageId: string;
  levelOfCare: "IOP" | "PHP";
  kind: "initial" | "recertification";
  certifiedOn: string;
  physicianName: string;
  physicianNpi: string;
  hoursPerWeek: number;
}

export interface CertificationStanding {
  coverageId: string;
  levelOfCare: "IOP" | "PHP";
  admittedOn: string;
  current: boolean;
  dueOn: string | null;
  rows: CertificationRow[];
}

export interface CertificationInput {
  coverageId: string;
  levelOfCare: "IOP" | "PHP";
  kind: "initial" | "recertification";
  certifiedOn: string;
  physicianName: string;
  physicianNpi: string;
  hoursPerWeek: number;
}

/** The date care at this level began in the current episode: the later of admission and the last change to the level. */
async function careStartedOn(db: Queryable, patientId: string, level: "IOP" | "PHP"): Promise<string | null> {
  const p = await db
    .selectFrom("patients as p")
    .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .select(["e.admitted_on", "p.level_of_care", "p.level_since"])
    .where("p.id", "=", patientId)
    .executeTakeFirst();
  if (!p) return null;
  if (p.level_of_care === level && p.level_since > p.admitted_on) return p.level_since;
  return p.admitted_on;
}

export async function addCertification(
  db: DB,
  actor: Actor,
  patientId: string,
  input: CertificationInput,
  siteIds: readonly string[],
  meta: ClientMeta,
): Promise<WriteResult<{ id: string }>> {
  if (!siteIds.length) return { ok: false, status: 404, formError: "There is no patient with that id at your sites." };
  const coverage = await db
    .selectFrom("coverages as c")
    .innerJoin("payers as p", "p.id", "c.payer_id")
    .innerJoin("patients as pt", "pt.id", "c.patient_id")
    .select(["c.id", "p.kind", "pt.site_id"])
    .where("c.id", "=", input.coverageId)
    .where("c.patient_id", "=", patientId)
    .where("pt.site_id", "in", siteIds)
    .executeTakeFirst();
  if (!coverage) return { ok: false, status: 400, fieldErrors: { coverageId: ["Choose one of this patient's coverages."] } };
  if (coverage.kind !== "medicare") return { ok: false, status: 400, fieldErrors: { coverageId: ["Certifications are recorded for Medicare coverage only."] } };
  if (input.hoursPerWeek < MIN_CERTIFIED_HOURS[input.levelOfCare])
    return {
      ok: false,
      status: 400,
      fieldErrors: { hoursPerWeek: [`At least ${MIN_CERTIFIED_HOURS[input.levelOfCare]} hours a week: ${HOURS_RULE[input.levelOfCare]}`] },
    };
  const row = {
    coverage_id: input.coverageId,
    level_of_care: input.levelOfCare,
    kind: input.kind,
    certified_on: input.certifiedOn,
    physician_name: input.physicianName,
    physician_npi: input.physicianNpi,
    hours_per_week: input.hoursPerWeek,
  };
  const action = input.kind === "initial" ? "medicare_certification.added" : "medicare_recertification.added";
  const id = await addRecordRow(db, {
    table: "medicare_certifications",
    action,
    entityType: "medicare_certification",
    actor,
    patientId,
    siteId: coverage.site_id,
    row,
    meta,
  });
  return { ok: true, id };
}

/** Per Medicare coverage and level with any certification on record: the rows, whether it is current today, and when the next is due. */
export async function certificationStandings(
  db: Queryable,
  patientId: string,
  coverages: readonly { id: string; payerKind: string }[],
  today: string,
): Promise<CertificationStanding[]> {
  const medicare = coverages.filter((c) => c.payerKind === "medicare").map((c) => c.id);
  if (!medicare.length) return [];
  const [rows, rules] = await Promise.all([
    db
      .selectFrom("medicare_certifications")
      .select(["id", "coverage_id", "level_of_care", "kind", "certified_on", "physician_name", "physician_npi", "hours_per_week"])
      .where("patient_id", "=", patientId)
      .where("coverage_id", "in", medicare)
      .orderBy("certified_on")
      .limit(500)
      .execute(),
    recertRules(db),
  ]);
  const out: CertificationStanding[] = [];
  for (const coverageId of medicare)
    for (const level of ["IOP", "PHP"] as const) {
      const mine = rows
        .filter((r) => r.coverage_id === coverageId && r.level_of_care === level)
        .map((r) => ({
          id: r.id,
          coverageId: r.coverage_id,
          levelOfCare: level,
          kind: r.kind,
          certifiedOn: r.certified_on,
          physicianName: r.physician_name,
          physicianNpi: r.physician_npi,
          hoursPerWeek: Number(r.hours_per_week),
        }));
      if (!mine.length) continue;
      const admittedOn = (await careStartedOn(db, patientId, level)) ?? mine[0].certifiedOn;
      const standing = certificationOn(mine, admittedOn, rules[level], today);
      out.push({ coverageId, levelOfCare: level, admittedOn, ...standing, rows: mine });
    }
  return out;
}
