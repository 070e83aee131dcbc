/**
 * A user's calendar subscription: `/calendar/<id>.<secret>.ics`, read by calendar apps that
 * carry no session cookie, so the secret in the address is the credential. No UI, and outside
 * the signed-in layout. See app/features/scheduling/calendar-feed.server.ts.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { FEED_PATH_SUFFIX, feedCalendar } from "~/features/scheduling/calendar-feed.server";

const NOT_VALID = "This calendar address is not valid (it may have been revoked).";

const COMMON_HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  // The address is a secret: it must not leak to other sites through a Referer.
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex",
};

export async function loader({ params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const ics = token.endsWith(FEED_PATH_SUFFIX) ? await feedCalendar(await getDb(), token) : null;
  if (ics === null) {
    return new Response(NOT_VALID, { status: 404, headers: { ...COMMON_HEADERS, "Content-Type": "text/plain; charset=utf-8" } });
  }
  return new Response(ics, {
    headers: {
      ...COMMON_HEADERS,
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="iop-sessions.ics"',
    },
  });
}
