/**
 * `npm run user:create -- --email ... --name ... --role admin [--site "Main clinic"] [--time-zone America/New_York]`
 *
 * Creates an account on a fresh install, where no one can sign in yet. The password is read from
 * standard input when it is piped, or asked for (twice) at the terminal; it is never an argument,
 * so it stays out of shell history. The site is created if it does not exist.
 */
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { createDb } from "../db/database";
import { migrateToLatest } from "../db/migrator";
import { createUser } from "../app/features/admin/users.server";
import { recordAudit } from "../app/features/audit/audit.server";
import { anchorPath, publishAnchor } from "../app/features/audit/anchor.server";
import { isRole } from "../app/features/auth/permissions";
import { newId } from "../app/utils/ids";

const USAGE = 'Usage: npm run user:create -- --email you@clinic.org --name "Your Name" --role admin [--site "Main clinic"] [--time-zone America/New_York]';

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    return text.split(/\r?\n/)[0] ?? "";
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const first = await rl.question("Password (at least 12 characters): ");
  const second = await rl.question("Type it again: ");
  rl.close();
  if (first !== second) throw new Error("The two passwords do not match.");
  return first;
}

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
      site: { type: "string" },
      "time-zone": { type: "string" },
    },
  });
  if (!values.email || !values.name || !values.role) throw new Error(USAGE);
  if (!isRole(values.role)) throw new Error(`--role must be admin, counselor, staff or billing.\n${USAGE}`);
  const timeZone = values["time-zone"] ?? "America/New_York";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    throw new Error(`--time-zone must be an IANA time zone like America/Chicago; got "${timeZone}".`);
  }
  const password = await readPassword();
  const db = createDb();
  try {
    await migrateToLatest(db);
    const actor = { id: "system", name: "Command line (user:create)" };
    const siteName = values.site ?? "Main clinic";
    let site = await db.selectFrom("sites").select(["id", "name"]).where("name", "=", siteName).executeTakeFirst();
    if (!site) {
      site = { id: newId(), name: siteName };
      const created = site;
      await db.transaction().execute(async (trx) => {
        await trx.insertInto("sites").values({ id: created.id, name: created.name, time_zone: timeZone, created_at: new Date().toISOString() }).execute();
        await recordAudit(trx, { actor, action: "site.created", entityType: "site", entityId: created.id, after: { name: created.name, timeZone } });
      });
      console.log(`Created site "${siteName}" (${timeZone}).`);
    }
    const result = await createUser(
      db,
      actor,
      { name: values.name, email: values.email, role: values.role, siteIds: [site.id], temporaryPassword: password, mustChangePassword: false },
      [site.id],
      { ip: null, userAgent: "user:create" },
    );
    if (!result.ok) {
      const messages = [...Object.values(result.fieldErrors ?? {}).flat(), result.formError].filter(Boolean);
      throw new Error(messages.join(" "));
    }
    console.log(`Created ${values.role} ${values.email} at ${site.name}. They can sign in now.`);
    // The audit anchor learns of the new rows now, not only when the server next starts.
    const anchor = anchorPath();
    if (anchor) await publishAnchor(db, anchor, "user:create");
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
