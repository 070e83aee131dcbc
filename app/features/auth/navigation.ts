import type { ShellLink } from "~/components/app-shell";
import { can, type Permission, type Role } from "./permissions";

export interface NavItem extends ShellLink {
  permission: Permission;
  /** A second permission that also opens the section (billing reaches its own reports with "bill:claims"). */
  alsoWith?: Permission;
}

/** The sections that exist, in order. A role sees only those its permissions open. */
export const NAV_ITEMS: NavItem[] = [
  { label: "Home", to: "/", permission: "read:home", icon: "home" },
  { label: "Patients", to: "/patients", permission: "read:patients", icon: "patients" },
  { label: "Schedule", to: "/schedule", permission: "read:schedule", icon: "schedule" },
  { label: "Drug tests", to: "/drug-tests", permission: "record:drug-tests", icon: "drugTests" },
  { label: "Reports", to: "/reports", permission: "read:reports", alsoWith: "bill:claims", icon: "reports" },
  { label: "Charges", to: "/billing/charges", permission: "bill:claims", icon: "charges" },
  { label: "Claims", to: "/billing/claims", permission: "bill:claims", icon: "claims" },
  { label: "Authorizations", to: "/billing/authorizations", permission: "write:coverage", icon: "authorizations" },
  { label: "Program setup", to: "/admin/program", permission: "manage:program", icon: "program" },
  { label: "Staff accounts", to: "/admin/users", permission: "manage:users", icon: "users" },
  { label: "Sites", to: "/admin/sites", permission: "manage:sites", icon: "sites" },
  { label: "Audit log", to: "/admin/audit", permission: "read:audit", icon: "audit" },
];

export function navFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => can(role, item.permission) || (item.alsoWith !== undefined && can(role, item.alsoWith)));
}
