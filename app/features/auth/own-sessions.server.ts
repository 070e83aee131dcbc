/** A signed-in person's sessions: how many are open, and which of their sites this one works at. */
import type { Actor } from "~/kernel/actor";
import type { DB, Queryable } from "~/kernel/db";
import { recordAudit } from "~/features/audit/audit.server";
import type { ClientMeta } from "~/utils/request.server";

/** How many devices an account is signed in on. */
export async function openSessionCount(db: Queryable, userId: string): Promise<number> {
  const sessions = await db
    .selectFrom("user_sessions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(sessions.n);
}

interface SiteRef {
  id: string;
  name: string;
}

/**
 * Moves this session to another of the person's sites, audited in the same transaction. A site they
 * are not assigned to is refused, and the refusal is audited: answers false.
 */
export async function switchSite(
  db: DB,
  actor: Actor,
  session: { id: string; site: SiteRef | null; assigned: SiteRef[] },
  siteId: string,
  meta: ClientMeta,
): Promise<boolean> {
  const target = session.assigned.find((s) => s.id === siteId);
  if (!target) {
    await recordAudit(db, { actor, action: "site.switch_refused", outcome: "denied", detail: { siteId: siteId.slice(0, 64) }, meta });
    return false;
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("user_sessions").set({ site_id: target.id }).where("id", "=", session.id).execute();
    await recordAudit(trx, {
      actor,
      action: "session.site_switched",
      siteId: target.id,
      before: { site: session.site?.name ?? null },
      after: { site: target.name },
      meta,
    });
  });
  return true;
}
