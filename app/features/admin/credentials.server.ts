/**
 * Staff credentials and supervision, as stored: read a person as the signing rules see them, list
 * who may co-sign for an author, and let an admin set them (audited with before and after, guarded
 * by the account's `version`). Treatment plans and notes read signers through here.
 */
import { sql } from "kysely";
import type { DB, Queryable } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { changedFields } from "~/features/audit/chain";
import { can } from "~/features/auth/permissions";
import type { ClientMeta } from "~/utils/request.server";
import {
  type CredentialCode,
  type CredentialsInput,
  credentialsProblems,
  credentialsShort,
  coSignProblem,
  parseCredentials,
  type SigningPerson,
  storeCredentials,
} from "./credentials";
import { NO_SUCH_ACCOUNT } from "./users.server";

/** A person as the signing rules see them, with their name and what is shown beside it. */
export interface Signer extends SigningPerson {
  name: string;
  credentialsLabel: string;
  usualSupervisorId: string | null;
}

async function sitesOf(db: Queryable, ids: string[]): Promise<Map<string, string[]>> {
  const rows = ids.length ? await db.selectFrom("user_sites").select(["user_id", "site_id"]).where("user_id", "in", ids).execute() : [];
  const map = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const r of rows) map.get(r.user_id)!.push(r.site_id);
  return map;
}

const SIGNER_COLUMNS = ["id", "name", "active", "credentials", "signs_independently", "clinical_supervisor", "usual_supervisor_id"] as const;

type SignerRow = {
  id: string;
  name: string;
  active: number;
  credentials: string;
  signs_independently: number;
  clinical_supervisor: number;
  usual_supervisor_id: string | null;
};

function toSigner(r: SignerRow, siteIds: string[]): Signer {
  const credentials = parseCredentials(r.credentials);
  return {
    id: r.id,
    name: r.name,
    active: Boolean(r.active),
    credentials,
    credentialsLabel: credentialsShort(credentials),
    signsIndependently: Boolean(r.signs_independently),
    clinicalSupervisor: Boolean(r.clinical_supervisor),
    usualSupervisorId: r.usual_supervisor_id,
    siteIds,
  };
}

/** One person as a signer (author or co-signer), or null when there is no such account. */
export async function getSigner(db: Queryable, userId: string): Promise<Signer | null> {
  const row = await db.selectFrom("users").select(SIGNER_COLUMNS).where("id", "=", userId).executeTakeFirst();
  if (!row) return null;
  return toSigner(row, (await sitesOf(db, [row.id])).get(row.id)!);
}

/** Everyone who may co-sign what `authorId` writes (clinical supervisors at their sites), by name. */
export async function coSignersFor(db: Queryable, authorId: string): Promise<Signer[]> {
  const author = await getSigner(db, authorId);
  if (!author || !author.siteIds.length) return [];
  const rows = await db
    .selectFrom("users")
    .select(SIGNER_COLUMNS)
    .where("clinical_supervisor", "=", 1)
    .where("active", "=", 1)
    .where("id", "!=", authorId)
    .where((eb) =>
      eb.exists(eb.selectFrom("user_sites").select("user_id").whereRef("user_sites.user_id", "=", "users.id").where("site_id", "in", author.siteIds)),
    )
    .orderBy("name")
    .orderBy("id")
    .execute();
  const sites = await sitesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toSigner(r, sites.get(r.id)!)).filter((s) => !coSignProblem(s, author));
}

/** Credentials of several people at once, for lists ("" when none are recorded). */
export async function credentialsLabels(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  const rows = ids.length ? await db.selectFrom("users").select(["id", "credentials"]).where("id", "in", ids).execute() : [];
  return new Map(rows.map((r) => [r.id, credentialsShort(parseCredentials(r.credentials))]));
}

const STALE = "Someone else changed this account while you were editing. Reload the page to see their change, then make yours again.";

/**
 * The audit log's picture of a person's credentials (codes, so it reads the same in any language),
 * with their usual supervisor by name as a reader of the log knows them.
 */
function audited(
  s: { credentials: readonly CredentialCode[]; signsIndependently: boolean; clinicalSupervisor: boolean; usualSupervisorId: string | null },
  names: Map<string, string>,
) {
  return {
    credentials: [...s.credentials],
    signsIndependently: s.signsIndependently,
    clinicalSupervisor: s.clinicalSupervisor,
    usualSupervisor: s.usualSupervisorId ? (names.get(s.usualSupervisorId) ?? s.usualSupervisorId) : null,
  };
}

/**
 * An admin sets a person's credentials and supervision. Refused: someone who is not an admin, an
 * account outside the admin's sites, anything the rules refuse (a trainee signing alone, a
 * supervisor who cannot), a usual supervisor who may not co-sign for them, a supervisor who is
 * someone's usual co-signer being unflagged, and a stale form.
 */
export async function setCredentials(
  db: DB,
  actor: Actor,
  id: string,
  input: CredentialsInput & { version: number },
  allowedSiteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const admin = await db.selectFrom("users").select(["role", "active"]).where("id", "=", actor.id).executeTakeFirst();
  if (!admin || !admin.active || !can(admin.role, "manage:users")) return { ok: false, status: 404, formError: NO_SUCH_ACCOUNT };
  const current = await getSigner(db, id);
  if (!current || !current.siteIds.some((s) => allowedSiteIds.includes(s))) return { ok: false, status: 404, formError: NO_SUCH_ACCOUNT };
  const next = {
    credentials: parseCredentials(storeCredentials(input.credentials)),
    signsIndependently: input.signsIndependently,
    clinicalSupervisor: input.clinicalSupervisor,
    usualSupervisorId: input.usualSupervisorId || null,
  };
  const problems = credentialsProblems(id, next);
  if (Object.keys(problems).length) return { ok: false, status: 400, fieldErrors: problems };
  if (next.usualSupervisorId) {
    const supervisor = await getSigner(db, next.usualSupervisorId);
    const problem = supervisor ? coSignProblem(supervisor, current) : "Choose a supervisor from the list.";
    if (problem) return { ok: false, status: 400, fieldErrors: { usualSupervisorId: [problem] } };
  }
  if (current.clinicalSupervisor && !next.clinicalSupervisor) {
    const supervisees = await db.selectFrom("users").select("name").where("usual_supervisor_id", "=", id).where("active", "=", 1).orderBy("name").execute();
    if (supervisees.length) {
      const names = supervisees.map((s) => s.name).join(", ");
      return {
        ok: false,
        status: 400,
        fieldErrors: { clinicalSupervisor: [`They are the usual co-signer for ${names}: choose someone else for them first.`] },
      };
    }
  }
  const supervisorIds = [current.usualSupervisorId, next.usualSupervisorId].filter((x): x is string => Boolean(x));
  const names = new Map(
    supervisorIds.length ? (await db.selectFrom("users").select(["id", "name"]).where("id", "in", supervisorIds).execute()).map((u) => [u.id, u.name]) : [],
  );
  const diff = changedFields(audited(current, names), audited(next, names));
  if (!Object.keys(diff.after).length) return { ok: true };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("users")
      .set({
        credentials: storeCredentials(next.credentials),
        signs_independently: next.signsIndependently ? 1 : 0,
        clinical_supervisor: next.clinicalSupervisor ? 1 : 0,
        usual_supervisor_id: next.usualSupervisorId,
        updated_at: new Date().toISOString(),
        version: sql`version + 1`,
      })
      .where("id", "=", id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE };
    await recordAudit(trx, { actor, action: "user.credentials_changed", entityType: "user", entityId: id, ...diff, meta });
    return { ok: true as const };
  });
}

/** The supervisors an admin may name as someone's usual co-signer: those who may co-sign for them, at the admin's sites. */
export async function supervisorChoices(db: Queryable, id: string, allowedSiteIds: string[]) {
  const signers = await coSignersFor(db, id);
  return signers
    .filter((s) => s.siteIds.some((site) => allowedSiteIds.includes(site)))
    .map((s) => ({ id: s.id, name: s.name, credentials: s.credentialsLabel }));
}
