/** Staff accounts: who can sign in, with which role, at which sites. Every change is audited. */
import { sql } from "kysely";
import type { DB } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { changedFields } from "~/features/audit/chain";
import { hashPassword, passwordProblem } from "~/features/auth/password.server";
import type { Role } from "~/features/auth/permissions";
import { openSessionCount } from "~/features/auth/own-sessions.server";
import { deleteUserSessions } from "~/features/auth/sessions.server";
import { resetTwoFactor } from "~/features/auth/two-factor.server";
import { newId } from "~/utils/ids";
import { credentialsShort, parseCredentials } from "./credentials";
import type { ClientMeta } from "~/utils/request.server";

export const USER_SORTS = ["name", "email", "role", "last_sign_in_at", "active"] as const;
export type UserSort = (typeof USER_SORTS)[number];

export interface UserListQuery {
  page: number;
  pageSize: number;
  sort: UserSort;
  direction: "asc" | "desc";
  search: string;
  /** Only users who work at one of these sites (the admin's own). */
  siteIds: string[];
}

export async function listUsers(db: DB, q: UserListQuery) {
  let base = db.selectFrom("users").where((eb) =>
    eb.exists(
      eb
        .selectFrom("user_sites")
        .select("user_sites.user_id")
        .whereRef("user_sites.user_id", "=", "users.id")
        .where("user_sites.site_id", "in", q.siteIds.length ? q.siteIds : [""]),
    ),
  );
  if (q.search) {
    const like = `%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) => eb.or([sql<boolean>`lower(users.name) like ${like} escape '\\'`, sql<boolean>`users.email like ${like} escape '\\'`]));
  }
  const [{ total }] = await base.select((eb) => eb.fn.countAll<number>().as("total")).execute();
  const rows = await base
    .select([
      "users.id",
      "users.name",
      "users.email",
      "users.role",
      "users.active",
      "users.last_sign_in_at",
      "users.must_change_password",
      "users.credentials",
      "users.signs_independently",
      "users.clinical_supervisor",
    ])
    // Empty values (never signed in) sort last on both databases.
    .orderBy(sql`users.${sql.ref(q.sort)} is null`)
    .orderBy(`users.${q.sort}`, q.direction)
    .orderBy("users.id")
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const ids = rows.map((r) => r.id);
  const siteRows = ids.length
    ? await db
        .selectFrom("user_sites")
        .innerJoin("sites", "sites.id", "user_sites.site_id")
        .select(["user_sites.user_id", "sites.name"])
        .where("user_sites.user_id", "in", ids)
        .orderBy("sites.name")
        .execute()
    : [];
  return {
    total: Number(total),
    users: rows.map(({ credentials, signs_independently, clinical_supervisor, ...r }) => {
      const codes = parseCredentials(credentials);
      return {
        ...r,
        /** "LCSW, CADC" beside the name; "" when none are recorded. */
        credentials: credentialsShort(codes),
        /** How they sign clinical documents; null for someone with no clinical credential recorded. */
        signing: (!codes.length || codes.includes("NONE")
          ? null
          : clinical_supervisor
            ? "Supervisor"
            : signs_independently
              ? "Independently"
              : "Needs co-signature") as "Supervisor" | "Independently" | "Needs co-signature" | null,
        active: Boolean(r.active),
        must_change_password: Boolean(r.must_change_password),
        sites: siteRows.filter((s) => s.user_id === r.id).map((s) => s.name),
      };
    }),
  };
}

/** A user, if they work at one of `siteIds` (admins manage only their own sites' staff). */
export async function getUser(db: DB, id: string, siteIds: string[]) {
  const user = await db
    .selectFrom("users")
    .select([
      "id",
      "name",
      "email",
      "role",
      "active",
      "must_change_password",
      "last_sign_in_at",
      "created_at",
      "version",
      "totp_enabled_at",
      "totp_secret",
      "emergency_access",
      "credentials",
      "signs_independently",
      "clinical_supervisor",
      "usual_supervisor_id",
    ])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!user) return null;
  const sites = await db.selectFrom("user_sites").select("site_id").where("user_id", "=", id).execute();
  const userSiteIds = sites.map((s) => s.site_id);
  if (!userSiteIds.some((s) => siteIds.includes(s))) return null;
  const openSessions = await openSessionCount(db, id);
  const { totp_secret, credentials, signs_independently, clinical_supervisor, usual_supervisor_id, ...account } = user;
  const codes = parseCredentials(credentials);
  return {
    ...account,
    credentials: codes,
    credentialsLabel: credentialsShort(codes),
    signsIndependently: Boolean(signs_independently),
    clinicalSupervisor: Boolean(clinical_supervisor),
    usualSupervisorId: usual_supervisor_id,
    /** Set-up started but not confirmed still leaves something an admin can clear. */
    twoFactorStarted: Boolean(totp_secret),
    emergency_access: Boolean(user.emergency_access),
    active: Boolean(user.active),
    must_change_password: Boolean(user.must_change_password),
    version: Number(user.version),
    siteIds: userSiteIds,
    openSessions,
  };
}

/** Active people at the admin's sites, with their two-factor and emergency-access state. */
export async function securityRoster(db: DB, siteIds: string[]) {
  if (!siteIds.length) return [];
  const rows = await db
    .selectFrom("users")
    .select(["id", "name", "email", "role", "totp_enabled_at", "emergency_access"])
    .where((eb) =>
      eb.exists(eb.selectFrom("user_sites").select("user_id").whereRef("user_sites.user_id", "=", "users.id").where("user_sites.site_id", "in", siteIds)),
    )
    .where("active", "=", 1)
    .orderBy("name")
    .execute();
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    email: p.email,
    role: p.role,
    twoFactor: Boolean(p.totp_enabled_at),
    emergency: Boolean(p.emergency_access),
  }));
}

export async function listSites(db: DB, siteIds: string[]) {
  if (!siteIds.length) return [];
  return db.selectFrom("sites").select(["id", "name", "time_zone"]).where("id", "in", siteIds).orderBy("name").execute();
}

function siteProblem(requested: string[], allowed: string[]): string | null {
  const outside = requested.filter((s) => !allowed.includes(s));
  return outside.length ? "You can only assign sites you work at yourself." : null;
}

async function emailTaken(db: DB, email: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom("users").select("id").where("email", "=", email.toLowerCase());
  if (exceptId) q = q.where("id", "!=", exceptId);
  return Boolean(await q.executeTakeFirst());
}

export async function createUser(
  db: DB,
  actor: Actor,
  input: { name: string; email: string; role: Role; siteIds: string[]; temporaryPassword: string; mustChangePassword?: boolean },
  allowedSiteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult<{ id: string }>> {
  const mustChange = input.mustChangePassword ?? true;
  const email = input.email.toLowerCase();
  const siteIds = [...new Set(input.siteIds)];
  const siteError = siteProblem(siteIds, allowedSiteIds);
  if (siteError) return { ok: false, status: 400, fieldErrors: { siteIds: [siteError] } };
  const pwError = passwordProblem(input.temporaryPassword, [input.name, email]);
  if (pwError) return { ok: false, status: 400, fieldErrors: { temporaryPassword: [pwError] } };
  if (await emailTaken(db, email)) {
    return { ok: false, status: 409, fieldErrors: { email: ["Another account already uses this email."] } };
  }
  const passwordHash = await hashPassword(input.temporaryPassword);
  const id = newId();
  const now = new Date().toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("users")
        .values({
          id,
          email,
          name: input.name,
          role: input.role,
          password_hash: passwordHash,
          must_change_password: mustChange ? 1 : 0,
          active: 1,
          last_sign_in_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx
        .insertInto("user_sites")
        .values(siteIds.map((site_id) => ({ user_id: id, site_id })))
        .execute();
      await recordAudit(trx, {
        actor,
        action: "user.created",
        entityType: "user",
        entityId: id,
        after: { name: input.name, email, role: input.role, siteIds, mustChangePassword: mustChange },
        meta,
      });
    });
  } catch (err) {
    // Two admins creating the same email at once: the unique index decides, the loser is told.
    if (await emailTaken(db, email)) {
      return { ok: false, status: 409, fieldErrors: { email: ["Another account already uses this email."] } };
    }
    throw err;
  }
  return { ok: true, id };
}

/**
 * What every admin action answers for an account that is not at one of the admin's sites: the
 * same words as for an id that does not exist, so a refusal tells nothing about other sites
 * (OWASP ASVS 4.0 V4.2.1, insecure direct object references).
 */
export const NO_SUCH_ACCOUNT = "That account does not exist at your sites.";

/** Is `id` an account at one of `siteIds`? The first check of every admin action on an account. */
export async function userAtSites(db: DB, id: string, siteIds: string[]): Promise<boolean> {
  if (!siteIds.length || !id || id.length > 64) return false;
  const row = await db.selectFrom("user_sites").select("user_id").where("user_id", "=", id).where("site_id", "in", siteIds).executeTakeFirst();
  return Boolean(row);
}

/** An admin clears the second factor of someone at one of their own sites (a lost phone). */
export async function resetUserTwoFactor(db: DB, actor: Actor, id: string, allowedSiteIds: string[], meta: ClientMeta): Promise<WriteResult> {
  if (!(await userAtSites(db, id, allowedSiteIds))) return { ok: false, status: 404, formError: NO_SUCH_ACCOUNT };
  const result = await resetTwoFactor(db, actor, id, meta);
  return result.ok ? { ok: true } : { ok: false, status: 400, formError: result.message };
}

const STALE = "Someone else changed this account while you were editing. Reload the page to see their change, then make yours again.";

export async function updateUser(
  db: DB,
  actor: Actor,
  id: string,
  input: { version: number; name: string; email: string; role: Role; siteIds: string[] },
  allowedSiteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getUser(db, id, allowedSiteIds);
  if (!current) return { ok: false, status: 404, formError: NO_SUCH_ACCOUNT };
  const siteIds = [...new Set(input.siteIds)];
  // Sites outside the admin's own stay as they are; only their own sites can be added or removed.
  const keptElsewhere = current.siteIds.filter((s) => !allowedSiteIds.includes(s));
  const siteError = siteProblem(siteIds, allowedSiteIds);
  if (siteError) return { ok: false, status: 400, fieldErrors: { siteIds: [siteError] } };
  if (id === actor.id && input.role !== "admin") {
    return { ok: false, status: 400, fieldErrors: { role: ["You cannot remove your own admin role; ask another admin."] } };
  }
  const email = input.email.toLowerCase();
  if (await emailTaken(db, email, id)) {
    return { ok: false, status: 409, fieldErrors: { email: ["Another account already uses this email."] } };
  }
  const nextSites = [...new Set([...keptElsewhere, ...siteIds])].sort();
  const before = { name: current.name, email: current.email, role: current.role, siteIds: [...current.siteIds].sort() };
  const after = { name: input.name, email, role: input.role, siteIds: nextSites };
  const diff = changedFields(before, after);
  if (!Object.keys(diff.after).length) return { ok: true };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("users")
      .set({ name: input.name, email, role: input.role, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE };
    await trx.deleteFrom("user_sites").where("user_id", "=", id).execute();
    await trx
      .insertInto("user_sites")
      .values(nextSites.map((site_id) => ({ user_id: id, site_id })))
      .execute();
    if (before.role !== after.role) await deleteUserSessions(trx, id); // new role, fresh sign-in
    await recordAudit(trx, { actor, action: "user.updated", entityType: "user", entityId: id, ...diff, meta });
    return { ok: true as const };
  });
}

export async function setUserActive(
  db: DB,
  actor: Actor,
  id: string,
  active: boolean,
  version: number,
  allowedSiteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult<{ endedSessions: number }>> {
  const current = await getUser(db, id, allowedSiteIds);
  if (!current) return { ok: false, status: 404, formError: NO_SUCH_ACCOUNT };
  if (id === actor.id && !active) return { ok: false, status: 400, formError: "You cannot deactivate your own account." };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("users")
      .set({ active: active ? 1 : 0, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", id)
      .where("version", "=", version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE };
    const endedSessions = active ? 0 : await deleteUserSessions(trx, id);
    await recordAudit(trx, {
      actor,
      action: active ? "user.reactivated" : "user.deactivated",
      entityType: "user",
      entityId: id,
      before: { active: current.active },
      after: { active },
      detail: active ? undefined : { endedSessions },
      meta,
    });
    return { ok: true as const, endedSessions };
  });
}

/** Names (or stops naming) someone as a person who may break the glass; audited. */
export async function setEmergencyAccess(
  db: DB,
  actor: Actor,
  id: string,
  allowed: boolean,
  version: number,
  allowedSiteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getUser(db, id, allowedSiteIds);
  if (!current) return { ok: false, status: 404, formError: NO_SUCH_ACCOUNT };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("users")
      .set({ emergency_access: allowed ? 1 : 0, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", id)
      .where("version", "=", version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE };
    await recordAudit(trx, {
      actor,
      action: allowed ? "user.emergency_access_granted" : "user.emergency_access_withdrawn",
      entityType: "user",
      entityId: id,
      before: { emergencyAccess: current.emergency_access },
      after: { emergencyAccess: allowed },
      meta,
    });
    return { ok: true as const };
  });
}

export async function resetUserPassword(
  db: DB,
  actor: Actor,
  id: string,
  temporaryPassword: string,
  allowedSiteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getUser(db, id, allowedSiteIds);
  if (!current) return { ok: false, status: 404, formError: NO_SUCH_ACCOUNT };
  const pwError = passwordProblem(temporaryPassword, [current.name, current.email]);
  if (pwError) return { ok: false, status: 400, fieldErrors: { temporaryPassword: [pwError] } };
  const passwordHash = await hashPassword(temporaryPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, must_change_password: 1, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", id)
      .execute();
    const endedSessions = await deleteUserSessions(trx, id);
    await trx.deleteFrom("sign_in_throttle").where("key", "=", `email:${current.email}`).execute();
    await recordAudit(trx, {
      actor,
      action: "user.password_reset",
      entityType: "user",
      entityId: id,
      detail: { endedSessions, mustChangePassword: true },
      meta,
    });
  });
  return { ok: true };
}
