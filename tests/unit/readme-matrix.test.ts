import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, ROLES } from "~/features/auth/permissions";

/** The README's role matrix is what clinics read; it must say exactly what the code grants. */
describe("README role matrix", () => {
  it("lists every permission with the roles the code grants it to", () => {
    const readme = readFileSync("README.md", "utf8");
    const rows = readme
      .split("\n")
      .filter((l) => /^\| `[a-z-]+:[a-z-]+` \|/.test(l))
      .map((l) => l.split("|").map((c) => c.trim()));
    const fromReadme = Object.fromEntries(rows.map((c) => [c[1].replaceAll("`", ""), ROLES.filter((_, i) => c[3 + i] === "✓")]));
    const fromCode = Object.fromEntries(PERMISSIONS.map((p) => [p, ROLES.filter((r) => can(r, p))]));
    expect(fromReadme).toEqual(fromCode);
  });
});
