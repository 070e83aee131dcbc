import { type Kysely, Migrator, type Migration, type MigrationProvider } from "kysely";
import * as foundation from "./migrations/2026-11-27-01-foundation";
import * as patients from "./migrations/2026-11-27-02-patients";
import * as programSetup from "./migrations/2026-11-27-03-program-setup";
import * as groupSessions from "./migrations/2026-11-27-04-group-sessions";
import * as enrollment from "./migrations/2026-11-27-05-enrollment-and-appointments";
import * as attendance from "./migrations/2026-11-27-06-attendance";
import * as drugTesting from "./migrations/2026-11-27-07-drug-testing";
import * as twoFactor from "./migrations/2026-11-27-08-two-factor-and-emergency-access";
import * as performanceIndexes from "./migrations/2026-11-27-09-performance-indexes";
import * as consentsAndDisclosures from "./migrations/2026-11-27-11-consents-and-disclosures";
import * as amendments from "./migrations/2026-11-27-12-amendments";
import * as reportIndexes from "./migrations/2026-11-28-13-report-indexes";
import * as siteScopedSettings from "./migrations/2026-12-06-14-site-scoped-settings";
import * as keyedAuditChain from "./migrations/2026-12-06-15-keyed-audit-chain";
import * as diagnosisCategories from "./migrations/2026-12-06-16-diagnosis-categories";
import * as specimenValidity from "./migrations/2026-12-06-17-specimen-validity";
import * as siteAddressAndVersion from "./migrations/2026-12-06-18-site-address-and-version";
import * as measures from "./migrations/2026-12-06-19-measures";
import * as asamAssessments from "./migrations/2026-12-06-20-asam-assessments";
import * as credentials from "./migrations/2026-12-06-21-credentials";
import * as treatmentPlans from "./migrations/2026-12-06-22-treatment-plans";
import * as progressNotes from "./migrations/2026-12-06-23-progress-notes";
import * as revenueCycle from "./migrations/2026-12-07-24-revenue-cycle";
import * as sessionTallies from "./migrations/2026-12-07-25-session-tallies";
import * as homeIndexes from "./migrations/2026-12-07-27-home-indexes";
import * as chargeTotals from "./migrations/2026-12-07-28-charge-totals";
import * as authorizationUse from "./migrations/2026-12-07-29-authorization-use";

/**
 * Migrations are listed here, not read from disk, so they survive bundling into the server
 * build. Names are date-prefixed and sort in the order they must run.
 */
const migrations: Record<string, Migration> = {
  "2026-11-27-01-foundation": foundation,
  "2026-11-27-02-patients": patients,
  "2026-11-27-03-program-setup": programSetup,
  "2026-11-27-04-group-sessions": groupSessions,
  "2026-11-27-05-enrollment-and-appointments": enrollment,
  "2026-11-27-06-attendance": attendance,
  "2026-11-27-07-drug-testing": drugTesting,
  "2026-11-27-08-two-factor-and-emergency-access": twoFactor,
  "2026-11-27-09-performance-indexes": performanceIndexes,
  "2026-11-27-11-consents-and-disclosures": consentsAndDisclosures,
  "2026-11-27-12-amendments": amendments,
  "2026-11-28-13-report-indexes": reportIndexes,
  "2026-12-06-14-site-scoped-settings": siteScopedSettings,
  "2026-12-06-15-keyed-audit-chain": keyedAuditChain,
  "2026-12-06-16-diagnosis-categories": diagnosisCategories,
  "2026-12-06-17-specimen-validity": specimenValidity,
  "2026-12-06-18-site-address-and-version": siteAddressAndVersion,
  "2026-12-06-19-measures": measures,
  "2026-12-06-20-asam-assessments": asamAssessments,
  "2026-12-06-21-credentials": credentials,
  "2026-12-06-22-treatment-plans": treatmentPlans,
  "2026-12-06-23-progress-notes": progressNotes,
  "2026-12-07-24-revenue-cycle": revenueCycle,
  "2026-12-07-25-session-tallies": sessionTallies,
  "2026-12-07-27-home-indexes": homeIndexes,
  "2026-12-07-28-charge-totals": chargeTotals,
  "2026-12-07-29-authorization-use": authorizationUse,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ""} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** True when every known migration has been applied (used by readiness checks). */
export async function migrationsApplied(db: Kysely<any>): Promise<boolean> {
  const migrator = new Migrator({ db, provider });
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
