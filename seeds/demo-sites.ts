/** The demo site's postal address, set through the sites repository as an admin would (and audited). */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { getManagedSite, updateSite } from "../app/features/admin/sites.server";
import type { DemoClinic } from "./demo";

export const DEMO_SITE_ADDRESS = "1200 Riverside Drive, Suite 300\nNew York, NY 10032";

export async function seedDemoSiteAddress(db: Kysely<Database>, clinic: DemoClinic): Promise<void> {
  const admin = Object.values(clinic.users).find((u) => u.role === "admin")!;
  const site = (await getManagedSite(db, clinic.siteId, [clinic.siteId]))!;
  const done = await updateSite(
    db,
    { id: admin.id, name: admin.name },
    site.id,
    { name: site.name, timeZone: site.timeZone, address: DEMO_SITE_ADDRESS, version: site.version },
    [site.id],
    { ip: null, userAgent: "demo seed" },
  );
  if (!done.ok) throw new Error(`Could not set the demo site's address: ${done.formError ?? JSON.stringify(done.fieldErrors)}`);
}
