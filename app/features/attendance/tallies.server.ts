/**
 * Kept figures (ARCHITECTURE rule 11, ADR 0007): each session's marks counted by outcome, one row
 * per session and civil date in `session_tallies`. The roll-call save rewrites its session's rows in
 * the transaction that changes the marks, so a whole-site page (the attendance reports) reads one
 * row per session instead of counting every mark. `rebuildSessionTallies` recomputes every row from
 * the marks: after a restore, after a bulk load (the large seed), and in the tests that prove the
 * kept rows equal a count from scratch (`countSessionTallies`).
 */
import { sql } from "kysely";
import type { Queryable, Trx } from "~/kernel/db";
import { ATTENDANCE_STATUSES, STATUS_KEYS } from "./rules";

const ATTENDED = STATUS_KEYS.filter((s) => ATTENDANCE_STATUSES[s].attended);

export interface SessionTally {
  sessionId: string;
  localDate: string;
  marks: number;
  attended: number;
  excused: number;
  unexcused: number;
}

/** The marks counted from scratch, grouped by session and date; optionally for some sessions only. */
function countQuery(db: Queryable, sessionIds?: string[]) {
  let q = db
    .selectFrom("attendance")
    .select([
      "session_id",
      "local_date",
      sql<number>`count(*)`.as("marks"),
      sql<number>`sum(case when status in (${sql.join(ATTENDED)}) then 1 else 0 end)`.as("attended"),
      sql<number>`sum(case when status = 'absent_excused' then 1 else 0 end)`.as("excused"),
      sql<number>`sum(case when status = 'absent_unexcused' then 1 else 0 end)`.as("unexcused"),
    ])
    .groupBy(["session_id", "local_date"]);
  if (sessionIds) q = q.where("session_id", "in", sessionIds);
  return q;
}

/** Rewrites the tallies of some sessions from their marks, inside the transaction that changed them. */
export async function refreshSessionTallies(trx: Trx, sessionIds: string[]) {
  const ids = [...new Set(sessionIds)];
  if (!ids.length) return;
  await trx.deleteFrom("session_tallies").where("session_id", "in", ids).execute();
  await trx
    .insertInto("session_tallies")
    .columns(["session_id", "local_date", "marks", "attended", "excused", "unexcused"])
    .expression(countQuery(trx, ids))
    .execute();
}

/** Recomputes every session's tally from the marks, in one transaction (after a restore or a bulk load). */
export async function rebuildSessionTallies(db: Queryable) {
  const run = async (trx: Queryable) => {
    await trx.deleteFrom("session_tallies").execute();
    await trx
      .insertInto("session_tallies")
      .columns(["session_id", "local_date", "marks", "attended", "excused", "unexcused"])
      .expression(countQuery(trx))
      .execute();
  };
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

const byKey = (a: SessionTally, b: SessionTally) => a.sessionId.localeCompare(b.sessionId) || a.localDate.localeCompare(b.localDate);
const view = (r: { session_id: string; local_date: string; marks: unknown; attended: unknown; excused: unknown; unexcused: unknown }): SessionTally => ({
  sessionId: r.session_id,
  localDate: r.local_date,
  marks: Number(r.marks),
  attended: Number(r.attended ?? 0),
  excused: Number(r.excused ?? 0),
  unexcused: Number(r.unexcused ?? 0),
});

/** Every kept tally, sorted by session and date (for comparing with `countSessionTallies`). */
export async function keptSessionTallies(db: Queryable): Promise<SessionTally[]> {
  return (await db.selectFrom("session_tallies").selectAll().execute()).map(view).sort(byKey);
}

/** Every session's tally counted from the marks now, sorted like `keptSessionTallies`. */
export async function countSessionTallies(db: Queryable): Promise<SessionTally[]> {
  return (await countQuery(db).execute()).map(view).sort(byKey);
}
