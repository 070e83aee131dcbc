/**
 * Lists that say who is a patient are audited, cheaply: one `patient_list.viewed` row per view of
 * the list (naming the list, its site, its filters and how many patients it showed), never one per
 * patient. Over plain HTTP against the production build of the shared demo clinic, on SQLite and
 * (E2E_DIALECT=postgres) PostgreSQL; the rows are read back from the clinic's database.
 */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { ADMIN, COUNSELOR, STAFF } from "./helpers";
import { signInCookie } from "../support/server";

const baseUrl = inject("baseUrl");
let db: Kysely<Database>;
const cookies: Record<string, string> = {};
let siteId = "";

const lastSeq = async () =>
  Number(
    (
      await db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.max("seq").as("m"))
        .executeTakeFirstOrThrow()
    ).m ?? 0,
  );

/** The list views a request wrote: rows after `since`, as { list, site, shown, filters }. */
async function listViewsSince(since: number) {
  const rows = await db
    .selectFrom("audit_events")
    .select(["action", "entity_type", "entity_id", "site_id", "user_name", "changes"])
    .where("seq", ">", since)
    .where("action", "=", "patient_list.viewed")
    .orderBy("seq")
    .execute();
  return rows.map((r) => {
    const detail = (JSON.parse(r.changes ?? "{}") as { detail: { list: string; shown: number; filters: Record<string, unknown> } }).detail;
    return { list: detail.list, entity: `${r.entity_type}:${r.entity_id}`, site: r.site_id, by: r.user_name, shown: detail.shown, filters: detail.filters };
  });
}

async function view(role: string, path: string): Promise<number> {
  const since = await lastSeq();
  const res = await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookies[role] } });
  expect(res.status, path).toBe(200);
  await res.text();
  return since;
}

beforeAll(async () => {
  db = createDb(inject("databaseUrl"));
  cookies.admin = await signInCookie(baseUrl, ADMIN);
  cookies.counselor = await signInCookie(baseUrl, COUNSELOR);
  cookies.staff = await signInCookie(baseUrl, STAFF);
  siteId = (
    await db
      .selectFrom("users")
      .innerJoin("user_sites", "user_sites.user_id", "users.id")
      .select("user_sites.site_id")
      .where("users.email", "=", STAFF)
      .executeTakeFirstOrThrow()
  ).site_id;
});

afterAll(async () => {
  await db?.destroy();
});

describe("lists that name patients are audited, one row per view", () => {
  it("viewing the caseload adds exactly one row naming the list, its site, filters, page and count", async () => {
    const since = await view("admin", "/patients?status=all&page=2");
    const rows = await listViewsSince(since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      list: "caseload",
      entity: "patient_list:caseload",
      site: siteId,
      by: "Dana Whitfield",
      filters: { status: "all", page: 2 },
    });
    // The second page of 25: what is left after the first (other tests may have enrolled more).
    const adminSites = db
      .selectFrom("user_sites")
      .innerJoin("users", "users.id", "user_sites.user_id")
      .select("user_sites.site_id")
      .where("users.email", "=", ADMIN);
    const total = Number(
      (
        await db
          .selectFrom("patients")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("site_id", "in", adminSites)
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(total).toBeGreaterThan(25);
    expect(rows[0].shown).toBe(Math.min(25, total - 25));
    // The same list fetched as single-fetch data (a client-side navigation) is one view too.
    const again = await view("admin", "/patients.data?status=all");
    expect((await listViewsSince(again)).map((r) => [r.list, r.shown])).toEqual([["caseload", 25]]);
  });

  it("a search is audited with what was asked, even when it finds no one", async () => {
    const patient = await db.selectFrom("patients").select("legal_last_name").where("site_id", "=", siteId).orderBy("mrn").executeTakeFirstOrThrow();
    const since = await view("staff", `/patients/search?q=${encodeURIComponent(patient.legal_last_name)}`);
    const [row, ...more] = await listViewsSince(since);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ list: "search", site: siteId, filters: { q: patient.legal_last_name } });
    expect(row.shown).toBeGreaterThan(0);
    const none = await view("staff", "/patients/search?q=Nobody%20Byname");
    expect(await listViewsSince(none)).toMatchObject([{ list: "search", shown: 0, filters: { q: "Nobody Byname" } }]);
  });

  it("rosters, roll call, today, the week, the drug tests of a day and a draw are each one row per view", async () => {
    const session = await db
      .selectFrom("sessions as s")
      .innerJoin("session_participants as sp", "sp.session_id", "s.id")
      .select(["s.id", "s.local_date"])
      .where("s.site_id", "=", siteId)
      .where("s.kind", "=", "group")
      .where("s.starts_at", "<=", new Date().toISOString())
      .where("sp.left_at", "is", null)
      .orderBy("s.starts_at", "desc")
      .executeTakeFirstOrThrow();
    const draw = await db
      .selectFrom("drug_test_draws")
      .select(["id", "draw_date", "eligible"])
      .where("site_id", "=", siteId)
      .orderBy("draw_date", "desc")
      .executeTakeFirstOrThrow();
    const cases: [string, string, string][] = [
      ["staff", `/schedule/sessions/${session.id}`, "session_roster"],
      ["staff", `/schedule/sessions/${session.id}/roll`, "roll_call"],
      ["staff", `/schedule/today?date=${session.local_date}`, "schedule_day"],
      ["counselor", `/schedule?week=${session.local_date}`, "schedule_week"],
      ["staff", `/drug-tests?date=${draw.draw_date}`, "drug_tests_day"],
      ["staff", `/drug-tests/draws/${draw.id}`, "drug_test_draw"],
      ["staff", "/drug-tests/new", "collection_picker"],
    ];
    for (const [role, path, list] of cases) {
      const rows = await listViewsSince(await view(role, path));
      expect(
        rows.map((r) => r.list),
        path,
      ).toEqual([list]);
      expect(rows[0].site, path).toBe(siteId);
    }
    const [roll] = await listViewsSince(await view("staff", `/schedule/sessions/${session.id}/roll`));
    expect(roll.filters).toMatchObject({ session: session.id, date: session.local_date });
    expect(roll.shown).toBeGreaterThan(0);
    const [drawRow] = await listViewsSince(await view("staff", `/drug-tests/draws/${draw.id}`));
    expect(drawRow.shown).toBe((JSON.parse(draw.eligible) as string[]).length);
  });

  it("Home is one row per load that names patients, and none when it names no one", async () => {
    // The admin's worklist names the patients who need attention.
    const rows = await listViewsSince(await view("admin", "/"));
    expect(rows.map((r) => r.list)).toEqual(["home_worklist"]);
    expect(rows[0].shown).toBeGreaterThan(0);
    // The account page names no patient and writes nothing.
    expect(await listViewsSince(await view("admin", "/account"))).toEqual([]);
  });
});
