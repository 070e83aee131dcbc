import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { seedDemo } from "../../seeds/demo";

export { DEMO_PASSWORD, DEMO_USERS } from "../../seeds/demo-people";
/**
 * The demo clinic's site and staff; pass `{ patients: true }` for its forty current patients and
 * the past year's (demo-history.ts) too, and `history: false` for the forty alone.
 */
export const seed = (db: Kysely<Database>, options: { patients?: boolean; history?: boolean } = {}) =>
  seedDemo(db, { patients: options.patients ?? false, history: options.history });

export const meta = { ip: "203.0.113.7", userAgent: "vitest" };
