import { describe, expect, it } from "vitest";
import { postgresConfigured } from "../support/databases";

/**
 * Makes it visible in the results when this run did not test PostgreSQL, instead of passing
 * silently on SQLite alone.
 */
describe("database coverage", () => {
  if (!postgresConfigured) console.warn("\n⚠ TEST_DATABASE_URL is not set: integration tests ran on SQLite only.\n");
  // Skipped, on purpose, only when TEST_DATABASE_URL does not name a PostgreSQL database: the skip
  // itself is the visible "PostgreSQL was not tested" line in the summary. .ci/run always sets it.
  it.skipIf(!postgresConfigured)("runs the integration suite on PostgreSQL too (skipped when TEST_DATABASE_URL is unset)", () => {
    expect(process.env.TEST_DATABASE_URL).toMatch(/^postgres(ql)?:\/\//);
  });
});
