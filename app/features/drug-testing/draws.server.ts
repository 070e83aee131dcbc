/**
 * Random draws: per site per day, from the active patients attending that day (on the roster of a
 * session that is not cancelled) or all active patients. The seed, the eligible list and the count
 * are stored with the selection, so anyone can re-run the draw (see draw.ts for the algorithm).
 * A second draw for the same day needs a reason; every draw is audited.
 */
import type { Database } from "#db/schema";
import { type DB, isUniqueViolation } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { clockAt, longDate } from "~/kernel/time";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { DRAW_ALGORITHM, drawSelection, newSeed } from "./draw";
import { type DrawMode, type DrawPool, drawSize } from "./rules";
import type { DrawInput } from "./schemas";

/** The patients a draw may pick from, sorted by id (the order the algorithm starts from). */
export async function eligiblePatients(db: DB, siteId: string, date: string, pool: DrawPool): Promise<string[]> {
  let q = db.selectFrom("patients as p").select("p.id").where("p.site_id", "=", siteId).where("p.status", "=", "active");
  if (pool === "attending") {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("session_participants as sp")
          .innerJoin("sessions as s", "s.id", "sp.session_id")
          .select("sp.id")
          .whereRef("sp.patient_id", "=", "p.id")
          .where("sp.left_at", "is", null)
          .where("s.site_id", "=", siteId)
          .where("s.local_date", "=", date)
          .where("s.status", "=", "scheduled"),
      ),
    );
  }
  const rows = await q.execute();
  return rows.map((r) => r.id).sort();
}

export interface StoredDraw {
  id: string;
  siteId: string;
  date: string;
  sequence: number;
  pool: DrawPool;
  mode: DrawMode;
  amount: number;
  seed: string;
  algorithm: string;
  eligible: string[];
  selected: string[];
  reason: string | null;
  drawnBy: string;
  drawnAt: string;
}

type DrawRow = Database["drug_test_draws"] & { drawn_by_name?: string | null };

/** Draws with the name of who drew each, as `toDraw` reads them. */
const storedDraws = (db: DB) =>
  db.selectFrom("drug_test_draws as d").innerJoin("users as u", "u.id", "d.drawn_by").selectAll("d").select("u.name as drawn_by_name");

function toDraw(r: DrawRow): StoredDraw {
  return {
    id: r.id,
    siteId: r.site_id,
    date: r.draw_date,
    sequence: Number(r.sequence),
    pool: r.pool,
    mode: r.mode,
    amount: Number(r.amount),
    seed: r.seed,
    algorithm: r.algorithm,
    eligible: JSON.parse(r.eligible) as string[],
    selected: JSON.parse(r.selected) as string[],
    reason: r.reason,
    drawnBy: r.drawn_by_name ?? r.drawn_by,
    drawnAt: r.drawn_at,
  };
}

/**
 * Re-runs a stored draw from its seed and eligible list. `reproduced` is true when the algorithm
 * gives exactly the stored selection, in the same order.
 */
export function rerunDraw(draw: Pick<StoredDraw, "seed" | "eligible" | "selected" | "algorithm">): { reproduced: boolean; selection: string[] } {
  if (draw.algorithm !== DRAW_ALGORITHM) return { reproduced: false, selection: [] };
  const selection = drawSelection(draw.seed, draw.eligible, draw.selected.length);
  return { reproduced: selection.length === draw.selected.length && selection.every((id, i) => id === draw.selected[i]), selection };
}

export async function drawsOn(db: DB, siteId: string, date: string): Promise<StoredDraw[]> {
  const rows = await storedDraws(db).where("d.site_id", "=", siteId).where("d.draw_date", "=", date).orderBy("d.sequence").execute();
  return rows.map(toDraw);
}

export async function getDraw(db: DB, id: string, siteIds: string[]): Promise<StoredDraw | null> {
  if (id.length > 64 || !siteIds.length) return null;
  const row = await storedDraws(db).where("d.id", "=", id).where("d.site_id", "in", siteIds).executeTakeFirst();
  return row ? toDraw(row) : null;
}

export async function recentDraws(db: DB, siteId: string, limit = 10) {
  const rows = await storedDraws(db).where("d.site_id", "=", siteId).orderBy("d.draw_date", "desc").orderBy("d.sequence", "desc").limit(limit).execute();
  return rows.map(toDraw);
}

/**
 * Runs a draw. `options.seed` exists for the demo and tests only; a person's draw always gets a
 * fresh cryptographic seed.
 */
export async function runDraw(
  db: DB,
  actor: Actor,
  input: Omit<DrawInput, "reason"> & { reason?: string },
  site: { id: string; time_zone: string },
  meta: ClientMeta,
  options: { now?: Date; seed?: string } = {},
): Promise<WriteResult<{ id: string; selected: number; eligible: number; sequence: number }>> {
  const now = options.now ?? new Date();
  const earlier = await drawsOn(db, site.id, input.date);
  const last = earlier[earlier.length - 1];
  if (last && !input.reason) {
    return {
      ok: false,
      status: 400,
      fieldErrors: {
        reason: [
          `${last.drawnBy} already drew ${last.selected.length} for ${longDate(input.date)} at ${clockAt(last.drawnAt, site.time_zone)}. Say why you are drawing again; both draws are kept in the record.`,
        ],
      },
    };
  }
  const eligible = await eligiblePatients(db, site.id, input.date, input.pool);
  const size = drawSize(eligible.length, input.mode, input.amount);
  if (!size.ok)
    return eligible.length === 0 ? { ok: false, status: 400, formError: size.message } : { ok: false, status: 400, fieldErrors: { amount: [size.message] } };
  const seed = options.seed ?? newSeed();
  const selected = drawSelection(seed, eligible, size.size);
  const id = newId();
  const sequence = (last?.sequence ?? 0) + 1;
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("drug_test_draws")
        .values({
          id,
          site_id: site.id,
          draw_date: input.date,
          sequence,
          pool: input.pool,
          mode: input.mode,
          amount: input.amount,
          seed,
          algorithm: DRAW_ALGORITHM,
          eligible: JSON.stringify(eligible),
          selected: JSON.stringify(selected),
          reason: sequence > 1 ? (input.reason ?? null) : null,
          drawn_by: actor.id,
          drawn_at: now.toISOString(),
        })
        .execute();
      await recordAudit(trx, {
        actor,
        action: sequence > 1 ? "drug_test.redrawn" : "drug_test.drawn",
        entityType: "drug_test_draw",
        entityId: id,
        siteId: site.id,
        after: {
          date: input.date,
          pool: input.pool,
          mode: input.mode,
          amount: input.amount,
          eligible: eligible.length,
          selected,
          seed,
          algorithm: DRAW_ALGORITHM,
        },
        detail: sequence > 1 ? { reason: input.reason, replaces: last!.id } : undefined,
        meta,
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      return {
        ok: false,
        status: 409,
        formError: "Someone else drew for this day at the same moment. Reload to see their draw; draw again only with a reason.",
      };
    }
    throw e;
  }
  return { ok: true, id, selected: selected.length, eligible: eligible.length, sequence };
}

/**
 * The day's board: the latest draw's selected patients with the collection recorded for each that
 * day (any reason counts; a refusal or no-show is recorded, not missing).
 */
export async function drawBoard(db: DB, draw: StoredDraw) {
  const ids = draw.selected;
  if (!ids.length) return [];
  const people = await db
    .selectFrom("patients")
    .select(["id", "mrn", "legal_first_name", "legal_last_name", "preferred_name", "status"])
    .where("id", "in", ids)
    .execute();
  const tests = await db
    .selectFrom("drug_tests")
    .select(["id", "patient_id", "collected_at", "collection", "outcome", "unexpected_positive"])
    .where("site_id", "=", draw.siteId)
    .where("collected_on", "=", draw.date)
    .where("patient_id", "in", ids)
    .orderBy("collected_at")
    .execute();
  const byId = new Map(people.map((p) => [p.id, p]));
  return ids.map((id, i) => {
    const p = byId.get(id);
    const test = tests.find((t) => t.patient_id === id) ?? null;
    return {
      order: i + 1,
      patientId: id,
      name: p ? `${p.legal_last_name}, ${p.preferred_name || p.legal_first_name}` : "Unknown patient",
      mrn: p?.mrn ?? "",
      test: test
        ? {
            id: test.id,
            collectedAt: test.collected_at,
            collection: test.collection,
            outcome: test.outcome,
            unexpectedPositive: Boolean(test.unexpected_positive),
          }
        : null,
    };
  });
}

/** The MRN of each patient a draw was made from (its eligible list), by patient id. */
export async function eligibleMrns(db: DB, draw: Pick<StoredDraw, "eligible">): Promise<Map<string, string>> {
  if (!draw.eligible.length) return new Map();
  const rows = await db.selectFrom("patients").select(["id", "mrn"]).where("id", "in", draw.eligible).execute();
  return new Map(rows.map((r) => [r.id, r.mrn]));
}
