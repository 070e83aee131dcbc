/**
 * Issue 16, item 7d: the two-factor policy and the drug-test panels are each site's own. One
 * site's admin changes them for their site only; sign-in asks the strictest policy of the sites a
 * person works at; a collection uses only a panel of its own site; and migration
 * 2026-12-06-14-site-scoped-settings carries what the network had to every existing site.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/features/admin/users.server";
import { signIn } from "~/features/auth/sign-in.server";
import { setSiteTwoFactorPolicy, siteTwoFactorPolicy, userTwoFactorPolicy } from "~/features/auth/two-factor-policy.server";
import { recordCollection } from "~/features/drug-testing/collections.server";
import { listPanels, NO_SUCH_PANEL, savePanel, setPanelActive } from "~/features/drug-testing/panels.server";
import { newId } from "~/utils/ids";
import { todayIn } from "~/kernel/time";
import * as migration from "../../db/migrations/2026-12-06-14-site-scoped-settings";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { DEMO_PASSWORD, meta, seed } from "../support/demo";
import { enroll } from "./patients-support";

const TEMP = "marble orchard cinnamon voyage";
const UNKNOWN = "01900000-0000-7000-8000-0000000000ff";

describe.each(dialects)("settings each site keeps for itself, on %s", (dialect) => {
  let t: TestDatabase;
  let riverside: string;
  let eastside: string;
  let dana: { id: string; name: string };
  let marcus: { id: string; name: string; email: string };
  let eastAdmin: { id: string; name: string };
  let quinn: { id: string; name: string; email: string };
  let both: { id: string; email: string };
  let eastPatient: string;
  let riverPatient: string;
  const staffAt = async (siteId: string) =>
    (
      await t.db
        .selectFrom("users")
        .innerJoin("user_sites", "user_sites.user_id", "users.id")
        .select("users.id")
        .where("user_sites.site_id", "=", siteId)
        .where("users.role", "=", "staff")
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    riverside = clinic.siteId;
    eastside = newId();
    await t.db
      .insertInto("sites")
      .values({ id: eastside, name: "Harbor Light Recovery – Eastside", time_zone: "America/Chicago", created_at: new Date().toISOString() })
      .execute();
    dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
    marcus = { id: clinic.users["marcus.bell"].id, name: clinic.users["marcus.bell"].name, email: clinic.users["marcus.bell"].email };
    const both2 = [riverside, eastside];
    const mk = async (name: string, email: string, role: "admin" | "counselor" | "staff", siteIds: string[]) => {
      const r = await createUser(t.db, dana, { name, email, role, siteIds, temporaryPassword: TEMP, mustChangePassword: false }, both2, meta);
      if (!r.ok) throw new Error(JSON.stringify(r));
      return { id: r.id, name, email };
    };
    eastAdmin = await mk("Eli Eastside", "eli.eastside@harborlight.example", "admin", [eastside]);
    quinn = await mk("Quinn Eastside", "quinn.eastside@harborlight.example", "counselor", [eastside]);
    both = await mk("Riley Both", "riley.both@harborlight.example", "counselor", both2);
    await mk("Sam Eastside", "sam.eastside@harborlight.example", "staff", [eastside]);
    eastPatient = (await enroll(t.db, quinn, eastside, { legalFirstName: "Rowan", legalLastName: "Castellanos", primaryCounselorId: quinn.id })).id;
    riverPatient = (await enroll(t.db, marcus, riverside, { legalFirstName: "Avery", legalLastName: "Holt", primaryCounselorId: marcus.id })).id;
  });
  afterAll(() => t?.destroy());

  const stage = async (email: string, password = TEMP) => {
    const r = await signIn(t.db, { email, password }, { ip: `198.51.100.${Math.floor(Math.random() * 250)}`, userAgent: "vitest" });
    if (!r.ok) throw new Error(r.message);
    return r.secondFactor;
  };

  describe("the two-factor policy", () => {
    it("changes only the admin's own site, and sign-in asks the strictest policy of the sites a person works at", async () => {
      await t.db.updateTable("program_settings").set({ value: "none" }).where("key", "=", "two_factor_required_for").execute();
      expect(await stage(quinn.email)).toBe("done");
      const riverPolicy = await siteTwoFactorPolicy(t.db, riverside);
      expect(riverPolicy).toEqual({ value: "none", version: 0, ownChoice: false });
      expect(await setSiteTwoFactorPolicy(t.db, dana, riverside, "everyone", riverPolicy.version, meta)).toEqual({ ok: true });
      expect((await siteTwoFactorPolicy(t.db, riverside)).value).toBe("everyone");
      expect((await siteTwoFactorPolicy(t.db, eastside)).value).toBe("none");
      // Riverside's counselor must now set it up; Eastside's counselor is not touched.
      expect(await stage(marcus.email, DEMO_PASSWORD)).toBe("enrol");
      expect(await stage(quinn.email)).toBe("done");
      // Someone at both sites meets the stricter one.
      expect((await userTwoFactorPolicy(t.db, both.id)).value).toBe("everyone");
      expect(await stage(both.email)).toBe("enrol");
      // The change is audited at Riverside, so Eastside's audit log does not carry it.
      const event = await t.db
        .selectFrom("audit_events")
        .select(["site_id", "changes"])
        .where("action", "=", "settings.two_factor_policy_changed")
        .orderBy("seq", "desc")
        .executeTakeFirstOrThrow();
      expect(event.site_id).toBe(riverside);
    });

    it("refuses a stale choice, and lets each site choose independently", async () => {
      const east = await siteTwoFactorPolicy(t.db, eastside);
      expect(await setSiteTwoFactorPolicy(t.db, eastAdmin, eastside, "admins", east.version, meta)).toEqual({ ok: true });
      expect((await setSiteTwoFactorPolicy(t.db, eastAdmin, eastside, "none", east.version, meta)).ok).toBe(false);
      expect((await siteTwoFactorPolicy(t.db, riverside)).value).toBe("everyone");
      const river = await siteTwoFactorPolicy(t.db, riverside);
      expect(await setSiteTwoFactorPolicy(t.db, dana, riverside, "none", river.version, meta)).toEqual({ ok: true });
      expect(await stage(marcus.email, DEMO_PASSWORD)).toBe("done");
      expect((await userTwoFactorPolicy(t.db, both.id)).value).toBe("admins");
      expect(await stage(both.email)).toBe("done");
    });
  });

  describe("drug-test panels", () => {
    it("gives each site its own copy of the starting panels", async () => {
      const east = await listPanels(t.db, eastside);
      const river = await listPanels(t.db, riverside);
      expect(east.map((p) => p.name)).toEqual(river.map((p) => p.name));
      expect(east.length).toBeGreaterThan(0);
      expect(east.map((p) => p.id).filter((id) => river.some((r) => r.id === id))).toEqual([]);
      // A second read copies nothing more.
      expect((await listPanels(t.db, eastside)).map((p) => p.id)).toEqual(east.map((p) => p.id));
    });

    it("lets one site's admin change only their own site's panels; another site's panel is as unknown", async () => {
      const river = (await listPanels(t.db, riverside)).find((p) => p.specimen === "urine")!;
      const before = await t.db.selectFrom("drug_test_panels").selectAll().where("id", "=", river.id).executeTakeFirstOrThrow();
      const rename = (panelId: string) =>
        savePanel(
          t.db,
          eastAdmin,
          eastside,
          { intent: "update", panelId, version: river.version, name: "Hijacked", specimen: "urine", analytes: ["thc"] },
          meta,
        );
      expect(await rename(river.id)).toEqual({ ok: false, status: 404, formError: NO_SUCH_PANEL });
      expect(await rename(river.id)).toEqual(await rename(UNKNOWN));
      const retire = (panelId: string) => setPanelActive(t.db, eastAdmin, eastside, { panelId, version: river.version, active: false }, meta);
      expect(await retire(river.id)).toEqual({ ok: false, status: 404, formError: NO_SUCH_PANEL });
      expect(await retire(river.id)).toEqual(await retire(UNKNOWN));
      expect(await t.db.selectFrom("drug_test_panels").selectAll().where("id", "=", river.id).executeTakeFirstOrThrow()).toEqual(before);

      // Eastside retires its own urine panel and makes one of the same name as a Riverside panel.
      const east = (await listPanels(t.db, eastside)).find((p) => p.specimen === "urine")!;
      expect(await setPanelActive(t.db, eastAdmin, eastside, { panelId: east.id, version: east.version, active: false }, meta)).toEqual({ ok: true });
      expect((await listPanels(t.db, riverside)).find((p) => p.id === river.id)!.active).toBe(true);
      const made = await savePanel(
        t.db,
        eastAdmin,
        eastside,
        { intent: "create", name: "Urine — fentanyl only", specimen: "urine", analytes: ["fentanyl"] },
        meta,
      );
      expect(made.ok).toBe(true);
      expect((await listPanels(t.db, riverside)).map((p) => p.name)).not.toContain("Urine — fentanyl only");
      expect(
        await savePanel(t.db, dana, riverside, { intent: "create", name: "Urine — fentanyl only", specimen: "urine", analytes: ["fentanyl"] }, meta),
      ).toMatchObject({ ok: true });
      await setPanelActive(t.db, eastAdmin, eastside, { panelId: east.id, version: east.version + 1, active: true }, meta);
    });

    it("records a collection only on a panel of the collection's own site", async () => {
      const riverUrine = (await listPanels(t.db, riverside)).find((p) => p.name === "Urine — standard panel")!;
      const eastUrine = (await listPanels(t.db, eastside)).find((p) => p.name === "Urine — standard panel")!;
      const input = (patientId: string, panelId: string, collectedBy: string, tz: string) => ({
        requestKey: randomUUID(),
        patientId,
        collection: "collected" as const,
        date: todayIn(tz),
        time: "00:00",
        reason: "scheduled" as const,
        specimen: "urine" as const,
        panelId,
        observed: true,
        temperatureInRange: "yes" as const,
        temperatureNote: undefined,
        collectedBy,
        note: undefined,
      });
      const eastStaff = await staffAt(eastside);
      const riverStaff = await staffAt(riverside);
      const crossed = await recordCollection(t.db, quinn, input(eastPatient, riverUrine.id, eastStaff, "America/Chicago"), [eastside], meta);
      expect(crossed).toEqual({ ok: false, status: 400, fieldErrors: { panelId: ["Choose a panel in use."] } });
      const own = await recordCollection(t.db, quinn, input(eastPatient, eastUrine.id, eastStaff, "America/Chicago"), [eastside], meta);
      expect(own.ok).toBe(true);
      const river = await recordCollection(t.db, marcus, input(riverPatient, riverUrine.id, riverStaff, "America/New_York"), [riverside], meta);
      expect(river.ok).toBe(true);
    });
  });

  describe("migration 2026-12-06-14-site-scoped-settings", () => {
    it("carries the network's policy and panels to every existing site, and moves each site's tests to its own panel", async () => {
      // Back to the shape before the migration: one policy and one set of panels for the network.
      await migration.down(t.db);
      await t.db.updateTable("program_settings").set({ value: "everyone" }).where("key", "=", "two_factor_required_for").execute();
      const panelsBefore = await t.db.selectFrom("drug_test_panels").select(["id", "name"]).execute();
      const testsBefore = await t.db.selectFrom("drug_tests").select(["id", "site_id", "panel_id"]).where("panel_id", "is not", null).execute();
      expect(testsBefore.length).toBeGreaterThanOrEqual(2);
      expect(new Set(testsBefore.map((x) => x.site_id))).toEqual(new Set([riverside, eastside]));
      for (const x of testsBefore) expect(panelsBefore.map((p) => p.id)).toContain(x.panel_id);

      await migration.up(t.db);

      // Run again on today's schema, the migration also copies settings added after it (the ASAM
      // edition); in an upgrade it runs before they exist. The policy is what it was written for.
      const settings = await t.db.selectFrom("site_settings").selectAll().where("key", "=", "two_factor_required_for").orderBy("site_id").execute();
      const sites = await t.db.selectFrom("sites").select("id").execute();
      expect(settings.map((s) => [s.site_id, s.key, s.value]).sort()).toEqual(sites.map((s) => [s.id, "two_factor_required_for", "everyone"]).sort());
      const templates = await t.db.selectFrom("drug_test_panels").select(["id", "name"]).where("site_id", "is", null).execute();
      expect(templates.map((p) => p.id).sort()).toEqual(panelsBefore.map((p) => p.id).sort());
      for (const site of sites) {
        const own = await t.db.selectFrom("drug_test_panels").select(["id", "name"]).where("site_id", "=", site.id).execute();
        expect(own.map((p) => p.name).sort()).toEqual(panelsBefore.map((p) => p.name).sort());
      }
      for (const x of testsBefore) {
        const after = await t.db
          .selectFrom("drug_tests as t")
          .innerJoin("drug_test_panels as p", "p.id", "t.panel_id")
          .select(["p.site_id", "p.name"])
          .where("t.id", "=", x.id)
          .executeTakeFirstOrThrow();
        expect(after.site_id).toBe(x.site_id);
        expect(after.name).toBe(panelsBefore.find((p) => p.id === x.panel_id)!.name);
      }
      // Names are unique per site, and the database still refuses a test on a panel that does not exist.
      await expect(
        t.db
          .insertInto("drug_test_panels")
          .values({
            id: newId(),
            site_id: riverside,
            name: "Urine — standard panel",
            specimen: "urine",
            analytes: "[]",
            active: 1,
            created_at: "x",
            updated_at: "x",
          })
          .execute(),
      ).rejects.toThrow();
      await expect(t.db.updateTable("drug_tests").set({ panel_id: UNKNOWN }).where("id", "=", testsBefore[0].id).execute()).rejects.toThrow();
      // A site that chose nothing follows the network default; every site here starts with "everyone".
      expect(await stage(quinn.email)).toBe("enrol");
    });
  });
});
