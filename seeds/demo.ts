/**
 * The demo clinic: one site in New York's time zone and its staff. Deterministic: the same
 * people, roles and sites every time. Run with `npm run db:seed`; `npm run demo` runs it for you.
 * It seeds only an empty database and never touches one that has users.
 */
import { pathToFileURL } from "node:url";
import type { Kysely } from "kysely";
import { createDb, parseDatabaseUrl } from "../db/database";
import { migrateToLatest } from "../db/migrator";
import type { Database } from "../db/schema";
import { recordAudit } from "../app/features/audit/audit.server";
import { hashPassword } from "../app/features/auth/password.server";
import { newId } from "../app/utils/ids";
import { todayIn } from "../app/kernel/time";
import { DEMO_PASSWORD, DEMO_SITE, DEMO_USERS } from "./demo-people";
import { seedDemoAppointments } from "./demo-appointments";
import { seedDemoDrugTests } from "./demo-drug-tests";
import { seedDemoAttendance } from "./demo-attendance";
import { seedDemoConsents } from "./demo-consents";
import { seedDemoPatients } from "./demo-patients";
import { seedDemoProgram } from "./demo-program";
import { seedDemoSecurity } from "./demo-security";
import { seedDemoAmendments } from "./demo-amendments";
import { seedDemoHistory } from "./demo-history";
import { seedDemoSiteAddress } from "./demo-sites";
import { seedDemoAsam } from "./demo-asam";
import { seedDemoCredentials } from "./demo-credentials";
import { seedDemoDischargeMeasures, seedDemoMeasures } from "./demo-measures";
import { seedDemoPlans } from "./demo-plans";
import { seedDemoNotes } from "./demo-notes";
import { seedDemoBillingCoverage } from "./demo-billing-coverage";
import { seedDemoBillingCharges, seedDemoBillingStart } from "./demo-billing-charges";
import { seedDemoBillingClaims } from "./demo-billing-claims";

export interface DemoClinic {
  siteId: string;
  users: Record<string, { id: string; email: string; name: string; role: string }>;
}

/**
 * `patients: false` seeds the staff only; `history: false` leaves out the past year's patients
 * (demo-history.ts) for tests about the forty current charts.
 */
export async function seedDemo(db: Kysely<Database>, options: { patients?: boolean; history?: boolean } = {}): Promise<DemoClinic> {
  const clinic = await seedStaff(db);
  await seedDemoSiteAddress(db, clinic);
  await seedDemoCredentials(db, clinic);
  if (options.patients ?? true) {
    const admin = Object.values(clinic.users).find((u) => u.role === "admin")!;
    await seedDemoProgram(db, { id: clinic.siteId, time_zone: DEMO_SITE.timeZone }, admin, clinic.users);
    // Before the first roll call: the days before the clinic billed here never become charges.
    await seedDemoBillingStart(db, clinic, todayIn(DEMO_SITE.timeZone));
    await seedDemoPatients(db, clinic, todayIn(DEMO_SITE.timeZone));
    await seedDemoAppointments(db, { id: clinic.siteId, time_zone: DEMO_SITE.timeZone }, todayIn(DEMO_SITE.timeZone));
    await seedDemoAttendance(db, { id: clinic.siteId, time_zone: DEMO_SITE.timeZone }, clinic.users, todayIn(DEMO_SITE.timeZone));
    await seedDemoDrugTests(db, clinic, DEMO_SITE.timeZone, todayIn(DEMO_SITE.timeZone));
    await seedDemoSecurity(db, clinic);
    await seedDemoAmendments(db, clinic, todayIn(DEMO_SITE.timeZone));
    await seedDemoConsents(db, clinic, DEMO_SITE.timeZone, todayIn(DEMO_SITE.timeZone), DEMO_SITE.name);
    await seedDemoAsam(db, clinic, todayIn(DEMO_SITE.timeZone));
    await seedDemoMeasures(db, clinic, todayIn(DEMO_SITE.timeZone));
    await seedDemoPlans(db, clinic, todayIn(DEMO_SITE.timeZone));
    // Last, so the current caseload above is seeded exactly as before: the past year's patients.
    if (options.history ?? true) await seedDemoHistory(db, clinic, DEMO_SITE.timeZone, todayIn(DEMO_SITE.timeZone));
    if (options.history ?? true) await seedDemoDischargeMeasures(db, clinic, todayIn(DEMO_SITE.timeZone));
    // After the plans (whose objectives the notes name) and the past year's roll calls (whose
    // patients in the last eight weeks' groups get their own parts).
    await seedDemoNotes(db, clinic, todayIn(DEMO_SITE.timeZone));
    await seedDemoBillingCoverage(db, clinic, todayIn(DEMO_SITE.timeZone));
    await seedDemoBillingCharges(db, clinic, todayIn(DEMO_SITE.timeZone));
    await seedDemoBillingClaims(db, clinic, todayIn(DEMO_SITE.timeZone));
  }
  return clinic;
}

async function seedStaff(db: Kysely<Database>): Promise<DemoClinic> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const now = new Date().toISOString();
  const seedActor = { id: "system", name: "Demo seed" };
  return db.transaction().execute(async (trx) => {
    const siteId = newId();
    await trx.insertInto("sites").values({ id: siteId, name: DEMO_SITE.name, time_zone: DEMO_SITE.timeZone, created_at: now }).execute();
    await recordAudit(trx, { actor: seedActor, action: "site.created", entityType: "site", entityId: siteId, after: { ...DEMO_SITE } });
    const users: DemoClinic["users"] = {};
    for (const u of DEMO_USERS) {
      const id = newId();
      await trx
        .insertInto("users")
        .values({
          id,
          email: u.email,
          name: u.name,
          role: u.role,
          password_hash: passwordHash,
          must_change_password: 0,
          active: 1,
          last_sign_in_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx.insertInto("user_sites").values({ user_id: id, site_id: siteId }).execute();
      await recordAudit(trx, {
        actor: seedActor,
        action: "user.created",
        entityType: "user",
        entityId: id,
        after: { name: u.name, email: u.email, role: u.role, siteIds: [siteId] },
      });
      users[u.email.split("@")[0]] = { id, email: u.email, name: u.name, role: u.role };
    }
    return { siteId, users };
  });
}

export function printDemoSignIns(): void {
  const width = Math.max(...DEMO_USERS.map((u) => u.email.length));
  console.log("\nDemo clinic sign-ins (password for every account: %s)", DEMO_PASSWORD);
  for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(9)}  ${u.email.padEnd(width)}  ${u.name}`);
  console.log("");
}

async function main() {
  const db = createDb();
  const { dialect, target } = parseDatabaseUrl(process.env.DATABASE_URL);
  try {
    await migrateToLatest(db);
    const existing = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
    if (existing) {
      console.log(`The database (${dialect}${dialect === "sqlite" ? ` at ${target}` : ""}) already has accounts; leaving it as it is.`);
    } else {
      await seedDemo(db);
      console.log(`Seeded the demo clinic into ${dialect}${dialect === "sqlite" ? ` at ${target}` : ""}.`);
    }
    printDemoSignIns();
  } finally {
    await db.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
