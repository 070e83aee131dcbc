/**
 * Issue 21 on real databases: the site's "Bill days from" date, and Part 2 consents that recompute
 * a patient's unexported charges when they are signed or revoked.
 *
 * Site zone America/New_York; sessions at 14:00Z (09:00 local), each 3 hours, so each is on its UTC
 * date. The fee row needs no signed note (these cases are about the days billed, not the notes).
 *
 * Lee (IOP): Harbor Health Plan (commercial) from 2026-10-01, H0015 $250.00 a day; authorization
 *   L-4: 4 days, 2026-11-02..2026-11-30; a Part 2 consent to the plan for payment signed 11-01.
 *   Attends the weekdays 11-02 .. 11-06.
 *   No start date:          11-02..11-05 ready (units 1–4), 11-06 held "authorization exhausted".
 *   Start 11-04:            11-02, 11-03 removed (2); 11-04, 11-05 ready; 11-06 still exhausted —
 *                           the days before the start still used units 1 and 2.
 *   11-04 exported, start 11-06: 11-05 removed (1); 11-04 stays exported; 11-06 held.
 *   Cleared:                11-02, 11-03, 11-05 back (3 made), 11-04 still exported.
 *   Start 11-09, then a day attended on 10-30 (before it) and on 11-09 (from it): only 11-09 is charged.
 *
 * Kim (IOP): same plan, authorization K-20 (20 days, 11-02..11-30), consent signed 11-01 through
 *   the consent repository; attends 11-09 and 11-10 -> both ready.
 *   Consent revoked on 11-10 -> both held "no Part 2 consent" (the claim is the disclosure, and
 *   neither day has gone out); a new consent signed 11-10, after 11-09 -> both ready again. Each
 *   change's own audit record stands for the refresh.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRollCall, saveRollCall } from "~/features/attendance/attendance.server";
import { saveFeeRow } from "~/features/billing/fee-schedule.server";
import { createPayer } from "~/features/billing/payers.server";
import { FeeRowSchema } from "~/features/billing/charge-schemas";
import { billingStartForm, billingStartsOn, parseBillingStartForm, setBillingStart } from "~/features/billing/billing-start.server";
import { consentsOf, recordConsent, revokeConsent } from "~/features/consents/consents.server";
import type { ConsentInput } from "~/features/consents/schemas";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { auditSince, enroll, lastSeq } from "./patients-support";

const TZ = "America/New_York";
const PLAN = "Harbor Health Plan";

describe.each(dialects)("billing start date and consent changes on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  type Person = { id: string; name: string };
  let dana: Person;
  let priya: Person;
  let payer: string;
  let lee: string;
  let kim: string;

  async function attend(patientId: string, date: string) {
    const id = newId();
    const start = `${date}T14:00:00.000Z`;
    const endsAt = new Date(Date.parse(start) + 180 * 60_000).toISOString();
    const stamp = "2026-10-01T12:00:00.000Z";
    await t.db
      .insertInto("sessions")
      .values({
        id,
        site_id: site.id,
        kind: "group",
        group_kind: "skills",
        title: `Group ${date}`,
        facilitator_id: priya.id,
        modality: "in_person",
        capacity: 12,
        local_date: date,
        starts_at: start,
        ends_at: endsAt,
        status: "scheduled",
        cancel_reason: null,
        created_at: stamp,
        updated_at: stamp,
      })
      .execute();
    await t.db
      .insertInto("session_participants")
      .values({ id: newId(), session_id: id, patient_id: patientId, source: "added", joined_at: stamp, left_at: null, left_reason: null })
      .execute();
    const r = await getRollCall(t.db, id, site.id);
    const saved = await saveRollCall(
      t.db,
      dana,
      id,
      { version: r!.session.rollVersion, marks: [{ patientId, status: "present", mode: "in_person" }] },
      site,
      meta,
      new Date(endsAt),
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved));
  }

  async function cover(patientId: string, units: number, number: string) {
    const coverageId = newId();
    const now = "2026-11-01T12:00:00.000Z";
    await t.db
      .insertInto("coverages")
      .values({
        id: coverageId,
        patient_id: patientId,
        payer_id: payer,
        priority: "primary",
        effective_from: "2026-10-01",
        effective_to: null,
        created_by: dana.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.db
      .insertInto("authorizations")
      .values({
        id: newId(),
        coverage_id: coverageId,
        patient_id: patientId,
        level_of_care: "IOP",
        unit_kind: "days",
        units_approved: units,
        starts_on: "2026-11-02",
        ends_on: "2026-11-30",
        status: "approved",
        number,
        created_by: dana.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  const consentTo = (signedOn: string): ConsentInput => ({
    requestKey: randomUUID(),
    disclosingParty: "Harbor Light Recovery",
    information: ["attendance", "level_of_care", "diagnoses"],
    recipient: PLAN,
    recipientDesignation: "named",
    purposes: ["payment"],
    purposeOther: undefined,
    expiresOn: "2027-11-01",
    expiryEvent: "none",
    expiryEventText: undefined,
    signedOn,
    signedBy: "patient",
    signerName: undefined,
    revocationExplained: "yes",
    note: undefined,
  });

  async function sign(patientId: string, signedOn: string) {
    const r = await recordConsent(t.db, dana, patientId, consentTo(signedOn), [site.id], meta);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.id;
  }

  async function chargesOf(patientId: string) {
    const rows = await t.db
      .selectFrom("charges")
      .select(["service_date", "status", "hold_reasons"])
      .where("patient_id", "=", patientId)
      .orderBy("service_date")
      .execute();
    return rows.map((r) => [r.service_date, r.status, ...(JSON.parse(r.hold_reasons) as string[])]);
  }

  async function setStart(billFrom: string | null) {
    const { version } = await billingStartForm(t.db, site.id);
    const r = await setBillingStart(t.db, dana, site.id, { billFrom, version }, meta);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r;
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    await t.db.updateTable("sites").set({ time_zone: TZ }).where("id", "=", site.id).execute();
    const person = (key: string) => ({ id: clinic.users[key].id, name: clinic.users[key].name });
    [dana, priya] = ["dana.whitfield", "priya.raman"].map(person);
    const added = await createPayer(t.db, dana, site.id, { name: PLAN, kind: "commercial", payerCode: "HHP01", active: "yes" }, meta);
    if (!added.ok) throw new Error(JSON.stringify(added));
    payer = added.id;
    const fee = FeeRowSchema.parse({
      intent: "save-fee",
      payerId: payer,
      level: "IOP",
      claimType: "professional",
      procedureCode: "H0015",
      modifiers: "",
      revenueCode: "",
      unitsPerDay: "1",
      minMinutes: "180",
      requiresSignedNote: "no",
      rate: "250.00",
    });
    const saved = await saveFeeRow(t.db, dana, site.id, fee, meta);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    const admitted = { admittedOn: "2026-10-28", primaryCounselorId: priya.id };
    lee = (await enroll(t.db, priya, site.id, { legalFirstName: "Lee", legalLastName: "Start", ...admitted })).id;
    kim = (await enroll(t.db, priya, site.id, { legalFirstName: "Kim", legalLastName: "Consent", ...admitted })).id;
    await cover(lee, 4, "L-4");
    await sign(lee, "2026-11-01");
    for (const d of ["02", "03", "04", "05", "06"]) await attend(lee, `2026-11-${d}`);
  });
  afterAll(() => t?.destroy());

  it("bills every attended day while the date is empty", async () => {
    expect(await billingStartsOn(t.db, site.id)).toBeNull();
    expect(await chargesOf(lee)).toEqual([
      ["2026-11-02", "ready"],
      ["2026-11-03", "ready"],
      ["2026-11-04", "ready"],
      ["2026-11-05", "ready"],
      ["2026-11-06", "held", "authorization_exhausted"],
    ]);
  });

  it("removes the unexported charges before a later date, keeps the exported ones, and brings them back when it is cleared", async () => {
    const seq = await lastSeq(t.db);
    expect(await setStart("2026-11-04")).toEqual({ ok: true, removed: 2, created: 0 });
    // The days before the start still used units 1 and 2 of the authorization: 11-06 is still the fifth day.
    expect(await chargesOf(lee)).toEqual([
      ["2026-11-04", "ready"],
      ["2026-11-05", "ready"],
      ["2026-11-06", "held", "authorization_exhausted"],
    ]);
    const audit = await auditSince(t.db, seq);
    expect(audit.map((a) => a.action)).toEqual(["settings.billing_start_changed"]);
    expect(JSON.parse(audit[0].changes!)).toEqual({ before: { billFrom: null }, after: { billFrom: "2026-11-04" }, detail: { removed: 2, created: 0 } });

    await t.db.updateTable("charges").set({ status: "exported" }).where("patient_id", "=", lee).where("service_date", "=", "2026-11-04").execute();
    expect(await setStart("2026-11-06")).toEqual({ ok: true, removed: 1, created: 0 });
    expect(await chargesOf(lee)).toEqual([
      ["2026-11-04", "exported"],
      ["2026-11-06", "held", "authorization_exhausted"],
    ]);

    expect(await setStart(null)).toEqual({ ok: true, removed: 0, created: 3 });
    expect(await billingStartsOn(t.db, site.id)).toBeNull();
    expect(await chargesOf(lee)).toEqual([
      ["2026-11-02", "ready"],
      ["2026-11-03", "ready"],
      ["2026-11-04", "exported"],
      ["2026-11-05", "ready"],
      ["2026-11-06", "held", "authorization_exhausted"],
    ]);
  });

  it("makes no charge for a day attended before the date, and one for a day from it", async () => {
    await setStart("2026-11-09");
    await attend(lee, "2026-10-30");
    await attend(lee, "2026-11-09");
    const dates = (await chargesOf(lee)).map((c) => c[0]);
    expect(dates).not.toContain("2026-10-30");
    expect(dates).toContain("2026-11-09");
    // Only the exported day is left before the start.
    expect(dates.filter((d) => (d as string) < "2026-11-09")).toEqual(["2026-11-04"]);
    await setStart(null);
    expect((await chargesOf(lee)).map((c) => c[0])).toContain("2026-10-30");
  });

  it("refuses a form opened before someone else's save, and a date it cannot read, changing nothing", async () => {
    const { version } = await billingStartForm(t.db, site.id);
    await setStart("2026-11-02");
    const before = await chargesOf(lee);
    expect(await setBillingStart(t.db, dana, site.id, { billFrom: "2026-11-20", version }, meta)).toEqual({
      ok: false,
      status: 409,
      formError: "Someone else changed the billing start date while you were looking at it. Reload to see it, then make your change again.",
    });
    expect(await billingStartsOn(t.db, site.id)).toBe("2026-11-02");
    expect(await chargesOf(lee)).toEqual(before);

    const form = (billFrom: string, v = "1") => {
      const f = new FormData();
      f.set("billFrom", billFrom);
      f.set("v_billFrom", v);
      return parseBillingStartForm(f, "2026-12-07");
    };
    expect(form("2026-02-30")).toMatchObject({
      ok: false,
      typed: { billFrom: "2026-02-30" },
      fieldErrors: { billFrom: "Enter a date as YYYY-MM-DD, or leave it empty to bill every attended day." },
    });
    expect(form("2028-01-01")).toMatchObject({ ok: false, fieldErrors: { billFrom: "Enter a date no later than Dec 8, 2027 (a year from today)." } });
    expect(form("2026-11-02", "")).toMatchObject({ ok: false, formError: "This form is out of date. Reload the page and enter your choice again." });
    expect(form("")).toEqual({ ok: true, typed: { billFrom: "" }, value: { billFrom: null, version: 1 } });
    await setStart(null);
  });

  it("holds a ready day once its consent is revoked, and makes it ready again when a new one is signed", async () => {
    await cover(kim, 20, "K-20");
    const consentId = await sign(kim, "2026-11-01");
    await attend(kim, "2026-11-09");
    await attend(kim, "2026-11-10");
    expect(await chargesOf(kim)).toEqual([
      ["2026-11-09", "ready"],
      ["2026-11-10", "ready"],
    ]);

    let seq = await lastSeq(t.db);
    const [c] = await consentsOf(t.db, kim, "2026-11-10");
    const revoked = await revokeConsent(
      t.db,
      dana,
      kim,
      { consentId, version: c.version, revokedOn: "2026-11-10", revocationNote: "Patient asked in writing." },
      [site.id],
      meta,
    );
    expect(revoked).toEqual({ ok: true });
    // Neither day has gone out, and a revoked consent lets nothing more out: both are held.
    expect(await chargesOf(kim)).toEqual([
      ["2026-11-09", "held", "no_consent"],
      ["2026-11-10", "held", "no_consent"],
    ]);
    // The revocation's own audit record stands for the refresh.
    expect((await auditSince(t.db, seq)).map((a) => a.action)).toEqual(["consent.revoked"]);

    seq = await lastSeq(t.db);
    // Signed after both days: a claim made now is covered by it.
    await sign(kim, "2026-11-10");
    expect(await chargesOf(kim)).toEqual([
      ["2026-11-09", "ready"],
      ["2026-11-10", "ready"],
    ]);
    expect((await auditSince(t.db, seq)).map((a) => a.action)).toEqual(["consent.recorded"]);
  });
});
