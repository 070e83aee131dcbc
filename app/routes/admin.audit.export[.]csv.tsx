import type { LoaderFunctionArgs } from "@remix-run/node";
import { AUDIT_COLUMNS, iterateAuditEvents } from "~/features/audit/audit-log.server";
import { recordAudit } from "~/features/audit/audit.server";
import { readAuditQuery } from "~/features/audit/query.server";
import { requireUser } from "~/features/auth/guard.server";
import { csvRows, part2Preamble } from "~/utils/csv.server";
import { todayIn } from "~/kernel/time";

// The export's columns are the event's own, its time named for its zone.
const HEADER = AUDIT_COLUMNS.map((c) => (c === "occurred_at" ? "occurred_at_utc" : c));

/** The audit log as RFC 4180 CSV, with the same filters as the page; the export itself is audited. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, site, meta } = await requireUser(args, "export:audit");
  const timeZone = site?.time_zone ?? "UTC";
  const query = readAuditQuery(
    new URL(args.request.url),
    sites.map((s) => s.id),
    timeZone,
  );
  if (!query.ok) {
    return new Response(`The filters are not valid: ${Object.values(query.errors).join(" ")}`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const lines: string[] = [part2Preamble(), csvRows([HEADER])];
  let count = 0;
  for await (const e of iterateAuditEvents(db, query.filters)) {
    lines.push(csvRows([AUDIT_COLUMNS.map((c) => e[c])]));
    count++;
  }
  await recordAudit(db, { actor: user, action: "audit.exported", siteId: site?.id, detail: { rows: count, filters: query.values }, meta });
  return new Response(lines.join(""), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log-${todayIn(timeZone)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
