import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { seedDemo } from "../../seeds/demo";

export { DEMO_PASSWORD, DEMO_USERS } from "../../seeds/demo-people";
export const seed = (db: Kysely<Database>) => seedDemo(db);

export const meta = { ip: "203.0.113.7", userAgent: "vitest" };
