import { createDb } from "../db/database";
import { REPORTS } from "../app/features/reports/registry.server";
import { todayIn, addDays } from "../app/kernel/time";
const db = createDb("file:/tmp/reports.sqlite");
const site = await db.selectFrom("sites").select(["id", "time_zone"]).executeTakeFirstOrThrow();
const today = todayIn(site.time_zone);
for (const id of ["charges-by-payer-week", "held-charges-by-reason", "denials-by-reason", "days-service-to-export"]) {
  const r = REPORTS.find((x) => x.id === id)!;
  const t = await r.compute(db, { siteId: site.id, timeZone: site.time_zone, from: addDays(today, -55), to: today, trackId: null, counselorId: null, today });
  console.log(id, t.rows.length, t.summary);
  console.log(t.rows.slice(0, 4));
}
await db.destroy();
