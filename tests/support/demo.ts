import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { seedDemo } from "../../seeds/demo";

export { DEMO_PASSWORD, DEMO_USERS } from "../../seeds/demo-people";
/** The demo clinic's site and staff; pass `{ patients: true }` for its forty patients too. */
export const seed = (db: Kysely<Database>, options: { patients?: boolean } = {}) => seedDemo(db, { patients: options.patients ?? false });

export const meta = { ip: "203.0.113.7", userAgent: "vitest" };
