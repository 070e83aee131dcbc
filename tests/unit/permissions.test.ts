import { describe, expect, it } from "vitest";
import { type Permission, PERMISSIONS, type Role, ROLES, can, isRole, rolesWith } from "~/features/auth/permissions";

/**
 * The spec: who may do what. A new permission or role must be added here on purpose, so that
 * nobody gains (or loses) access by accident.
 */
const MATRIX: Record<Permission, Record<Role, boolean>> = {
  "read:home": { admin: true, counselor: true, staff: true, billing: true },
  "update:own-account": { admin: true, counselor: true, staff: true, billing: true },
  "read:patients": { admin: true, counselor: true, staff: true, billing: true },
  // Minimum necessary: staff see who a patient is, never their diagnoses, MAT or discharge.
  "read:patient-clinical": { admin: true, counselor: true, staff: false, billing: false },
  "write:patients": { admin: true, counselor: true, staff: false, billing: false },
  "read:schedule": { admin: true, counselor: true, staff: true, billing: false },
  "book:sessions": { admin: true, counselor: true, staff: false, billing: false },
  "take:attendance": { admin: true, counselor: true, staff: true, billing: false },
  "read:reports": { admin: true, counselor: true, staff: false, billing: false },
  "manage:program": { admin: true, counselor: false, staff: false, billing: false },
  // Drug testing: everyone records collections and results; only admins and staff run the random
  // draw (not the counselors whose caseload it picks from); counselors and admins acknowledge alerts.
  "record:drug-tests": { admin: true, counselor: true, staff: true, billing: false },
  "draw:drug-tests": { admin: true, counselor: false, staff: true, billing: false },
  "acknowledge:drug-test-alerts": { admin: true, counselor: true, staff: false, billing: false },
  "manage:drug-panels": { admin: true, counselor: false, staff: false, billing: false },
  // 42 CFR Part 2: consents and the disclosures made under them are clinical work; the front desk
  // neither records consents nor sends records out.
  "manage:consents": { admin: true, counselor: true, staff: false, billing: false },
  "disclose:records": { admin: true, counselor: true, staff: false, billing: false },
  "manage:users": { admin: true, counselor: false, staff: false, billing: false },
  "manage:sites": { admin: true, counselor: false, staff: false, billing: false },
  "read:audit": { admin: true, counselor: false, staff: false, billing: false },
  "export:audit": { admin: true, counselor: false, staff: false, billing: false },
  // Staff may enter the answers a patient gives them on a tablet; scores stay clinical.
  "enter:measures": { admin: true, counselor: true, staff: true, billing: false },
  "read:notes": { admin: true, counselor: true, staff: false, billing: false },
  "write:notes": { admin: true, counselor: true, staff: false, billing: false },
  // The revenue cycle: billing staff and admins keep coverage and claims; counselors read coverage
  // and authorizations (utilization review); only admins keep payers and the fee schedule.
  "read:coverage": { admin: true, counselor: true, staff: false, billing: true },
  "write:coverage": { admin: true, counselor: false, staff: false, billing: true },
  "manage:payers": { admin: true, counselor: false, staff: false, billing: false },
  "bill:claims": { admin: true, counselor: false, staff: false, billing: true },
};

const cases = PERMISSIONS.flatMap((permission) => ROLES.map((role) => [role, permission] as const));

describe("role permissions", () => {
  it("has exactly the roles and permissions the matrix names", () => {
    expect([...ROLES].sort()).toEqual(["admin", "billing", "counselor", "staff"]);
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it.each(cases)("%s → %s matches the matrix", (role, permission) => {
    expect(can(role, permission)).toBe(MATRIX[permission][role]);
  });

  it("gives admins every permission", () => {
    for (const permission of PERMISSIONS) expect(can("admin", permission)).toBe(true);
  });

  it("keeps staff to identity-level patient access and their own account", () => {
    expect(PERMISSIONS.filter((p) => can("staff", p)).sort()).toEqual([
      "draw:drug-tests",
      "enter:measures",
      "read:home",
      "read:patients",
      "read:schedule",
      "record:drug-tests",
      "take:attendance",
      "update:own-account",
    ]);
  });

  it("keeps billing staff to identity, coverage and claims: never the clinical record or notes", () => {
    expect(PERMISSIONS.filter((p) => can("billing", p)).sort()).toEqual([
      "bill:claims",
      "read:coverage",
      "read:home",
      "read:patients",
      "update:own-account",
      "write:coverage",
    ]);
  });

  it("gives counselors their clinical work and nothing of the program's administration", () => {
    expect(PERMISSIONS.filter((p) => can("counselor", p)).sort()).toEqual([
      "acknowledge:drug-test-alerts",
      "book:sessions",
      "disclose:records",
      "enter:measures",
      "manage:consents",
      "read:coverage",
      "read:home",
      "read:notes",
      "read:patient-clinical",
      "read:patients",
      "read:reports",
      "read:schedule",
      "record:drug-tests",
      "take:attendance",
      "update:own-account",
      "write:notes",
      "write:patients",
    ]);
  });

  it.each(PERMISSIONS)("rolesWith(%s) names exactly the roles that can", (permission) => {
    const expected = ROLES.filter((r) => MATRIX[permission][r]);
    expect([...rolesWith(permission)].sort()).toEqual([...expected].sort());
  });

  it("rolesWith returns a copy the caller cannot use to grant access", () => {
    const roles = rolesWith("manage:users");
    roles.push("staff");
    expect(can("staff", "manage:users")).toBe(false);
    expect(rolesWith("manage:users")).toEqual(["admin"]);
  });

  it("recognises only real role names", () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const value of ["Admin", "root", "", " admin", null, undefined, 1, ["admin"]]) expect(isRole(value)).toBe(false);
  });
});
