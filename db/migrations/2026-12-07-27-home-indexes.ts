import type { Kysely } from "kysely";

/**
 * The admin's Home reads what it shows, not the site's history (issue 22 item 2, ADR 0007):
 * the attention worklist's care spans read the level-of-care changes of the site's open episodes
 * by episode, and without an index on `episode_id` both databases scanned every change the
 * network ever recorded (one per admission at least) on every view.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("level_of_care_changes_episode_idx").on("level_of_care_changes").columns(["episode_id", "effective_on"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("level_of_care_changes_episode_idx").ifExists().execute();
}
