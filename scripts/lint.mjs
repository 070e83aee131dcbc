// `npm run lint`: ESLint (layers, hooks, accessibility), Prettier's check and the type check.
// All three run even when one fails, so one pass shows everything to fix; the exit code is
// non-zero when any failed, and the last line names the ones that did.
import { spawnSync } from "node:child_process";

const steps = [
  ["eslint", ["eslint", "--cache", "--cache-location", "node_modules/.cache/eslint/", "."]],
  ["prettier", ["prettier", "--check", "."]],
  ["tsc", ["tsc", "--noEmit"]],
];

const failed = [];
for (const [name, args] of steps) {
  console.log(`[lint] ${name}`);
  const { status, error } = spawnSync("npx", ["--no-install", ...args], { stdio: "inherit" });
  if (error || status !== 0) failed.push(name);
}
console.log(failed.length ? `lint: failed (${failed.join(", ")})` : "lint: passed");
process.exit(failed.length ? 1 : 0);
