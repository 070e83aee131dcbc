import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PatientStatus } from "#db/schema";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { CASELOAD_SORTS, type CaseloadQuery, chartHeader, listCaseload, searchPatients } from "~/features/patients/caseload.server";
import { DISCHARGE_REASONS, STATUSES } from "~/features/patients/rules";
import { todayIn } from "~/kernel/time";
import { DEMO_SITE } from "../../seeds/demo-people";
import { dialects, type TestDatabase } from "../support/databases";
import { seededTestDatabase } from "../support/templates";
import type { DemoClinic } from "../../seeds/demo";
import { addSecondSite, enroll } from "./patients-support";

type Clinic = DemoClinic;

/**
 * The demo's forty patients (seeds/demo-patients.ts: a fixed random seed, so the same charts
 * every day), by name as the caseload sorts them. The flags below were worked out by hand from
 * each chart's diagnosis codes and MAT episodes, none resolved or ended: a dual diagnosis is an
 * active substance use code (F10–F19, not F17.210 nicotine) beside an active mental-health code
 * (F31.81, F32.1, F33.x, F34.1, F41.x, F43.10, F90.0; see diagnosis-category.ts).
 */
const DEMO_NAMES = [
  "Alvarez, Jasmine",
  "Baptiste, Danielle",
  "Brooks, Tyler",
  "Castillo, Maria",
  "Coleman, Travis",
  "Delgado, Vanessa",
  "Doyle, Kevin",
  "Ellison, Ashley",
  "Esposito, Anthony",
  "Fitzgerald, DeShawn",
  "Flores, Megan",
  "Gallagher, Jamal",
  "Greene, Brittany",
  "Hollister, Luis",
  "Huang, Lindsey",
  "Ibarra, Courtney",
  "Iverson, Carlos",
  "Jablonski, Erin",
  "Jenkins, Ryan",
  "Kim, Derek",
  "Kowalczyk, Tiffany",
  "Lambert, Marcus",
  "Lockhart, Priscilla",
  "Mendoza, Amanda",
  "Moreau, Shawn",
  "Nguyen, Kayla",
  "Novak, Jose",
  "O'Connell, Heather",
  "Okafor, Victor",
  "Pruitt, Brandon",
  "Quintero, Crystal",
  "Rhodes, Andre",
  "Sandoval, Nicole",
  "Thibodeaux, Cody",
  "Underwood, Samantha",
  "Vasquez, Eric",
  "Whitaker, Keisha",
  "Xiong, Justin",
  "Yates, Rachel",
  "Zamora, Miguel",
];
/** 26 of 40: F11.20 + F41.0 (Alvarez), F12.20 + F33.1 (Castillo), … — and not, e.g., Brooks (F15.20 + F17.210, both substance). */
const DEMO_DUAL = [
  "Alvarez, Jasmine",
  "Castillo, Maria",
  "Coleman, Travis",
  "Delgado, Vanessa",
  "Ellison, Ashley",
  "Esposito, Anthony",
  "Fitzgerald, DeShawn",
  "Gallagher, Jamal",
  "Greene, Brittany",
  "Hollister, Luis",
  "Huang, Lindsey",
  "Ibarra, Courtney",
  "Iverson, Carlos",
  "Jablonski, Erin",
  "Jenkins, Ryan",
  "Lambert, Marcus",
  "Lockhart, Priscilla",
  "Mendoza, Amanda",
  "Moreau, Shawn",
  "Nguyen, Kayla",
  "Okafor, Victor",
  "Quintero, Crystal",
  "Rhodes, Andre",
  "Sandoval, Nicole",
  "Vasquez, Eric",
  "Xiong, Justin",
];
/** The MAT each chart has running (never ended, so discharged patients keep theirs), as the caseload names it. */
const DEMO_MAT: Record<string, string> = {
  "Alvarez, Jasmine": "Naltrexone XR",
  "Coleman, Travis": "Disulfiram",
  "Doyle, Kevin": "Methadone",
  "Flores, Megan": "Bup/naloxone",
  "Gallagher, Jamal": "Methadone",
  "Greene, Brittany": "Bup/naloxone",
  "Jablonski, Erin": "Bup/naloxone",
  "Kim, Derek": "Naltrexone XR",
  "Kowalczyk, Tiffany": "Naltrexone",
  "Lambert, Marcus": "Methadone",
  "Mendoza, Amanda": "Disulfiram",
  "Okafor, Victor": "Naltrexone XR",
  "Pruitt, Brandon": "Bup/naloxone",
  "Quintero, Crystal": "Bup/naloxone",
  "Rhodes, Andre": "Naltrexone",
  "Sandoval, Nicole": "Methadone",
  "Thibodeaux, Cody": "Naltrexone",
  "Underwood, Samantha": "Methadone",
  "Xiong, Justin": "Naltrexone",
  "Yates, Rachel": "Naltrexone",
};
/** Whole years from a birth date to a day, by the calendar: one fewer if the birthday has not come yet. */
const yearsOld = (dob: string, on: string) => Number(on.slice(0, 4)) - Number(dob.slice(0, 4)) - (on.slice(5) < dob.slice(5) ? 1 : 0);
/** Days from one civil date to another, counted in UTC days (no time zone can shift a civil date). */
const daysFrom = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

describe.each(dialects)("the caseload of the demo clinic on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Clinic;
  let today: string;
  let sites: string[];

  beforeAll(async () => {
    // The forty current charts these tests know by name; the past year's patients (a hundred more,
    // all discharged) are seeds/demo-history.ts's and tested in demo-history.test.ts.
    const seeded = await seededTestDatabase(dialect, { patients: true, history: false });
    t = seeded;
    clinic = seeded.clinic;
    today = todayIn(DEMO_SITE.timeZone);
    sites = [clinic.siteId];
  });
  afterAll(() => t?.destroy());

  const query = (over: Partial<CaseloadQuery> = {}): CaseloadQuery => ({
    siteIds: sites,
    counselorId: null,
    status: "all",
    level: null,
    flag: null,
    search: "",
    sort: "name",
    direction: "asc",
    page: 1,
    pageSize: 500,
    today,
    ...over,
  });
  const list = (over: Partial<CaseloadQuery> = {}) => listCaseload(t.db, query(over));
  const ids = async (over: Partial<CaseloadQuery> = {}) => (await list(over)).patients.map((p) => p.id);
  const countWhere = async (status?: PatientStatus) => {
    let q = t.db
      .selectFrom("patients")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("site_id", "=", clinic.siteId);
    if (status) q = q.where("status", "=", status);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  describe("the seeded demo", () => {
    it("has forty patients, ten discharged with every TEDS reason, and some on hold and referred", async () => {
      expect((await list()).total).toBe(40);
      expect((await list({ status: "discharged" })).total).toBe(10);
      expect((await list({ status: "referred" })).total).toBe(2);
      expect((await list({ status: "on_hold" })).total).toBeGreaterThanOrEqual(1);
      const reasons = await t.db
        .selectFrom("patient_episodes")
        .innerJoin("patients", "patients.id", "patient_episodes.patient_id")
        .select("patient_episodes.discharge_reason")
        .where("patients.site_id", "=", clinic.siteId)
        .where("patient_episodes.discharged_on", "is not", null)
        .execute();
      expect(new Set(reasons.map((r) => r.discharge_reason))).toEqual(new Set(Object.keys(DISCHARGE_REASONS)));
    });

    it("has Dual diagnosis, MAT and adolescent patients to show", async () => {
      const { patients } = await list();
      expect(patients.filter((p) => p.dualDiagnosis).length).toBeGreaterThanOrEqual(1);
      expect(patients.filter((p) => p.mat).length).toBeGreaterThanOrEqual(1);
      expect(patients.filter((p) => p.adolescent).length).toBeGreaterThanOrEqual(1);
      expect((await list({ flag: "dual" })).total).toBeGreaterThanOrEqual(1);
      expect((await list({ flag: "mat" })).total).toBeGreaterThanOrEqual(1);
    });

    it("wrote every demo chart through the app, with an audit row per enrollment and an intact chain", async () => {
      const enrolled = await t.db.selectFrom("audit_events").select(["patient_id"]).where("action", "=", "patient.enrolled").execute();
      expect(enrolled).toHaveLength(40);
      expect(new Set(enrolled.map((e) => e.patient_id)).size).toBe(40);
      expect((await t.db.selectFrom("audit_events").select("id").where("action", "=", "patient.discharged").execute()).length).toBe(10);
      expect((await verifyAuditChain(t.db)).ok).toBe(true);
    });
  });

  describe("filters", () => {
    it("counts patients per status as the database has them, with open = referred + active + on hold", async () => {
      const per: Record<string, number> = {};
      for (const status of STATUSES) {
        per[status] = (await list({ status })).total;
        expect(per[status], status).toBe(await countWhere(status));
      }
      expect((await list({ status: "open" })).total).toBe(per.referred + per.active + per.on_hold);
      expect((await list({ status: "all" })).total).toBe(await countWhere());
      const open = (await list({ status: "open" })).patients;
      expect(open.every((p) => p.status !== "discharged")).toBe(true);
    });

    it("shows one counselor's caseload, and the caseloads add up to the clinic", async () => {
      let sum = 0;
      for (const key of ["marcus.bell", "priya.raman", "elena.ortiz"]) {
        const u = clinic.users[key];
        const mine = await list({ counselorId: u.id });
        expect(mine.total, key).toBeGreaterThan(0);
        expect(
          mine.patients.every((p) => p.counselor === u.name),
          key,
        ).toBe(true);
        sum += mine.total;
      }
      expect(sum).toBe(40);
      expect((await list({ counselorId: clinic.users["tom.kowalski"].id })).total).toBe(0);
    });

    it("filters by level of care", async () => {
      let sum = 0;
      for (const level of ["IOP", "PHP", "OP"] as const) {
        const rows = await list({ level });
        expect(
          rows.patients.every((p) => p.levelOfCare === level),
          level,
        ).toBe(true);
        sum += rows.total;
      }
      expect(sum).toBe(40);
    });

    it("shows the flags each demo chart calls for, and the flag filters pick exactly those", async () => {
      const { patients } = await list();
      expect(patients.map((p) => p.name)).toEqual(DEMO_NAMES);
      expect(Object.fromEntries(patients.map((p) => [p.name, { dual: p.dualDiagnosis, mat: p.mat }]))).toEqual(
        Object.fromEntries(DEMO_NAMES.map((name) => [name, { dual: DEMO_DUAL.includes(name), mat: DEMO_MAT[name] ?? null }])),
      );
      const names = async (flag: "dual" | "mat") => (await list({ flag })).patients.map((p) => p.name);
      expect(await names("dual")).toEqual(DEMO_NAMES.filter((n) => DEMO_DUAL.includes(n)));
      expect(await names("mat")).toEqual(DEMO_NAMES.filter((n) => n in DEMO_MAT));
      const openDual = await list({ flag: "dual", status: "open" });
      expect(openDual.patients.every((p) => p.dualDiagnosis && p.status !== "discharged")).toBe(true);
      expect(openDual.total).toBe(DEMO_DUAL.length - 8); // eight of the dual-diagnosis patients are discharged
    });

    it("marks adolescents by their age today: the two demo teenagers and nobody else", async () => {
      const { patients } = await list();
      expect(patients.filter((p) => p.adolescent).map((p) => p.name)).toEqual(["Ellison, Ashley", "Rhodes, Andre"]);
      // Each born 15–17 years and some days before the day the demo was made; the adults 20 or more.
      const dobs = new Map((await t.db.selectFrom("patients").select(["id", "date_of_birth"]).execute()).map((r) => [r.id, r.date_of_birth]));
      for (const p of patients) expect(yearsOld(dobs.get(p.id)!, today) < 18, p.name).toBe(p.adolescent);
    });

    it("shows nobody to a user with no sites", async () => {
      expect(await list({ siteIds: [] })).toEqual({ total: 0, patients: [] });
      expect(await searchPatients(t.db, "a", [])).toEqual([]);
    });
  });

  describe("search", () => {
    it("finds a patient by part of the name in any case, or by MRN", async () => {
      const victor = await t.db.selectFrom("patients").select(["id", "mrn"]).where("legal_last_name", "=", "Okafor").executeTakeFirstOrThrow();
      expect(await ids({ search: "okaf" })).toEqual([victor.id]);
      expect(await ids({ search: "VICTOR OKAFOR" })).toEqual([victor.id]);
      expect(await ids({ search: victor.mrn.toLowerCase() })).toEqual([victor.id]);
      expect(await ids({ search: victor.mrn.slice(-4) })).toContain(victor.id);
      expect(await ids({ search: "o'connell" })).toHaveLength(1);
      // Victor is discharged: not on the open caseload.
      expect((await list({ search: "okafor", status: "open" })).total).toBe(0);
    });

    it("finds a patient by preferred name", async () => {
      const withPreferred = await t.db.selectFrom("patients").select(["id", "preferred_name"]).where("preferred_name", "is not", null).execute();
      expect(withPreferred.length).toBeGreaterThan(0);
      for (const p of withPreferred) expect(await ids({ search: p.preferred_name! })).toContain(p.id);
    });

    it("treats % and _ as the characters they are, not wildcards", async () => {
      expect((await list({ search: "%" })).total).toBe(0);
      expect((await list({ search: "_" })).total).toBe(0);
      expect((await list({ search: "a%a" })).total).toBe(0);
      expect((await list({ search: "\\" })).total).toBe(0);
    });

    it("quick search lists open patients before discharged ones and stops at the limit", async () => {
      const found = await searchPatients(t.db, "e", sites, 100);
      expect(found.length).toBeGreaterThan(8);
      const firstDischarged = found.findIndex((p) => p.status === "discharged");
      expect(firstDischarged).toBeGreaterThan(0);
      expect(found.slice(firstDischarged).every((p) => p.status === "discharged")).toBe(true);
      expect(await searchPatients(t.db, "e", sites)).toHaveLength(8);
      expect(await searchPatients(t.db, "   ", sites)).toEqual([]);
      expect(await searchPatients(t.db, "  okafor  ", sites)).toMatchObject([{ name: "Victor Okafor", status: "discharged" }]);
    });
  });

  describe("sorting and paging", () => {
    const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]/g, "");

    it.each(CASELOAD_SORTS)("sorts by %s one way and exactly the other way round", async (sort) => {
      const asc = await list({ sort, direction: "asc" });
      const desc = await list({ sort, direction: "desc" });
      expect(asc.total).toBe(40);
      expect(desc.patients.map((p) => p.id)).toEqual([...asc.patients.map((p) => p.id)].reverse());
    });

    it("puts rows in the order of the column asked for", async () => {
      const inOrder = (values: string[]) => values.every((v, i) => i === 0 || values[i - 1] <= v);
      expect(inOrder((await list({ sort: "mrn" })).patients.map((p) => p.mrn))).toBe(true);
      expect(inOrder((await list({ sort: "admitted_on" })).patients.map((p) => p.admittedOn ?? ""))).toBe(true);
      expect(inOrder((await list({ sort: "level_of_care" })).patients.map((p) => p.levelOfCare))).toBe(true);
      expect(inOrder((await list({ sort: "status" })).patients.map((p) => p.status))).toBe(true);
      expect(inOrder((await list({ sort: "track" })).patients.map((p) => key(p.track ?? "")))).toBe(true);
      expect(inOrder((await list({ sort: "name" })).patients.map((p) => key(p.name.split(",")[0])))).toBe(true);
      expect(inOrder((await list({ sort: "mrn", direction: "desc" })).patients.map((p) => p.mrn).reverse())).toBe(true);
    });

    it("pages through the caseload without overlap or gaps", async () => {
      const all = await ids({ sort: "admitted_on", direction: "desc" });
      const paged: string[] = [];
      for (let page = 1; page <= 6; page++) {
        const rows = await list({ sort: "admitted_on", direction: "desc", page, pageSize: 7 });
        expect(rows.total).toBe(40);
        expect(rows.patients.length, `page ${page}`).toBe(page < 6 ? 7 : 5);
        paged.push(...rows.patients.map((p) => p.id));
      }
      expect(paged).toEqual(all);
      expect(new Set(paged).size).toBe(40);
      expect(await list({ page: 7, pageSize: 7 })).toEqual({ total: 40, patients: [] });
    });
  });

  describe("chart header", () => {
    it("shows age, level, days at the level and in the program as of today", async () => {
      const p = await t.db
        .selectFrom("patients")
        .innerJoin("patient_episodes as e", "e.id", "patients.current_episode_id")
        .select([
          "patients.id",
          "patients.date_of_birth",
          "patients.level_of_care",
          "patients.level_since",
          "patients.status",
          "e.admitted_on",
          "e.episode_number",
        ])
        .where("patients.status", "=", "on_hold")
        .executeTakeFirstOrThrow();
      const header = await chartHeader(t.db, p.id, sites, today);
      expect(header).toMatchObject({
        siteId: clinic.siteId,
        timeZone: DEMO_SITE.timeZone,
        identity: { id: p.id, status: "on_hold", siteName: DEMO_SITE.name },
        clinical: {
          age: yearsOld(p.date_of_birth, today),
          adolescent: false, // Danielle Baptiste, the patient on hold, is in her twenties
          levelOfCare: p.level_of_care,
          levelSince: p.level_since,
          daysAtLevel: daysFrom(p.level_since, today),
          admittedOn: p.admitted_on,
          dischargedOn: null,
          daysInProgram: daysFrom(p.admitted_on, today),
          episodeNumber: 1,
        },
      });
      expect(header!.clinical.counselor).toBeTruthy();
    });

    it("stops counting days for a discharged patient at the discharge date", async () => {
      const p = await t.db
        .selectFrom("patients")
        .innerJoin("patient_episodes as e", "e.id", "patients.current_episode_id")
        .select(["patients.id", "patients.level_since", "e.admitted_on", "e.discharged_on"])
        .where("patients.status", "=", "discharged")
        .executeTakeFirstOrThrow();
      const header = await chartHeader(t.db, p.id, sites, today);
      expect(header!.clinical).toMatchObject({
        dischargedOn: p.discharged_on,
        daysInProgram: daysFrom(p.admitted_on, p.discharged_on!),
        daysAtLevel: daysFrom(p.level_since, p.discharged_on!),
      });
      const row = (await list({ search: (await t.db.selectFrom("patients").select("mrn").where("id", "=", p.id).executeTakeFirstOrThrow()).mrn })).patients[0];
      expect(row.daysInProgram).toBe(daysFrom(p.admitted_on, p.discharged_on!));
    });
  });

  describe("a second site", () => {
    let eastside: Awaited<ReturnType<typeof addSecondSite>>;
    let theirs: { ann: string; bob: string; jose: string };

    beforeAll(async () => {
      eastside = await addSecondSite(t.db);
      const at = (over: Parameters<typeof enroll>[3]) => enroll(t.db, eastside.counselor, eastside.siteId, { admittedOn: "2026-11-01", ...over });
      theirs = {
        ann: (await at({ legalFirstName: "Ann", legalLastName: "Smith_Jones", dateOfBirth: "1980-01-01" })).id,
        bob: (await at({ legalFirstName: "Bob", legalLastName: "Smithxjones", dateOfBirth: "1981-01-01" })).id,
        jose: (await at({ legalFirstName: "José", legalLastName: "Núñez", preferredName: "Pepe", dateOfBirth: "1982-01-01" })).id,
      };
    });

    it("keeps the other site's patients out of this site's caseload, search and charts", async () => {
      expect((await list()).total).toBe(40);
      expect(await ids({ search: "smith" })).toEqual([]);
      expect(await searchPatients(t.db, "smith", sites)).toEqual([]);
      expect(await chartHeader(t.db, theirs.ann, sites, today)).toBeNull();
      expect((await list({ siteIds: [eastside.siteId] })).total).toBe(3);
      expect((await list({ siteIds: [clinic.siteId, eastside.siteId] })).total).toBe(43);
      expect((await chartHeader(t.db, theirs.ann, [eastside.siteId], today))!.identity.siteName).toBe("Harbor Light Recovery – Eastside");
    });

    it("matches an underscore in a name literally", async () => {
      const there = { siteIds: [eastside.siteId] };
      expect(await ids({ ...there, search: "smith_jones" })).toEqual([theirs.ann]);
      expect((await searchPatients(t.db, "h_j", [eastside.siteId])).map((p) => p.id)).toEqual([theirs.ann]);
      expect((await list({ ...there, search: "%" })).total).toBe(0);
    });

    it("finds an accented name typed without accents, and by preferred name", async () => {
      const there = { siteIds: [eastside.siteId] };
      expect(await ids({ ...there, search: "jose nunez" })).toEqual([theirs.jose]);
      expect(await ids({ ...there, search: "pepe" })).toEqual([theirs.jose]);
      expect((await searchPatients(t.db, "nunez", [eastside.siteId])).map((p) => p.name)).toEqual(["José Núñez"]);
    });

    // BUG: search_name is stored accent-free (searchName in rules.ts) but the search text is only
    // lower-cased (likePattern in caseload.server.ts), so typing the name as the chart shows it finds nobody.
    it("finds an accented name typed with its accents, as the chart shows it", async () => {
      const there = { siteIds: [eastside.siteId] };
      expect(await ids({ ...there, search: "Núñez" })).toEqual([theirs.jose]);
      expect((await searchPatients(t.db, "José Núñez", [eastside.siteId])).map((p) => p.id)).toEqual([theirs.jose]);
    });
  });
});
