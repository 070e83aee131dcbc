import { describe, expect, it } from "vitest";
import { postgresConfigured } from "../support/databases";

/**
 * Makes it visible in the results when this run did not test PostgreSQL, instead of passing
 * silently on SQLite alone.
 */
describe("database coverage", () => {
  it.skipIf(!postgresConfigured)("runs the integration suite on PostgreSQL too", () => {
    expect(process.env.TEST_DATABASE_URL).toMatch(/^postgres(ql)?:\/\//);
  });
  if (!postgresConfigured) {
    it.skip("PostgreSQL NOT TESTED in this run: set TEST_DATABASE_URL=postgres://… to include it", () => {});
    console.warn("\n⚠ TEST_DATABASE_URL is not set: integration tests ran on SQLite only.\n");
  }
});
