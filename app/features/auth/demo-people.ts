/**
 * The demo clinic's staff. Fixed, so the README and the sign-in page can list them; the shared
 * password exists only in the demo and is printed when the demo starts.
 */
export const DEMO_PASSWORD = "harbor-light-demo-2026";

export const DEMO_SITE = { name: "Harbor Light Recovery – Riverside", timeZone: "America/New_York" } as const;

export const DEMO_USERS = [
  { name: "Dana Whitfield", email: "dana.whitfield@harborlight.example", role: "admin" },
  { name: "Marcus Bell", email: "marcus.bell@harborlight.example", role: "counselor" },
  { name: "Priya Raman", email: "priya.raman@harborlight.example", role: "counselor" },
  { name: "Elena Ortiz", email: "elena.ortiz@harborlight.example", role: "counselor" },
  { name: "Tom Kowalski", email: "tom.kowalski@harborlight.example", role: "staff" },
  { name: "Aisha Grant", email: "aisha.grant@harborlight.example", role: "staff" },
  { name: "Renee Okafor", email: "renee.okafor@harborlight.example", role: "billing" },
] as const;
