/**
 * Sessions with the names pages show beside them. The session is `s`; its track `t`, room `r`,
 * facilitator `f` and co-facilitator `cf` (only the facilitator is always there).
 */
import type { Queryable } from "~/kernel/db";

export function sessionsWithNames(db: Queryable) {
  return db
    .selectFrom("sessions as s")
    .leftJoin("tracks as t", "t.id", "s.track_id")
    .leftJoin("rooms as r", "r.id", "s.room_id")
    .innerJoin("users as f", "f.id", "s.facilitator_id")
    .leftJoin("users as cf", "cf.id", "s.co_facilitator_id");
}

/** The names `sessionsWithNames` joins, as the columns a page reads them by. */
export const SESSION_NAMES = ["t.name as track_name", "r.name as room_name", "f.name as facilitator_name", "cf.name as co_facilitator_name"] as const;
