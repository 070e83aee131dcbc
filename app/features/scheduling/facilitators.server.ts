import type { Queryable } from "~/kernel/db";

/** Those among some people who may lead a session at a site: active counselors and admins who work there. */
export function facilitatorsAt(db: Queryable, siteId: string, ids: string[]) {
  return db
    .selectFrom("users")
    .innerJoin("user_sites", "user_sites.user_id", "users.id")
    .select(["users.id", "users.name"])
    .where("user_sites.site_id", "=", siteId)
    .where("users.active", "=", 1)
    .where("users.role", "in", ["counselor", "admin"])
    .where("users.id", "in", ids)
    .execute();
}
