/**
 * Sites added and changed by an admin, on real databases: each write audited in its own
 * transaction with before and after, a multi-line address kept line for line, the time zone one
 * of the IANA zones, and a concurrent edit refused rather than overwritten.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateSiteSchema, normalizeAddress, UpdateSiteSchema } from "~/features/admin/sites";
import { createSite, getManagedSite, listManagedSites, updateSite } from "~/features/admin/sites.server";
import { listReadableAuditEvents } from "~/features/audit/audit-log.server";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";

describe("a site's form", () => {
  it("accepts an IANA zone and refuses one that is not", () => {
    const ok = CreateSiteSchema.safeParse({ name: "North", timeZone: "America/Denver", address: "" });
    expect(ok.success && ok.data).toEqual({ name: "North", timeZone: "America/Denver", address: null });
    const bad = CreateSiteSchema.safeParse({ name: "North", timeZone: "Mars/Olympus_Mons" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["timeZone", "Choose a time zone from the list."]]);
  });

  it("keeps an address's lines, whatever line ends the browser sent, and drops blank ones", () => {
    expect(normalizeAddress("  12 Harbor Way \r\n\r\nSuite 4\rPortland, ME 04101  \n")).toBe("12 Harbor Way\nSuite 4\nPortland, ME 04101");
    expect(normalizeAddress("   \n ")).toBeNull();
    const seven = UpdateSiteSchema.safeParse({ version: "1", name: "N", timeZone: "UTC", address: "1\n2\n3\n4\n5\n6\n7" });
    expect(seven.success).toBe(false);
  });
});

describe.each(dialects)("sites on %s", (dialect) => {
  let t: TestDatabase;
  let riverside: string;
  let dana: { id: string; name: string };
  let noel: { id: string; name: string };

  const auditOf = async (siteId: string, action: string) =>
    t.db.selectFrom("audit_events").selectAll().where("entity_id", "=", siteId).where("action", "=", action).orderBy("seq").execute();

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    riverside = clinic.siteId;
    dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
    noel = { id: clinic.users["marcus.bell"].id, name: "Another admin" };
  });
  afterAll(() => t?.destroy());

  it("adds a site with a two-line address, assigns the admin who added it, and audits it with what was set", async () => {
    const address = "400 Congress Street, Floor 2\nPortland, ME 04101";
    const r = await createSite(t.db, dana, { name: "Harbor Light – Portland", timeZone: "America/New_York", address }, meta);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const site = await getManagedSite(t.db, r.id, [r.id]);
    expect(site).toMatchObject({ name: "Harbor Light – Portland", timeZone: "America/New_York", address, version: 1 });
    expect(await t.db.selectFrom("user_sites").select("user_id").where("site_id", "=", r.id).execute()).toEqual([{ user_id: dana.id }]);
    const rows = await auditOf(r.id, "site.created");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: dana.id, site_id: r.id, entity_type: "site", outcome: "success" });
    expect(JSON.parse(rows[0].changes!).after).toEqual({ name: "Harbor Light – Portland", timeZone: "America/New_York", address });
  });

  it("changes the time zone under its version, audits before and after, and refuses a stale form", async () => {
    const r = await createSite(t.db, dana, { name: "Harbor Light – Denver", timeZone: "America/New_York", address: "1 Main St\nDenver, CO 80202" }, meta);
    if (!r.ok) throw new Error("not created");
    const input = { name: "Harbor Light – Denver", timeZone: "America/Denver", address: "1 Main St\nDenver, CO 80202", version: 1 };
    expect(await updateSite(t.db, dana, r.id, input, [r.id], meta)).toEqual({ ok: true });
    expect(await getManagedSite(t.db, r.id, [r.id])).toMatchObject({ timeZone: "America/Denver", version: 2, address: "1 Main St\nDenver, CO 80202" });
    const rows = await auditOf(r.id, "site.updated");
    expect(rows.map((x) => JSON.parse(x.changes!))).toEqual([{ before: { timeZone: "America/New_York" }, after: { timeZone: "America/Denver" } }]);

    // Someone else's form, opened at version 1, now arrives: refused, nothing written.
    const stale = await updateSite(t.db, noel, r.id, { ...input, timeZone: "America/Chicago" }, [r.id], meta);
    expect(stale).toMatchObject({ ok: false, status: 409 });
    expect(await auditOf(r.id, "site.updated")).toHaveLength(1);
    expect((await getManagedSite(t.db, r.id, [r.id]))?.timeZone).toBe("America/Denver");

    // The log reads it in words.
    const log = await listReadableAuditEvents(
      t.db,
      { siteIds: [r.id], action: "site.updated" },
      { page: 1, pageSize: 10, direction: "asc" },
      { namePatients: true },
    );
    expect(log.events.map((e) => [e.actionLabel, e.record, e.changes])).toEqual([
      ["Changed a site", "Site: Harbor Light – Denver", ["Time zone: America/New_York → America/Denver"]],
    ]);
  });

  it("refuses a name another site has, in any case, and a site that is not the admin's", async () => {
    const taken = await createSite(t.db, dana, { name: "HARBOR LIGHT – PORTLAND", timeZone: "UTC", address: null }, meta);
    expect(taken).toMatchObject({ ok: false, status: 409, fieldErrors: { name: ["There is already a site with that name."] } });
    const site = (await getManagedSite(t.db, riverside, [riverside]))!;
    const notMine = await updateSite(t.db, dana, riverside, { name: "Mine now", timeZone: "UTC", address: null, version: site.version }, [], meta);
    expect(notMine).toMatchObject({ ok: false, status: 404 });
    expect(await getManagedSite(t.db, "nope", [riverside])).toBeNull();
  });

  it("lists only the admin's own sites, by name", async () => {
    const all = await listManagedSites(t.db, [riverside]);
    expect(all.map((s) => s.id)).toEqual([riverside]);
  });

  it("leaves the audit chain intact", async () => {
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
