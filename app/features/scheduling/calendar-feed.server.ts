/**
 * A personal calendar subscription: each user may hold one secret, revocable address that a
 * calendar app polls for the sessions they facilitate. The address is `<id>.<secret>` like a
 * sign-in token; only SHA-256(secret) is stored and the check compares hashes in constant time.
 *
 * Minimum necessary (42 CFR Part 2 / HIPAA): a calendar app copies what it is given to phones,
 * watches and other people's screens, so the feed carries no patient anything. A group session
 * shows its program title; an individual or family session shows only its kind, never its
 * title, approach, family members or patient; cancel reasons (free text) are left out.
 */
import { getRandomValues } from "node:crypto";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import ical, { ICalEventClass, ICalEventStatus, ICalEventTransparency } from "ical-generator";
import { dialectOf } from "#db/database";
import type { DB, Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { recordAudit } from "~/features/audit/audit.server";
import { hashSecret, secretMatches } from "~/features/auth/tokens.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";

export const FEED_PATH_PREFIX = "/calendar/";
export const FEED_PATH_SUFFIX = ".ics";
export const FEED_CALENDAR_NAME = "IOP Dashboard — my sessions";
export const FEED_DESCRIPTION = "Open the IOP Dashboard for details.";
/** How far back and ahead the feed reaches, in days. */
export const FEED_DAYS_BACK = 30;
export const FEED_DAYS_AHEAD = 120;

const DAY_MS = 86_400_000;
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/; // 32 bytes, base64url without padding

function newSecret(): string {
  const bytes = new Uint8Array(32);
  getRandomValues(bytes);
  return encodeBase64urlNoPadding(bytes);
}

/** `<id>.<secret>`, with or without the `.ics` the address ends in; anything else is null. */
export function parseFeedToken(token: string | null | undefined): { id: string; secret: string } | null {
  if (!token || token.length > 200) return null;
  const bare = token.endsWith(FEED_PATH_SUFFIX) ? token.slice(0, -FEED_PATH_SUFFIX.length) : token;
  const parts = bare.split(".");
  if (parts.length !== 2) return null;
  const [id, secret] = parts;
  if (!ID_PATTERN.test(id) || !SECRET_PATTERN.test(secret)) return null;
  return { id, secret };
}

/**
 * On PostgreSQL, two "create" requests at once (a double click) would each see no active feed
 * and each insert one: holding the user's row for the transaction puts them one after the other.
 * SQLite runs one write transaction at a time already.
 */
async function lockUser(trx: Trx, userId: string): Promise<void> {
  if (dialectOf(trx) !== "postgres") return;
  await trx.selectFrom("users").select("id").where("id", "=", userId).forUpdate().execute();
}

async function revokeActive(trx: Trx, actor: Actor, reason: "replaced" | "turned_off", meta: ClientMeta, now: string): Promise<string[]> {
  const revoked = await trx
    .updateTable("calendar_feeds")
    .set({ revoked_at: now })
    .where("user_id", "=", actor.id)
    .where("revoked_at", "is", null)
    .returning("id")
    .execute();
  for (const { id } of revoked) {
    await recordAudit(trx, {
      actor,
      action: "calendar_feed.revoked",
      entityType: "calendar_feed",
      entityId: id,
      before: { revokedAt: null },
      after: { revokedAt: now },
      detail: { reason },
      meta,
    });
  }
  return revoked.map((r) => r.id);
}

/**
 * Makes the user a new calendar address, turning off any address they had. Returns the address's
 * path, `/calendar/<id>.<secret>.ics`: the only time the secret exists outside this function.
 */
export async function createFeed(db: DB, user: Actor, meta: ClientMeta): Promise<string> {
  const id = newId();
  const secret = newSecret();
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await lockUser(trx, user.id);
    const replaced = await revokeActive(trx, user, "replaced", meta, now);
    await trx
      .insertInto("calendar_feeds")
      .values({ id, user_id: user.id, secret_hash: hashSecret(secret), created_at: now, revoked_at: null, last_used_at: null })
      .execute();
    await recordAudit(trx, {
      actor: user,
      action: "calendar_feed.created",
      entityType: "calendar_feed",
      entityId: id,
      after: { userId: user.id, createdAt: now },
      detail: { replaced },
      meta,
    });
  });
  return `${FEED_PATH_PREFIX}${id}.${secret}${FEED_PATH_SUFFIX}`;
}

/** Turns off the user's calendar address. Returns how many addresses were turned off (0 or 1). */
export async function revokeFeed(db: DB, user: Actor, meta: ClientMeta): Promise<number> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    await lockUser(trx, user.id);
    return (await revokeActive(trx, user, "turned_off", meta, now)).length;
  });
}

/** The user's calendar address, if one is on: when it was made and when a calendar app last read it. */
export async function activeFeed(db: DB, userId: string): Promise<{ createdAt: string; lastUsedAt: string | null } | null> {
  const row = await db
    .selectFrom("calendar_feeds")
    .select(["created_at", "last_used_at"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  return row ? { createdAt: row.created_at, lastUsedAt: row.last_used_at } : null;
}

/** What a calendar event says about a session: nothing that could identify a patient. */
export function feedSummary(session: { kind: string; title: string; patient_id: string | null }): string {
  if (session.kind === "group" && !session.patient_id) return session.title;
  if (session.kind === "individual") return "Individual session";
  if (session.kind === "family") return "Family session";
  return "Session";
}

export function feedLocation(session: { modality: string; room_name: string | null }): string {
  if (session.modality === "telehealth" || !session.room_name) return "Telehealth";
  if (session.modality === "hybrid") return `${session.room_name} / Telehealth`;
  return session.room_name;
}

/**
 * The calendar behind an address, as iCalendar text, or null when the address is malformed,
 * unknown, turned off, or belongs to a deactivated account. Notes when it was last read.
 */
export async function feedCalendar(db: DB, token: string, now = new Date()): Promise<string | null> {
  const parsed = parseFeedToken(token);
  if (!parsed) return null;
  const feed = await db
    .selectFrom("calendar_feeds")
    .innerJoin("users", "users.id", "calendar_feeds.user_id")
    .select(["calendar_feeds.id", "calendar_feeds.secret_hash", "calendar_feeds.user_id", "users.active"])
    .where("calendar_feeds.id", "=", parsed.id)
    .where("calendar_feeds.revoked_at", "is", null)
    .executeTakeFirst();
  if (!feed || !secretMatches(parsed.secret, feed.secret_hash) || !feed.active) return null;

  await db.updateTable("calendar_feeds").set({ last_used_at: now.toISOString() }).where("id", "=", feed.id).execute();

  const from = new Date(now.getTime() - FEED_DAYS_BACK * DAY_MS).toISOString();
  const to = new Date(now.getTime() + FEED_DAYS_AHEAD * DAY_MS).toISOString();
  // Only the columns the feed may show are read: no patient, approach, family members or reasons.
  const sessions = await db
    .selectFrom("sessions")
    .leftJoin("rooms", "rooms.id", "sessions.room_id")
    .select([
      "sessions.id",
      "sessions.kind",
      "sessions.title",
      "sessions.patient_id",
      "sessions.modality",
      "sessions.starts_at",
      "sessions.ends_at",
      "sessions.status",
      "sessions.created_at",
      "sessions.updated_at",
      "sessions.version",
      "rooms.name as room_name",
    ])
    .where((eb) => eb.or([eb("sessions.facilitator_id", "=", feed.user_id), eb("sessions.co_facilitator_id", "=", feed.user_id)]))
    .where("sessions.starts_at", ">=", from)
    .where("sessions.starts_at", "<", to)
    .orderBy("sessions.starts_at")
    .orderBy("sessions.id")
    .execute();

  const calendar = ical({
    name: FEED_CALENDAR_NAME,
    prodId: { company: "IOP Dashboard", product: "Session calendar", language: "EN" },
    ttl: 60 * 60,
  });
  for (const s of sessions) {
    const cancelled = s.status === "cancelled";
    const summary = feedSummary(s);
    calendar.createEvent({
      id: `${s.id}@iop-dashboard`,
      start: new Date(s.starts_at),
      end: new Date(s.ends_at),
      stamp: now,
      created: new Date(s.created_at),
      lastModified: new Date(s.updated_at),
      sequence: Number(s.version),
      summary: cancelled ? `Cancelled: ${summary}` : summary,
      location: feedLocation(s),
      description: FEED_DESCRIPTION,
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      transparency: cancelled ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
      // A calendar shared with colleagues shows one-to-one sessions as "busy" only.
      class: s.kind === "group" && !s.patient_id ? null : ICalEventClass.PRIVATE,
    });
  }
  return calendar.toString();
}
