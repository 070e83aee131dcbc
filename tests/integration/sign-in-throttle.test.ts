/**
 * Failed sign-ins for one account arriving at the same moment on several processes (a server's
 * workers, several servers) are each counted once: the lockout comes after exactly the threshold.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockedUntil, recordFailure } from "~/features/auth/throttle.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";

describe.each(dialects)("sign-in failure counting on %s", (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(() => t?.destroy());

  it("counts every one of many concurrent failures for a key that did not exist yet, and locks on the threshold's", async () => {
    const key = "email:concurrent@example.org";
    const locks = await Promise.all(Array.from({ length: 8 }, () => t.db.transaction().execute((trx) => recordFailure(trx, key, 8))));
    const row = await t.db.selectFrom("sign_in_throttle").selectAll().where("key", "=", key).executeTakeFirstOrThrow();
    expect(row.failures).toBe(8);
    expect(locks.filter(Boolean)).toHaveLength(1);
    expect(await lockedUntil(t.db, key)).not.toBeNull();
  });

  it("counts concurrent failures for a key already counting", async () => {
    const key = "email:counting@example.org";
    await t.db.transaction().execute((trx) => recordFailure(trx, key, 100));
    await Promise.all(Array.from({ length: 6 }, () => t.db.transaction().execute((trx) => recordFailure(trx, key, 100))));
    const row = await t.db.selectFrom("sign_in_throttle").selectAll().where("key", "=", key).executeTakeFirstOrThrow();
    expect(row.failures).toBe(7);
    expect(await lockedUntil(t.db, key)).toBeNull();
  });
});
