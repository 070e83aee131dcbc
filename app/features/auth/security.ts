/** Sign-in security settings shared by server and pages: two-factor policy and emergency access. */
import type { Role } from "./permissions";

export const TWO_FACTOR_POLICIES = {
  admins: "Admins only",
  everyone: "Everyone",
  none: "Nobody (not recommended)",
} as const;
export type TwoFactorPolicy = keyof typeof TWO_FACTOR_POLICIES;

/** Whether the policy makes a role set up two-factor sign-in before it can use the app. */
export function requiresTwoFactor(policy: TwoFactorPolicy, role: Role): boolean {
  return policy === "everyone" || (policy === "admins" && role === "admin");
}

/** How long one emergency access lasts. */
export const EMERGENCY_ACCESS_MINUTES = 60;
