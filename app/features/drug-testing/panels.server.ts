/**
 * Drug-test panels: named sets of analytes run on one kind of specimen. Admins define them; a panel
 * in use is deactivated, never deleted, so old tests keep their panel.
 */
import { sql } from "kysely";
import { type DB, isUniqueViolation } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { type Analyte, isAnalyte, panelMismatch, SPECIMENS, type Specimen } from "./rules";
import type { PanelInput } from "./schemas";

export interface Panel {
  id: string;
  name: string;
  specimen: Specimen;
  analytes: Analyte[];
  active: boolean;
  version: number;
}

export function toPanel(row: { id: string; name: string; specimen: Specimen; analytes: string; active: number; version: number | string }): Panel {
  return {
    id: row.id,
    name: row.name,
    specimen: row.specimen,
    analytes: (JSON.parse(row.analytes) as string[]).filter(isAnalyte),
    active: Boolean(row.active),
    version: Number(row.version),
  };
}

/**
 * A site's panels. Each site keeps its own, so one site's admin changes only their site's panels
 * (issue 16, item 7d). A site with none yet (a site added after the network started) is given a
 * copy of the network's starting set the first time its panels are read; that copy is audited.
 */
export async function listPanels(db: DB, siteId: string, options: { activeOnly?: boolean } = {}): Promise<Panel[]> {
  await provideStartingPanels(db, siteId);
  let q = db.selectFrom("drug_test_panels").selectAll().where("site_id", "=", siteId);
  if (options.activeOnly) q = q.where("active", "=", 1);
  const rows = await q.orderBy("active", "desc").orderBy("name").execute();
  return rows.map(toPanel);
}

/** Gives a site without panels a copy of the network's starting set; a no-op once it has any. */
export async function provideStartingPanels(db: DB, siteId: string): Promise<void> {
  if (!siteId || (await db.selectFrom("drug_test_panels").select("id").where("site_id", "=", siteId).executeTakeFirst())) return;
  const starting = await db.selectFrom("drug_test_panels").selectAll().where("site_id", "is", null).orderBy("name").execute();
  if (!starting.length) return;
  await db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const copied: string[] = [];
    for (const p of starting) {
      // Two first readers at once: the (site, name) index keeps one copy of each.
      const res = await trx
        .insertInto("drug_test_panels")
        .values({
          id: newId(),
          site_id: siteId,
          name: p.name,
          specimen: p.specimen,
          analytes: p.analytes,
          active: p.active,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .onConflict((oc) => oc.columns(["site_id", "name"]).doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 1) copied.push(p.name);
    }
    if (copied.length)
      await recordAudit(trx, { actor: null, action: "drug_panel.starting_set_copied", entityType: "drug_test_panel", siteId, detail: { panels: copied } });
  });
}

/** A panel of `siteId`; a panel of another site is no panel at all. */
export async function getPanel(db: DB, id: string, siteId: string): Promise<Panel | null> {
  if (id.length > 64 || !siteId) return null;
  const row = await db.selectFrom("drug_test_panels").selectAll().where("id", "=", id).where("site_id", "=", siteId).executeTakeFirst();
  return row ? toPanel(row) : null;
}

/** The panel a test was recorded on, whichever site's it is (for reading results in its order). */
export async function panelRecordedOn(db: DB, id: string): Promise<Panel | null> {
  if (id.length > 64) return null;
  const row = await db.selectFrom("drug_test_panels").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toPanel(row) : null;
}

/** How many tests were recorded on each of a site's panels. */
export async function panelUses(db: DB, siteId: string): Promise<Map<string, number>> {
  const used = await db
    .selectFrom("drug_tests")
    .innerJoin("drug_test_panels as p", "p.id", "drug_tests.panel_id")
    .select(["drug_tests.panel_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("p.site_id", "=", siteId)
    .groupBy("drug_tests.panel_id")
    .execute();
  return new Map(used.map((u) => [u.panel_id ?? "", Number(u.n)]));
}

/** For an id that does not exist and for a panel of another site alike. */
export const NO_SUCH_PANEL = "There is no such panel at your site.";

const STALE = "Someone else changed this panel while you were working. Reload to see their change, then try again.";

async function nameTaken(db: DB, siteId: string, name: string, exceptId?: string) {
  let q = db
    .selectFrom("drug_test_panels")
    .select("id")
    .where("site_id", "=", siteId)
    .where(sql<string>`lower(name)`, "=", name.toLowerCase());
  if (exceptId) q = q.where("id", "!=", exceptId);
  return Boolean(await q.executeTakeFirst());
}

export async function savePanel(db: DB, actor: Actor, siteId: string, input: PanelInput, meta: ClientMeta): Promise<WriteResult<{ id: string }>> {
  const analytes = [...new Set(input.analytes)];
  const mismatch = panelMismatch(input.specimen, analytes);
  if (mismatch) return { ok: false, status: 400, fieldErrors: { analytes: [mismatch] } };
  const taken = { ok: false as const, status: 409 as const, fieldErrors: { name: [`There is already a panel called ${input.name}.`] } };
  const now = new Date().toISOString();
  if (input.intent === "create") {
    if (await nameTaken(db, siteId, input.name)) return taken;
    const id = newId();
    try {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("drug_test_panels")
          .values({
            id,
            site_id: siteId,
            name: input.name,
            specimen: input.specimen,
            analytes: JSON.stringify(analytes),
            active: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await recordAudit(trx, {
          actor,
          action: "drug_panel.created",
          entityType: "drug_test_panel",
          entityId: id,
          siteId,
          after: { name: input.name, specimen: input.specimen, analytes },
          meta,
        });
      });
    } catch (e) {
      // A unique-name race lost to a simultaneous save: the loser gets the same message as the early check.
      if (isUniqueViolation(e)) return taken;
      throw e;
    }
    return { ok: true, id };
  }
  const current = input.panelId ? await getPanel(db, input.panelId, siteId) : null;
  if (!current) return { ok: false, status: 404, formError: NO_SUCH_PANEL };
  if (await nameTaken(db, siteId, input.name, current.id)) return taken;
  if (current.specimen !== input.specimen) {
    const used = await db.selectFrom("drug_tests").select("id").where("panel_id", "=", current.id).executeTakeFirst();
    if (used)
      return {
        ok: false,
        status: 400,
        fieldErrors: {
          specimen: [`Tests were recorded on this panel as ${SPECIMENS[current.specimen].toLowerCase()}; make a new panel for another specimen.`],
        },
      };
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable("drug_test_panels")
        .set({ name: input.name, specimen: input.specimen, analytes: JSON.stringify(analytes), updated_at: now, version: sql`version + 1` })
        .where("id", "=", current.id)
        .where("version", "=", input.version ?? 0)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE };
      await recordAudit(trx, {
        actor,
        action: "drug_panel.updated",
        entityType: "drug_test_panel",
        entityId: current.id,
        siteId,
        before: { name: current.name, specimen: current.specimen, analytes: current.analytes },
        after: { name: input.name, specimen: input.specimen, analytes },
        meta,
      });
      return { ok: true as const, id: current.id };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return taken;
    throw e;
  }
}

export async function setPanelActive(
  db: DB,
  actor: Actor,
  siteId: string,
  input: { panelId: string; version: number; active: boolean },
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getPanel(db, input.panelId, siteId);
  if (!current) return { ok: false, status: 404, formError: NO_SUCH_PANEL };
  if (current.active === input.active) return { ok: false, status: 400, formError: `${current.name} is already ${input.active ? "in use" : "retired"}.` };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("drug_test_panels")
      .set({ active: input.active ? 1 : 0, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", current.id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE };
    await recordAudit(trx, {
      actor,
      action: input.active ? "drug_panel.reactivated" : "drug_panel.retired",
      entityType: "drug_test_panel",
      entityId: current.id,
      siteId,
      detail: { name: current.name },
      meta,
    });
    return { ok: true as const };
  });
}
