import type { LoaderFunctionArgs } from "@remix-run/node";
import { iterateAuditEvents } from "~/features/audit/audit-log.server";
import { recordAudit } from "~/features/audit/audit.server";
import { readAuditQuery } from "~/features/audit/query.server";
import { requireUser } from "~/features/auth/guard.server";
import { csvRows, part2Preamble } from "~/utils/csv.server";
import { todayIn } from "~/kernel/time";

const HEADER = [
  "seq",
  "id",
  "occurred_at_utc",
  "user_id",
  "user_name",
  "action",
  "outcome",
  "entity_type",
  "entity_id",
  "patient_id",
  "site_id",
  "changes",
  "ip",
  "user_agent",
];

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
    lines.push(
      csvRows([
        [
          e.seq,
          e.id,
          e.occurred_at,
          e.user_id,
          e.user_name,
          e.action,
          e.outcome,
          e.entity_type,
          e.entity_id,
          e.patient_id,
          e.site_id,
          e.changes,
          e.ip,
          e.user_agent,
        ],
      ]),
    );
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
