/**
 * The demo staff's credentials and supervision, set through the credentials repository as an admin
 * would (and audited): Priya Raman is the licensed clinical supervisor (LCSW); Marcus Bell, a
 * certified peer recovery specialist training for his CADC, and Elena Ortiz, a social-work intern,
 * need her co-signature; Dana Whitfield, the program director, holds an LCADC; the front desk and
 * techs hold no clinical credential.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import type { CredentialCode } from "../app/features/admin/credentials";
import { setCredentials } from "../app/features/admin/credentials.server";
import { getUser } from "../app/features/admin/users.server";
import type { DemoClinic } from "./demo";

const SUPERVISOR = "priya.raman";

const PEOPLE: { key: string; credentials: CredentialCode[]; signsIndependently: boolean; clinicalSupervisor: boolean; supervised?: boolean }[] = [
  { key: "priya.raman", credentials: ["LCSW"], signsIndependently: true, clinicalSupervisor: true },
  { key: "dana.whitfield", credentials: ["LCADC"], signsIndependently: true, clinicalSupervisor: false },
  { key: "marcus.bell", credentials: ["CPRS", "INTERN"], signsIndependently: false, clinicalSupervisor: false, supervised: true },
  { key: "elena.ortiz", credentials: ["INTERN"], signsIndependently: false, clinicalSupervisor: false, supervised: true },
  { key: "tom.kowalski", credentials: ["NONE"], signsIndependently: false, clinicalSupervisor: false },
  { key: "aisha.grant", credentials: ["NONE"], signsIndependently: false, clinicalSupervisor: false },
];

export async function seedDemoCredentials(db: Kysely<Database>, clinic: DemoClinic): Promise<void> {
  const admin = Object.values(clinic.users).find((u) => u.role === "admin")!;
  const actor = { id: admin.id, name: admin.name };
  const sites = [clinic.siteId];
  for (const p of PEOPLE) {
    const person = clinic.users[p.key];
    if (!person) continue;
    const account = (await getUser(db, person.id, sites))!;
    const done = await setCredentials(
      db,
      actor,
      person.id,
      {
        version: account.version,
        credentials: p.credentials,
        signsIndependently: p.signsIndependently,
        clinicalSupervisor: p.clinicalSupervisor,
        usualSupervisorId: p.supervised ? clinic.users[SUPERVISOR].id : null,
      },
      sites,
      { ip: null, userAgent: "demo seed" },
    );
    if (!done.ok) throw new Error(`Could not set ${p.key}'s credentials: ${done.formError ?? JSON.stringify(done.fieldErrors)}`);
  }
}
