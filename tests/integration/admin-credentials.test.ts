import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coSignersFor, getSigner, setCredentials } from "~/features/admin/credentials.server";
import { mayCoSign, needsCoSignature } from "~/features/admin/credentials";
import { createUser, getUser, listUsers } from "~/features/admin/users.server";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";

type Clinic = Awaited<ReturnType<typeof seed>>;

describe.each(dialects)("credentials and supervision on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Clinic;
  let dana: { id: string; name: string };
  let sites: string[];
  const id = (key: string) => clinic.users[key].id;
  const version = async (userId: string) => (await getUser(t.db, userId, sites))!.version;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    clinic = await seed(t.db);
    dana = { id: id("dana.whitfield"), name: "Dana Whitfield" };
    sites = [clinic.siteId];
  });
  afterAll(() => t?.destroy());

  async function auditFor(userId: string) {
    return t.db
      .selectFrom("audit_events")
      .selectAll()
      .where("entity_id", "=", userId)
      .where("action", "=", "user.credentials_changed")
      .orderBy("seq", "desc")
      .execute();
  }

  it("seeds a licensed supervisor and two trainees she co-signs for", async () => {
    const priya = (await getSigner(t.db, id("priya.raman")))!;
    expect(priya).toMatchObject({ credentials: ["LCSW"], signsIndependently: true, clinicalSupervisor: true, credentialsLabel: "LCSW" });
    for (const key of ["marcus.bell", "elena.ortiz"]) {
      const trainee = (await getSigner(t.db, id(key)))!;
      expect(needsCoSignature(trainee), key).toBe(true);
      expect(trainee.credentials, key).toContain("INTERN");
      expect(trainee.usualSupervisorId, key).toBe(priya.id);
      expect(mayCoSign(priya, trainee), key).toBe(true);
      expect(
        (await coSignersFor(t.db, trainee.id)).map((s) => s.name),
        key,
      ).toEqual(["Priya Raman"]);
    }
    expect(await coSignersFor(t.db, priya.id)).toEqual([]);
    const list = await listUsers(t.db, { page: 1, pageSize: 20, sort: "name", direction: "asc", search: "", siteIds: sites });
    expect(list.users.map((u) => [u.name, u.credentials, u.signing])).toEqual([
      ["Aisha Grant", "", null],
      ["Dana Whitfield", "LCADC", "Independently"],
      ["Elena Ortiz", "Intern/trainee", "Needs co-signature"],
      ["Marcus Bell", "CPRS, Intern/trainee", "Needs co-signature"],
      ["Priya Raman", "LCSW", "Supervisor"],
      ["Renee Okafor", "", null],
      ["Tom Kowalski", "", null],
    ]);
  });

  it("lets an admin set a counselor's credentials and supervision, audited with before and after", async () => {
    const elena = id("elena.ortiz");
    const v = await version(elena);
    const result = await setCredentials(
      t.db,
      dana,
      elena,
      { version: v, credentials: ["LPC", "CADC"], signsIndependently: true, clinicalSupervisor: false, usualSupervisorId: null },
      sites,
      meta,
    );
    expect(result).toEqual({ ok: true });
    const account = (await getUser(t.db, elena, sites))!;
    expect(account).toMatchObject({
      credentials: ["CADC", "LPC"],
      credentialsLabel: "CADC, LPC",
      signsIndependently: true,
      clinicalSupervisor: false,
      usualSupervisorId: null,
      version: v + 1,
    });
    const [row] = await auditFor(elena);
    expect(row.user_id).toBe(dana.id);
    expect(JSON.parse(row.changes!)).toEqual({
      // The supervisor by name, as the log's reader knows them (not an id).
      before: { credentials: ["INTERN"], signsIndependently: false, usualSupervisor: "Priya Raman" },
      after: { credentials: ["CADC", "LPC"], signsIndependently: true, usualSupervisor: null },
    });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it("changes nothing and writes no audit row when nothing changed", async () => {
    const elena = id("elena.ortiz");
    const before = await auditFor(elena);
    const v = await version(elena);
    expect(
      await setCredentials(
        t.db,
        dana,
        elena,
        { version: v, credentials: ["CADC", "LPC"], signsIndependently: true, clinicalSupervisor: false, usualSupervisorId: null },
        sites,
        meta,
      ),
    ).toEqual({ ok: true });
    expect(await auditFor(elena)).toHaveLength(before.length);
    expect(await version(elena)).toBe(v);
  });

  it("refuses a trainee signing alone, a supervisor who cannot, a non-supervisor as usual co-signer and oneself", async () => {
    const marcus = id("marcus.bell");
    const v = await version(marcus);
    const base = {
      version: v,
      credentials: ["CPRS", "INTERN"] as ("CPRS" | "INTERN")[],
      signsIndependently: false,
      clinicalSupervisor: false,
      usualSupervisorId: null,
    };
    const intern = await setCredentials(t.db, dana, marcus, { ...base, signsIndependently: true }, sites, meta);
    expect(intern).toMatchObject({ ok: false, status: 400 });
    expect(!intern.ok && intern.fieldErrors?.signsIndependently?.[0]).toMatch(/intern or trainee cannot sign clinical documents independently/);
    const sup = await setCredentials(t.db, dana, marcus, { ...base, clinicalSupervisor: true }, sites, meta);
    expect(!sup.ok && sup.fieldErrors?.clinicalSupervisor).toEqual(["A clinical supervisor must be able to sign clinical documents independently."]);
    const notSup = await setCredentials(t.db, dana, marcus, { ...base, usualSupervisorId: id("dana.whitfield") }, sites, meta);
    expect(!notSup.ok && notSup.fieldErrors?.usualSupervisorId).toEqual(["Only a clinical supervisor can co-sign."]);
    const self = await setCredentials(t.db, dana, marcus, { ...base, usualSupervisorId: marcus }, sites, meta);
    expect(!self.ok && self.fieldErrors?.usualSupervisorId).toEqual(["No one can be their own supervisor."]);
    const unknown = await setCredentials(t.db, dana, marcus, { ...base, usualSupervisorId: newId() }, sites, meta);
    expect(!unknown.ok && unknown.fieldErrors?.usualSupervisorId).toEqual(["Choose a supervisor from the list."]);
    // Priya co-signs for Marcus: she stays a supervisor until someone else is named for him.
    const priya = id("priya.raman");
    const unflag = await setCredentials(
      t.db,
      dana,
      priya,
      { version: await version(priya), credentials: ["LCSW"], signsIndependently: true, clinicalSupervisor: false, usualSupervisorId: null },
      sites,
      meta,
    );
    expect(!unflag.ok && unflag.fieldErrors?.clinicalSupervisor?.[0]).toMatch(/usual co-signer for Marcus Bell/);
    expect(await version(marcus)).toBe(v);
    expect(await auditFor(marcus)).toHaveLength(1); // the demo seed's only
  });

  it("refuses a stale form with a clear message and keeps the other admin's change", async () => {
    const tom = id("tom.kowalski");
    const v = await version(tom);
    const first = await setCredentials(
      t.db,
      dana,
      tom,
      { version: v, credentials: ["RN"], signsIndependently: true, clinicalSupervisor: false, usualSupervisorId: null },
      sites,
      meta,
    );
    expect(first).toEqual({ ok: true });
    const stale = await setCredentials(
      t.db,
      dana,
      tom,
      { version: v, credentials: ["LPN"], signsIndependently: true, clinicalSupervisor: false, usualSupervisorId: null },
      sites,
      meta,
    );
    expect(stale).toMatchObject({ ok: false, status: 409, formError: expect.stringMatching(/Someone else changed this account/) });
    expect((await getUser(t.db, tom, sites))!.credentials).toEqual(["RN"]);
  });

  it("refuses a counselor, and an admin for an account at a site they do not share", async () => {
    const marcus = { id: id("marcus.bell"), name: "Marcus Bell" };
    const aisha = id("aisha.grant");
    const v = await version(aisha);
    const input = { version: v, credentials: ["MD"] as "MD"[], signsIndependently: true, clinicalSupervisor: true, usualSupervisorId: null };
    expect(await setCredentials(t.db, marcus, aisha, input, sites, meta)).toMatchObject({ ok: false, status: 404 });
    const siteId = newId();
    await t.db.insertInto("sites").values({ id: siteId, name: "Eastside", time_zone: "America/Chicago", created_at: new Date().toISOString() }).execute();
    const other = await createUser(
      t.db,
      dana,
      {
        name: "Quinn Eastside",
        email: "quinn.eastside@harborlight.example",
        role: "counselor",
        siteIds: [siteId],
        temporaryPassword: "marble orchard cinnamon voyage",
      },
      [siteId],
      meta,
    );
    if (!other.ok) throw new Error("no Eastside user");
    expect(await setCredentials(t.db, dana, other.id, { ...input, version: 1 }, sites, meta)).toMatchObject({ ok: false, status: 404 });
    // Priya does not work at Eastside, so she cannot co-sign for Quinn.
    expect(await coSignersFor(t.db, other.id)).toEqual([]);
    expect(await version(aisha)).toBe(v);
    expect(await auditFor(aisha)).toHaveLength(1);
  });
});
