import { databaseReady } from "~/db.server";

/** Readiness for a load balancer: 200 when the database answers and every migration is applied. */
export async function loader() {
  const ready = await databaseReady();
  return new Response(ready ? "ready" : "not ready", {
    status: ready ? 200 : 503,
    headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" },
  });
}
