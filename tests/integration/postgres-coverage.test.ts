import { describe, expect, it } from "vitest";
import { postgresConfigured } from "../support/databases";

/**
 * Makes it visible in the results when this run did not test PostgreSQL, instead of passing
 * silently on SQLite alone.
 */
describe("database coverage", () => {
  // Runs whenever TEST_DATABASE_URL names a PostgreSQL database (always in .ci/run).
  it.skipIf(!postgresConfigured)("runs the integration suite on PostgreSQL too", () => {
    expect(process.env.TEST_DATABASE_URL).toMatch(/^postgres(ql)?:\/\//);
  });
  if (!postgresConfigured) {
    // Skipped on purpose: this entry exists only so the run's summary shows that PostgreSQL was not
    // tested (TEST_DATABASE_URL unset). .ci/run always sets it, so CI never skips it.
    it.skip("PostgreSQL NOT TESTED in this run: set TEST_DATABASE_URL=postgres://… to include it", () => {});
    console.warn("\n⚠ TEST_DATABASE_URL is not set: integration tests ran on SQLite only.\n");
  }
});
