/** Liveness: the process is up and answering. No database, no user. */
export async function loader() {
  return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
}
