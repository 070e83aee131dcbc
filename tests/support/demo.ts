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

/**
 * The site's `count` most recent past sessions (still scheduled) with at least two patients on
 * their rosters, and those patients: what the crash and workers tests take roll calls for.
 */
export async function pastSessionsWithRosters(db: Kysely<Database>, siteId: string, count = 2): Promise<{ id: string; patients: string[] }[]> {
  const past = await db
    .selectFrom("sessions as s")
    .innerJoin("session_participants as sp", "sp.session_id", "s.id")
    .select(["s.id", "sp.patient_id"])
    .where("s.site_id", "=", siteId)
    .where("s.status", "=", "scheduled")
    .where("s.starts_at", "<", new Date().toISOString())
    .where("sp.left_at", "is", null)
    .orderBy("s.starts_at", "desc")
    .execute();
  const byId = new Map<string, string[]>();
  for (const r of past) byId.set(r.id, [...(byId.get(r.id) ?? []), r.patient_id]);
  const sessions = [...byId.entries()]
    .filter(([, p]) => p.length >= 2)
    .slice(0, count)
    .map(([id, patients]) => ({ id, patients }));
  if (sessions.length < count) throw new Error("the demo clinic has no past sessions with rosters");
  return sessions;
}
