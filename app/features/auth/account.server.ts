/** What every signed-in person can do to their own account. */
import { sql } from "kysely";
import type { DB } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { recordAudit } from "~/features/audit/audit.server";
import type { ClientMeta } from "~/utils/request.server";
import { hashPassword, passwordProblem, verifyPassword } from "./password.server";
import { deleteUserSessions } from "./sessions.server";

/** Who changes their own password: the audit names them, and the password must not be their email. */
interface AccountHolder extends Actor {
  email: string;
}

export type PasswordChange = { ok: true } | { ok: false; fieldErrors: Record<string, string[]> };

export async function changeOwnPassword(
  db: DB,
  actor: AccountHolder,
  sessionId: string,
  input: { currentPassword: string; newPassword: string },
  meta: ClientMeta,
): Promise<PasswordChange> {
  const row = await db.selectFrom("users").select("password_hash").where("id", "=", actor.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
    await recordAudit(db, {
      actor,
      action: "user.password_change_failed",
      outcome: "failure",
      entityType: "user",
      entityId: actor.id,
      detail: { reason: "wrong current password" },
      meta,
    });
    return { ok: false, fieldErrors: { currentPassword: ["That is not your current password."] } };
  }
  if (input.newPassword === input.currentPassword) {
    return { ok: false, fieldErrors: { newPassword: ["Choose a password different from the current one."] } };
  }
  const problem = passwordProblem(input.newPassword, [actor.name, actor.email]);
  if (problem) return { ok: false, fieldErrors: { newPassword: [problem] } };
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, must_change_password: 0, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", actor.id)
      .execute();
    // Anyone else holding this account's sessions is signed out by a password change.
    const endedSessions = await deleteUserSessions(trx, actor.id, sessionId);
    await recordAudit(trx, { actor, action: "user.password_changed", entityType: "user", entityId: actor.id, detail: { endedSessions }, meta });
  });
  return { ok: true };
}

export async function signOutEverywhere(db: DB, actor: Actor, meta: ClientMeta): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ended = await deleteUserSessions(trx, actor.id);
    await recordAudit(trx, { actor, action: "auth.sign_out_everywhere", entityType: "user", entityId: actor.id, detail: { endedSessions: ended }, meta });
    return ended;
  });
}
