/**
 * Issue 16, finding 1, over HTTP against the production server: an admin at Riverside walks every
 * admin page and every intent with a person or record that belongs only to another site
 * (Northshore). Each answer must be exactly the answer for an id that does not exist (same status,
 * same page once the id itself is taken out), and nothing at Northshore may change. Listings, the
 * audit log and its export must not show Northshore's people; settings stay each site's own.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { createUser } from "~/features/admin/users.server";
import { createSession } from "~/features/auth/sessions.server";
import { setSiteTwoFactorPolicy, siteTwoFactorPolicy } from "~/features/auth/two-factor-policy.server";
import { listPanels } from "~/features/drug-testing/panels.server";
import { saveFeeRow } from "~/features/billing/fee-schedule.server";
import { createSeries } from "~/features/scheduling/groups.server";
import { createRoom, createTrack } from "~/features/scheduling/program.server";
import { createPayer } from "~/features/billing/payers.server";
import { addDays, weekStart, todayIn } from "~/kernel/time";
import { newId } from "~/utils/ids";
import { enrollPatient } from "~/features/patients/patients.server";
import { intakeInput } from "../integration/patients-support";
import { ADMIN } from "./helpers";
import { northRemittance } from "./claims-support";
import { signInCookie } from "../support/server";

const baseUrl = inject("baseUrl");
const UNKNOWN = "01900000-0000-7000-8000-0000000000ff";
const setup = { ip: null, userAgent: "admin-cross-site setup" };

let db: Kysely<Database>;
let cookie = "";
let riverside = "";
/** Northshore: a site the Riverside admin does not work at, and what is there. */
const north = {
  siteId: "",
  userId: "",
  email: "nora.northshore@harborlight.example",
  trackId: "",
  roomId: "",
  seriesId: "",
  panelId: "",
  payerId: "",
  feeId: "",
  remittanceId: "",
  batchId: "",
  claimId: "",
};
/** A payer of the admin's own site, so a fee schedule form passes validation and is refused by the site check alone. */
let riversidePayer = "";

/**
 * Every admin page that acts on one record by id, the intents its forms send (with bodies that
 * pass validation, so the refusal comes from the site check), and the record's table for the
 * "nothing changed" check. Kept beside the route-access matrix (tests/e2e/route-access.test.ts).
 */
const TARGETED = () => [
  {
    file: "_app.admin.users.$userId.tsx",
    page: (id: string) => `/admin/users/${id}`,
    target: north.userId,
    intents: [
      { intent: "update", version: "1", name: "Taken Over", email: north.email, role: "admin", siteIds: riverside },
      { intent: "reset-password", temporaryPassword: "another orchard cinnamon voyage" },
      { intent: "deactivate", version: "1" },
      { intent: "reactivate", version: "1" },
      { intent: "reset-two-factor" },
      { intent: "emergency-access", allowed: "yes", version: "1" },
    ],
  },
  {
    file: "_app.admin.program.tracks.$trackId.tsx",
    page: (id: string) => `/admin/program/tracks/${id}`,
    target: north.trackId,
    intents: [
      { intent: "update", version: "1", name: "Renamed", levelOfCare: "IOP", days: "mon", startTime: "09:00", endTime: "12:00" },
      { intent: "deactivate", version: "1" },
      { intent: "reactivate", version: "1" },
    ],
  },
  {
    file: "_app.admin.program.rooms.$roomId.tsx",
    page: (id: string) => `/admin/program/rooms/${id}`,
    target: north.roomId,
    intents: [
      { intent: "update", version: "1", name: "Renamed", capacity: "3" },
      { intent: "deactivate", version: "1" },
      { intent: "reactivate", version: "1" },
    ],
  },
  {
    file: "_app.admin.program.groups.$seriesId.tsx",
    page: (id: string) => `/admin/program/groups/${id}`,
    target: north.seriesId,
    intents: [
      {
        intent: "update",
        version: "1",
        title: "Renamed",
        kind: "process",
        facilitatorId: "no-such-person",
        modality: "telehealth",
        capacity: "5",
        days: "mon",
        startTime: "18:00",
        endTime: "19:00",
      },
    ],
  },
  {
    file: "_app.admin.payers.$payerId.tsx",
    page: (id: string) => `/admin/payers/${id}`,
    target: north.payerId,
    intents: [{ intent: "update-payer", payerId: "$ID", version: "1", name: "Renamed", kind: "commercial", active: "yes" }],
  },
  {
    file: "_app.drug-tests.panels.tsx",
    page: (id: string) => `/drug-tests/panels?panel=${id}`,
    post: () => "/drug-tests/panels",
    target: north.panelId,
    intents: [
      { intent: "update", panelId: "$ID", version: "1", name: "Renamed", specimen: "urine", analytes: "thc" },
      { intent: "deactivate", panelId: "$ID", version: "1" },
      { intent: "reactivate", panelId: "$ID", version: "1" },
    ],
  },
  {
    file: "_app.admin.fee-schedule.tsx",
    page: (id: string) => `/admin/fee-schedule?row=${id}`,
    post: () => "/admin/fee-schedule",
    target: north.feeId,
    intents: [
      {
        intent: "save-fee",
        feeId: "$ID",
        version: "1",
        payerId: riversidePayer,
        level: "IOP",
        claimType: "professional",
        procedureCode: "H0015",
        unitsPerDay: "1",
        minMinutes: "180",
        rate: "1.00",
      },
    ],
  },
  {
    file: "_app.billing.remittances.$remittanceId.tsx",
    page: (id: string) => `/billing/remittances/${id}`,
    target: north.remittanceId,
    intents: [],
  },
  {
    file: "_app.billing.claims_.$claimId.tsx",
    page: (id: string) => `/billing/claims/${id}`,
    target: north.claimId,
    intents: [
      { intent: "replace", basis: "0123456789abcdef", requestKey: newId() },
      { intent: "void", basis: "0123456789abcdef", requestKey: newId() },
    ],
  },
  {
    file: "billing.claims.$batchId.download.tsx",
    page: (id: string) => `/billing/claims/${id}/download?format=837`,
    target: north.batchId,
    intents: [],
  },
];

/** Admin-only pages with no record id in the path, and what this file checks there. */
const UNTARGETED = [
  "_app.admin.users._index.tsx", // the list shows no one from Northshore
  "_app.admin.users.new.tsx", // a Northshore site cannot be assigned
  "_app.admin.security.tsx", // the roster shows no one from Northshore; the policy is Riverside's own
  "_app.admin.audit._index.tsx", // no event about Northshore's people
  "admin.audit.export[.]csv.tsx", // the same for the export
  "_app.admin.emergency-access.tsx", // no Northshore grant (report is by site)
  "_app.admin.program._index.tsx", // creates only at the admin's current site
  "_app.admin.program.groups.new.tsx", // the same
  "_app.admin.program.asam.tsx", // the ASAM edition is the admin's current site's own choice
  "_app.admin.program.measures.tsx", // the measure interval is the admin's current site's own choice
  "_app.admin.program.plans.tsx", // the plan review interval is the admin's current site's own choice
  "_app.admin.program.notes.tsx", // the notes settings are the admin's current site's own choice
  "_app.admin.payers._index.tsx", // lists and adds payers only at the admin's current site
  "_app.billing.claims.tsx", // exports, imports and the billing provider are the admin's current site's own
  "_app.billing.charges.tsx", // reviews and recomputes only the admin's current site's charges
];

const get = (path: string) => fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
const post = (path: string, body: Record<string, string>) =>
  fetch(`${baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  });

/** The page with the id, per-request nonces and the toast cookie's trace taken out, to compare two answers. */
const normalized = async (res: Response, id: string) => ({
  status: res.status,
  location: res.headers.get("location")?.replaceAll(id, "$ID") ?? null,
  body: (await res.text())
    .replaceAll(id, "$ID")
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/"nonce":"[^"]*"/g, '"nonce":""'),
});

/** Everything about Northshore's records that an admin action could change. */
async function northState() {
  const [user, sessions, sites, track, room, series, panel, settings, payer, fee] = await Promise.all([
    db.selectFrom("users").selectAll().where("id", "=", north.userId).executeTakeFirstOrThrow(),
    db.selectFrom("user_sessions").select("id").where("user_id", "=", north.userId).execute(),
    db.selectFrom("user_sites").selectAll().where("user_id", "=", north.userId).execute(),
    db.selectFrom("tracks").selectAll().where("id", "=", north.trackId).executeTakeFirstOrThrow(),
    db.selectFrom("rooms").selectAll().where("id", "=", north.roomId).executeTakeFirstOrThrow(),
    db.selectFrom("group_series").selectAll().where("id", "=", north.seriesId).executeTakeFirstOrThrow(),
    db.selectFrom("drug_test_panels").selectAll().where("id", "=", north.panelId).executeTakeFirstOrThrow(),
    db.selectFrom("site_settings").selectAll().where("site_id", "=", north.siteId).execute(),
    db.selectFrom("payers").selectAll().where("id", "=", north.payerId).executeTakeFirstOrThrow(),
    db.selectFrom("fee_schedule").selectAll().where("id", "=", north.feeId).executeTakeFirstOrThrow(),
  ]);
  const claims = await Promise.all([
    db.selectFrom("remittances").selectAll().where("site_id", "=", north.siteId).execute(),
    db.selectFrom("claim_batches").selectAll().where("site_id", "=", north.siteId).execute(),
    db.selectFrom("claims").selectAll().where("batch_id", "=", north.batchId).execute(),
  ]);
  return { user, sessions, sites, track, room, series, panel, settings, payer, fee, claims };
}

beforeAll(async () => {
  db = createDb(inject("databaseUrl"));
  riverside = (await db.selectFrom("sites").select("id").where("name", "=", "Harbor Light Recovery – Riverside").executeTakeFirstOrThrow()).id;
  north.siteId = newId();
  await db
    .insertInto("sites")
    .values({ id: north.siteId, name: "Harbor Light Recovery – Northshore", time_zone: "America/Chicago", created_at: new Date().toISOString() })
    .execute();
  const northAdmin = { id: "northshore-admin", name: "Northshore Admin" };
  const nora = await createUser(
    db,
    northAdmin,
    {
      name: "Nora Northshore",
      email: north.email,
      role: "counselor",
      siteIds: [north.siteId],
      temporaryPassword: "marble orchard cinnamon voyage",
      mustChangePassword: false,
    },
    [north.siteId],
    setup,
  );
  if (!nora.ok) throw new Error(JSON.stringify(nora));
  north.userId = nora.id;
  // Nora has two-factor sign-in on and is signed in: what the reported attack cleared and ended.
  await db.updateTable("users").set({ totp_secret: "JBSWY3DPEHPK3PXP", totp_enabled_at: new Date().toISOString() }).where("id", "=", nora.id).execute();
  await createSession(db, { id: nora.id }, north.siteId, setup);
  const site = { id: north.siteId, time_zone: "America/Chicago" };
  const track = await createTrack(
    db,
    northAdmin,
    site,
    { name: "Northshore Evening IOP", levelOfCare: "IOP", days: ["mon", "wed"], startTime: "18:00", endTime: "21:00" },
    setup,
  );
  const room = await createRoom(db, northAdmin, north.siteId, { name: "Northshore Room A", capacity: 12 }, setup);
  if (!track.ok || !room.ok) throw new Error("could not set up Northshore");
  const monday = addDays(weekStart(todayIn(site.time_zone)), 7);
  const series = await createSeries(
    db,
    northAdmin,
    site,
    {
      title: "Northshore Process Group",
      kind: "process",
      trackId: track.id,
      facilitatorId: nora.id,
      modality: "telehealth",
      capacity: 10,
      autoEnroll: true,
      days: ["mon"],
      startTime: "18:00",
      endTime: "21:00",
      startsOn: monday,
      endsOn: monday,
    },
    setup,
  );
  if (!series.ok) throw new Error(JSON.stringify(series));
  const payer = await createPayer(db, northAdmin, north.siteId, { name: "Northshore Mutual", kind: "commercial", active: "yes" }, setup);
  if (!payer.ok) throw new Error(JSON.stringify(payer));
  north.payerId = payer.id;
  Object.assign(north, {
    trackId: track.id,
    roomId: room.id,
    seriesId: series.id,
    panelId: (await listPanels(db, north.siteId)).find((p) => p.specimen === "urine")!.id,
  });
  const riversideAdded = await createPayer(db, northAdmin, riverside, { name: "Riverside Cross-Site Test Plan", kind: "commercial", active: "yes" }, setup);
  if (!riversideAdded.ok) throw new Error(JSON.stringify(riversideAdded));
  riversidePayer = riversideAdded.id;
  const fee = await saveFeeRow(
    db,
    northAdmin,
    north.siteId,
    {
      intent: "save-fee",
      payerId: north.payerId,
      level: "IOP",
      claimType: "professional",
      procedureCode: "H0015",
      modifiers: "",
      revenueCode: "",
      unitsPerDay: 1,
      minMinutes: 180,
      requiresSignedNote: true,
      rate: 25_000,
    },
    setup,
  );
  if (!fee.ok) throw new Error(JSON.stringify(fee));
  north.feeId = fee.id;
  // A remittance and a batch of Northshore's (an 835 for claims no one sent; a batch row as an export leaves it).
  north.remittanceId = await northRemittance(db, north.siteId, nora.id);
  north.batchId = newId();
  await db
    .insertInto("claim_batches")
    .values({
      id: north.batchId,
      site_id: north.siteId,
      claim_type: "professional",
      control_number: 1,
      claim_count: 0,
      line_count: 0,
      total_cents: 0,
      content: "ISA*NORTHSHORE~",
      request_key: newId(),
      created_by: nora.id,
      created_at: new Date().toISOString(),
    })
    .execute();
  // A claim of Northshore's in that batch: a patient, their coverage, the claim row as an export leaves it.
  const patient = await enrollPatient(
    db,
    { id: nora.id, name: "Nora Northshore" },
    intakeInput(north.siteId, nora.id, { legalFirstName: "Nell", legalLastName: "Northshore", confirmDuplicate: "yes" }),
    [north.siteId],
    setup,
  );
  if (!patient.ok) throw new Error(JSON.stringify(patient));
  const coverageId = newId();
  const at = new Date().toISOString();
  await db
    .insertInto("coverages")
    .values({
      id: coverageId,
      patient_id: patient.id,
      payer_id: north.payerId,
      priority: "primary",
      effective_from: "2026-01-01",
      created_by: nora.id,
      created_at: at,
      updated_at: at,
    })
    .execute();
  north.claimId = newId();
  await db
    .insertInto("claims")
    .values({
      id: north.claimId,
      batch_id: north.batchId,
      patient_id: patient.id,
      coverage_id: coverageId,
      control: `NS-${north.claimId.slice(-6)}`,
      total_cents: 0,
      created_at: at,
    })
    .execute();
  cookie = await signInCookie(baseUrl, ADMIN);
});

afterAll(() => db?.destroy());

describe("an admin and another site's people and records", () => {
  it("walks every admin route: each one is in this file's list", () => {
    const adminOnly = readdirSync("app/routes").filter((f) =>
      /require(?:Site)?User\(args, "(manage:users|manage:program|manage:drug-panels|manage:payers|read:audit|export:audit|bill:claims)"\)/.test(
        readFileSync(`app/routes/${f}`, "utf8"),
      ),
    );
    expect(adminOnly.sort()).toEqual([...TARGETED().map((r) => r.file), ...UNTARGETED].sort());
  });

  for (const route of TARGETED()) {
    it(`${route.file}: the page of another site's record answers as for an unknown id`, async () => {
      const { target, page } = TARGETED().find((r) => r.file === route.file)!;
      const foreign = await normalized(await get(page(target)), target);
      const unknown = await normalized(await get(page(UNKNOWN)), UNKNOWN);
      expect(foreign.status).toBe(404);
      expect(foreign).toEqual(unknown);
      expect(foreign.body).not.toContain("Northshore");
    });

    it(`${route.file}: every intent on another site's record answers as for an unknown id, and changes nothing`, async () => {
      const r = TARGETED().find((x) => x.file === route.file)!;
      const before = await northState();
      for (const body of r.intents) {
        const path = (id: string) => ("post" in r && r.post ? r.post() : r.page(id));
        const fill = (id: string) => Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v === "$ID" ? id : v]));
        const foreign = await normalized(await post(path(r.target), fill(r.target)), r.target);
        const unknown = await normalized(await post(path(UNKNOWN), fill(UNKNOWN)), UNKNOWN);
        expect(foreign.status, `${r.file} ${body.intent}`).toBe(404);
        expect(foreign, `${r.file} ${body.intent}`).toEqual(unknown);
        expect(foreign.body, `${r.file} ${body.intent}`).not.toContain("Nora");
      }
      expect(await northState()).toEqual(before);
    });
  }

  it("keeps Nora's second factor and her session after a reset-two-factor attempt", async () => {
    const res = await post(`/admin/users/${north.userId}`, { intent: "reset-two-factor" });
    expect(res.status).toBe(404);
    const { user, sessions } = await northState();
    expect(user.totp_enabled_at).not.toBeNull();
    expect(user.totp_secret).not.toBeNull();
    expect(sessions).toHaveLength(1);
  });

  it("lists no one from another site: staff accounts, sign-in security", async () => {
    expect(await (await get("/admin/users?q=nora")).text()).not.toContain(north.email);
    expect(await (await get("/admin/users?pageSize=100")).text()).not.toContain("Nora Northshore");
    expect(await (await get("/admin/security")).text()).not.toContain("Nora Northshore");
  });

  it("refuses to give a new account a site the admin does not work at", async () => {
    const res = await post("/admin/users/new", {
      name: "Sneaky Assignment",
      email: "sneaky.assignment@harborlight.example",
      role: "admin",
      siteIds: north.siteId,
      temporaryPassword: "marble orchard cinnamon voyage",
    });
    expect(res.status).toBe(400);
    expect(await db.selectFrom("users").select("id").where("email", "=", "sneaky.assignment@harborlight.example").executeTakeFirst()).toBeUndefined();
  });

  it("shows no event about another site's people in the audit log or its export", async () => {
    const created = await db
      .selectFrom("audit_events")
      .select("seq")
      .where("action", "=", "user.created")
      .where("entity_id", "=", north.userId)
      .executeTakeFirst();
    expect(created).toBeTruthy();
    for (const path of [
      "/admin/audit?action=user.created",
      "/admin/audit/export.csv",
      "/admin/audit/export.csv?action=user.created",
      `/admin/audit?user=${north.userId}`,
      `/admin/audit/export.csv?user=${north.userId}`,
    ]) {
      const text = await (await get(path)).text();
      // (A user filter's own value is echoed back in its field, so the id is looked for only elsewhere.)
      if (!path.includes(north.userId)) expect(text, path).not.toContain(north.userId);
      expect(text, path).not.toContain(north.email);
      expect(text, path).not.toContain("Nora Northshore");
    }
    // Filtered to Nora, the export has its notice and header and no row.
    const csv = (await (await get(`/admin/audit/export.csv?user=${north.userId}`)).text()).split("\r\n").filter(Boolean);
    expect(csv[csv.length - 1]).toMatch(/^seq,id,occurred_at_utc/);
  });

  it("changes the two-factor policy of the admin's own site only", async () => {
    const northPolicy = await siteTwoFactorPolicy(db, north.siteId);
    expect(
      await setSiteTwoFactorPolicy(db, { id: "northshore-admin", name: "Northshore Admin" }, north.siteId, "everyone", northPolicy.version, setup),
    ).toEqual({ ok: true });
    const before = await northState();
    // Riverside keeps "nobody" (the suite signs in as its admin all the time): the same value, chosen explicitly.
    const mine = await siteTwoFactorPolicy(db, riverside);
    const res = await post("/admin/security", { policy: "none", version: String(mine.version) });
    expect(res.status).toBe(302);
    expect(await siteTwoFactorPolicy(db, riverside)).toMatchObject({ value: "none", ownChoice: true });
    expect((await siteTwoFactorPolicy(db, north.siteId)).value).toBe("everyone");
    expect(await northState()).toEqual(before);
  });
});
