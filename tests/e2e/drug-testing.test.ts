/**
 * Drug testing as the front desk and a counselor do it, in Chromium against the production build:
 * staff run today's random draw (and re-run it from its seed), draw again with a reason, record a
 * urine collection for a selected patient on buprenorphine with buprenorphine and fentanyl
 * positive — and the counselor sees one unexpected result, fentanyl, not two, and acknowledges it.
 * Bad input gets its message in the browser and writes nothing; roles are held over plain HTTP.
 */
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { unexpectedResultFlags } from "~/features/drug-testing/alerts.server";
import { drawSelection } from "~/features/drug-testing/draw";
import { addDays, todayIn } from "~/kernel/time";
import { launchBrowser } from "../support/browser";
import { axeScan, clearOfMidnight, COUNSELOR, hydrated, signIn, signOut, STAFF, visible } from "./helpers";
import { signInCookie } from "../support/server";

const baseUrl = inject("baseUrl");
const TZ = "America/New_York";
let browser: Browser;
let db: Kysely<Database>;

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(inject("databaseUrl"));
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

async function signedIn(email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, baseUrl, email);
  await page.waitForURL(`${baseUrl}/`);
  await hydrated(page);
  return page;
}

/** Serious or critical axe findings on the page as it is, in light and in dark mode. */
async function axeBothModes(page: Page, only?: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.reload();
    await hydrated(page);
    const results = await axeScan(page, only).analyze();
    for (const v of results.violations.filter((x) => x.impact === "serious" || x.impact === "critical"))
      found.push(
        `${colorScheme}: ${v.id} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
      );
  }
  await page.emulateMedia({ colorScheme: "light" });
  return found;
}

/** The day a drug-tests page shows, from its address (the draw redirects to `/drug-tests?date=…`). */
function pageDate(page: Page): string {
  const date = new URL(page.url()).searchParams.get("date");
  expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  return date!;
}

/** The latest draw of the day the page shows — the server's day, not this process's idea of today. */
async function latestDraw(date: string) {
  return db.selectFrom("drug_test_draws").selectAll().where("draw_date", "=", date).orderBy("sequence", "desc").executeTakeFirstOrThrow();
}

const post = (path: string, cookie: string, body: Record<string, string>) =>
  fetch(`${baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  });

describe("drug testing, end to end", () => {
  it("staff draw today's patients, record buprenorphine and fentanyl positive for one on buprenorphine, and the counselor sees one unexpected result: fentanyl", async () => {
    // A second draw "of the day" and a collection from the day's list only exist within one clinic
    // day (a draw for yesterday is refused, rightly), so this flow does not start in the last two
    // minutes before New York midnight; every date below is the server's, read from the page.
    await clearOfMidnight(TZ, 120_000);
    const staff = await signedIn(STAFF);
    await staff.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Drug tests" }).click();
    await staff.waitForURL(`${baseUrl}/drug-tests`);
    await hydrated(staff);
    await visible(staff.getByRole("heading", { name: "Drug tests", level: 1 }));
    await visible(staff.getByText("No random draw for this day yet."));

    // 1. Today's draw: 20 % of all active patients.
    await staff.getByLabel("Who is eligible").selectOption("all_active");
    await staff.getByLabel("How many").fill("20");
    await staff.getByLabel("Counted as").selectOption("rate");
    const before = todayIn(TZ);
    await staff.getByRole("button", { name: "Draw patients" }).click();
    await visible(staff.getByText(/^Drew \d+ of \d+ active patients for /));
    // The draw is for the clinic's today: the date it had when the button was pressed or after.
    const today = pageDate(staff);
    expect([before, todayIn(TZ)]).toContain(today);
    const first = await latestDraw(today);
    expect(first.sequence).toBe(1);
    const eligible = JSON.parse(first.eligible) as string[];
    const selected = JSON.parse(first.selected) as string[];
    expect(selected).toHaveLength(Math.ceil(eligible.length * 0.2));
    await visible(staff.getByText(`0 of ${selected.length} collected · ${selected.length} still missing`));
    expect(
      await staff
        .getByRole("table", { name: /^Selected for testing on / })
        .getByRole("row")
        .count(),
    ).toBe(selected.length + 1);

    // 2. Re-running the stored seed reproduces it: in the page, and independently here.
    expect(drawSelection(first.seed, eligible, selected.length)).toEqual(selected);
    await staff.getByRole("link", { name: "Check this draw" }).click();
    await hydrated(staff);
    await staff.getByRole("button", { name: "Re-run the draw from its seed" }).click();
    await visible(staff.getByText(new RegExp(`gives the same ${selected.length} patients in the same order`)));
    await staff.getByRole("link", { name: /← Drug tests on / }).click();
    await hydrated(staff);

    // 3. A second draw for the day needs a reason; with one it is kept beside the first.
    await staff.getByLabel("Who is eligible").selectOption("all_active");
    await staff.getByLabel("How many").fill("100");
    await staff.getByRole("button", { name: "Draw again" }).click();
    await visible(staff.getByText(/Tom Kowalski already drew \d+ for .* Say why you are drawing again/));
    expect(pageDate(staff)).toBe(today);
    expect((await latestDraw(today)).sequence).toBe(1);
    await staff.getByLabel("Why draw again").fill("Incident in the morning group: the director asked for everyone to be tested today.");
    await staff.getByRole("button", { name: "Draw again" }).click();
    await visible(staff.getByText(/\(draw 2 of the day\)/));
    const second = await latestDraw(today);
    expect(second).toMatchObject({ sequence: 2, reason: "Incident in the morning group: the director asked for everyone to be tested today." });
    const everyone = JSON.parse(second.selected) as string[];
    const audit = await db.selectFrom("audit_events").select(["action", "changes"]).where("entity_id", "=", second.id).execute();
    expect(audit.map((a) => a.action)).toEqual(["drug_test.redrawn"]);

    // 4. A selected patient on buprenorphine, with nothing flagged yet.
    const candidates = await db
      .selectFrom("patients as p")
      .innerJoin("mat_episodes as m", "m.patient_id", "p.id")
      .innerJoin("users as c", "c.id", "p.primary_counselor_id")
      .select(["p.id", "p.legal_first_name", "p.legal_last_name", "p.preferred_name", "c.email as counselor_email", "c.name as counselor_name"])
      .where("p.id", "in", everyone)
      .where("m.medication", "in", ["buprenorphine", "buprenorphine_naloxone", "buprenorphine_xr"])
      .where("m.started_on", "<=", today)
      .where((eb) => eb.or([eb("m.ended_on", "is", null), eb("m.ended_on", ">=", today)]))
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom("drug_test_alerts as a").select("a.id").whereRef("a.patient_id", "=", "p.id").where("a.status", "=", "open"))),
      )
      .orderBy("p.mrn")
      .execute();
    expect(candidates.length).toBeGreaterThan(0);
    const patient = candidates[0];
    const listed = `${patient.legal_last_name}, ${patient.preferred_name || patient.legal_first_name}`;

    // 5. Record the urine collection from the day's list.
    await staff.getByRole("link", { name: `Record collection for ${listed}` }).click();
    await staff.waitForURL(/\/drug-tests\/new\?/);
    await hydrated(staff);
    expect(await staff.getByLabel("Reason").inputValue()).toBe("random");
    expect(await staff.getByLabel("Specimen").inputValue()).toBe("urine");
    await staff.getByLabel("Urine temperature (°F)").fill("95");
    await staff.getByLabel("The collection was observed").check();
    await staff.getByRole("button", { name: "Record collection" }).click();
    await staff.waitForURL(/\/drug-tests\/[0-9a-f-]{36}$/);
    await hydrated(staff);
    await visible(staff.getByText(/^Collection recorded for .*\. Enter the results when they are read\.$/));
    const testId = staff.url().split("/").pop()!;

    // 6. Results: buprenorphine and fentanyl positive, the rest negative.
    await staff.getByRole("radiogroup", { name: "Buprenorphine" }).getByLabel("Positive").check();
    await staff.getByRole("radiogroup", { name: "Fentanyl" }).getByLabel("Positive").check();
    await staff.getByRole("button", { name: "Mark the pending ones negative" }).click();
    expect(await staff.getByRole("radiogroup", { name: "Cocaine" }).getByLabel("Negative").isChecked()).toBe(true);
    await staff.getByRole("button", { name: "Save results" }).click();
    // Staff are told the result went to the counselor, in neutral words (minimum necessary): not
    // which analyte was read against which medication (issue 16, finding 5).
    await visible(staff.getByText("Results saved. Flagged for the counselor: not as expected."));
    const flag = staff.getByRole("alert").filter({ hasText: "Unexpected result" });
    await visible(flag);
    expect(await flag.textContent()).toContain("Not as expected");
    expect(await flag.textContent()).not.toContain("Buprenorphine");
    expect(await flag.textContent()).not.toContain("higher risk");
    const row = (name: string) =>
      staff
        .getByRole("table", { name: "Results by analyte" })
        .getByRole("row")
        .filter({ has: staff.getByRole("cell", { name, exact: true }) });
    expect(await row("Buprenorphine").textContent()).not.toContain("Expected");
    expect(await row("Fentanyl").textContent()).not.toContain("Unexpected");
    // The page with an open flag is as accessible as the rest.
    expect(await axeBothModes(staff)).toEqual([]);
    // Staff see the reading, not the medication it was read against.
    const html = await staff.content();
    for (const clinical of ["Read against MAT", "Buprenorphine/naloxone", "buprenorphine is prescribed"]) expect(html).not.toContain(clinical);

    // What the caseload, chart header and dashboard show: one unexpected result, fentanyl.
    expect((await unexpectedResultFlags(db, [patient.id])).get(patient.id)).toEqual({ count: 1, analytes: ["Fentanyl"] });
    const test = await db
      .selectFrom("drug_tests")
      .select(["draw_id", "outcome", "observed", "temperature_in_range"])
      .where("id", "=", testId)
      .executeTakeFirstOrThrow();
    expect(test).toMatchObject({ draw_id: second.id, outcome: "positive" });
    await signOut(staff);

    // 7. The counselor sees it on their list and the patient's Drug tests tab, and acknowledges it.
    const counselor = await signedIn(patient.counselor_email);
    // Their caseload flags the patient with one unexpected result, not two.
    await counselor.goto(`${baseUrl}/patients?q=${encodeURIComponent(patient.legal_last_name)}`);
    await hydrated(counselor);
    const caseloadRow = counselor.getByRole("table", { name: "Patients" }).getByRole("row").filter({ hasText: patient.legal_last_name });
    await visible(caseloadRow);
    const rowText = (await caseloadRow.first().textContent())!;
    expect(rowText).toContain("Unexpected result");
    expect(rowText).not.toMatch(/\d+ unexpected results/);
    await counselor.goto(`${baseUrl}/drug-tests`);
    await hydrated(counselor);
    const mine = counselor
      .getByRole("table", { name: "Unexpected results awaiting acknowledgement" })
      .getByRole("row")
      .filter({ hasText: `${patient.preferred_name || patient.legal_first_name} ${patient.legal_last_name}` });
    await visible(mine);
    expect(await axeBothModes(counselor)).toEqual([]);
    expect((await mine.textContent())!).toContain("Fentanyl");
    expect((await mine.textContent())!).not.toContain("Buprenorphine");
    await mine.getByRole("link").first().click();
    await counselor.waitForURL(`${baseUrl}/patients/${patient.id}/drug-tests`);
    await hydrated(counselor);
    await visible(counselor.getByLabel("1 unexpected result not yet acknowledged"));
    // This tab's own content (the chart header above it belongs to the patients feature).
    expect(await axeBothModes(counselor, 'section[aria-label="Drug tests"]')).toEqual([]);
    await counselor.getByLabel(/^Acknowledgement note for /).fill("Discussed in session; naloxone kit given and relapse-prevention plan updated.");
    await counselor.getByRole("button", { name: "Acknowledge" }).click();
    await visible(counselor.getByText("Acknowledged: Fentanyl."));
    await visible(counselor.getByText(/Discussed in session; naloxone kit given/));
    expect(await counselor.getByRole("heading", { name: "Unexpected result" }).count()).toBe(0);
    expect((await unexpectedResultFlags(db, [patient.id])).has(patient.id)).toBe(false);
    await counselor.context().close();
  }, 200_000);

  it("keeps what was typed and says why when a collection is in the future or the temperature is not a reading; nothing is written", async () => {
    // "Later today is the future" needs the clinic's 23:59 still ahead when that step runs, and the
    // form's pre-filled date to stay the server's today: wait out a midnight less than two minutes away.
    await clearOfMidnight(TZ, 120_000);
    const count = async () =>
      Number(
        (
          await db
            .selectFrom("drug_tests")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const page = await signedIn(STAFF);
    await page.goto(`${baseUrl}/drug-tests/new`);
    await hydrated(page);
    // The collection date the server pre-fills is its today at the site.
    const today = await page.getByLabel("Date", { exact: true }).inputValue();
    expect(today).toBe(todayIn(TZ));
    await page.getByRole("textbox", { name: "Patient" }).fill("Alvarez");
    await page.getByRole("listbox").getByRole("option").first().click();
    const patientLabel = await page.getByRole("textbox", { name: "Patient" }).inputValue();
    await page.getByLabel("Reason").selectOption("for_cause");
    await page.getByLabel("Urine temperature (°F)").fill("warm");
    await page.getByLabel(optionalNote).fill("Smelled of alcohol at check-in.");
    await page.getByRole("button", { name: "Record collection" }).click();
    await visible(page.getByText("Enter the temperature in °F as the strip reads it, for example 94."));

    await page.getByLabel("Urine temperature (°F)").fill("95");
    await page.getByLabel("Date", { exact: true }).fill(addDays(today, 1));
    await page.getByRole("button", { name: "Record collection" }).click();
    await visible(page.getByText("The collection cannot be in the future."));
    expect(await page.getByRole("textbox", { name: "Patient" }).inputValue()).toBe(patientLabel);
    expect(await page.getByLabel(optionalNote).inputValue()).toBe("Smelled of alcohol at check-in.");
    // Later today is the future too: the server says what time it is at the site.
    await page.getByLabel("Date", { exact: true }).fill(today);
    await page.getByLabel("Time", { exact: true }).fill("23:59");
    await page.getByRole("button", { name: "Record collection" }).click();
    await visible(page.getByText(/^The collection cannot be in the future: it is \d{1,2}:\d\d [AP]M at the site now\.$/));
    expect(await page.getByLabel(optionalNote).inputValue()).toBe("Smelled of alcohol at check-in.");
    expect(await page.getByLabel("Urine temperature (°F)").inputValue()).toBe("95");
    expect(await count()).toBe(before);
    await page.context().close();
  }, 200_000);

  it("holds the roles and refuses crafted input over plain HTTP", async () => {
    const staff = await signInCookie(baseUrl, STAFF);
    const counselor = await signInCookie(baseUrl, COUNSELOR);
    const today = todayIn(TZ);
    // Counselors do not run the draw; staff do not acknowledge alerts or manage panels.
    expect((await post("/drug-tests", counselor, { date: today, pool: "all_active", mode: "rate", amount: "20", reason: "x" })).status).toBe(403);
    const open = await db.selectFrom("drug_test_alerts").select(["patient_id", "test_id"]).where("status", "=", "open").executeTakeFirstOrThrow();
    expect((await post(`/patients/${open.patient_id}/drug-tests`, staff, { intent: "acknowledge", testId: open.test_id, note: "Crafted" })).status).toBe(403);
    expect((await post("/drug-tests/panels", staff, { intent: "create", name: "Crafted", specimen: "urine", analytes: "thc" })).status).toBe(403);
    expect((await db.selectFrom("drug_test_alerts").select("status").where("test_id", "=", open.test_id).executeTakeFirstOrThrow()).status).toBe("open");

    // A result for an analyte the panel does not have, and a confirmation with no presumptive positive.
    const urineTest = await db
      .selectFrom("drug_tests as t")
      .innerJoin("drug_test_panels as p", "p.id", "t.panel_id")
      .select(["t.id", "t.version"])
      .where("p.specimen", "=", "urine")
      .where("t.outcome", "=", "negative")
      .orderBy("t.collected_at", "desc")
      .executeTakeFirstOrThrow();
    const crafted = await post(`/drug-tests/${urineTest.id}`, staff, {
      intent: "results",
      version: String(urineTest.version),
      validity: "valid",
      "results.kratom": "positive",
    });
    expect(crafted.status).toBe(400);
    expect(await crafted.text()).toContain("kratom is not on this test&#x27;s panel");
    const confirm = await post(`/drug-tests/${urineTest.id}`, staff, {
      intent: "confirm",
      version: String(urineTest.version),
      analyte: "fentanyl",
      confirmation: "confirmed_positive",
      lab: "Northeast Tox",
      accessionNumber: "X-1",
      confirmedOn: today,
    });
    expect(confirm.status).toBe(400);
    expect(await confirm.text()).toContain("This test has no presumptive positive, so there is nothing for a lab to confirm.");
    expect((await db.selectFrom("drug_tests").select("version").where("id", "=", urineTest.id).executeTakeFirstOrThrow()).version).toBe(urineTest.version);
  });
});

const optionalNote = "Note (optional)";
