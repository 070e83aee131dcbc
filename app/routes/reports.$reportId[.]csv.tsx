import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "~/features/audit/audit.server";
import { requireReport } from "~/features/reports/access.server";
import { reportById, reportPermission } from "~/features/reports/registry.server";
import { csvRows, part2Preamble } from "~/utils/csv.server";
import { shortDate, CSV_DATE_NOTE } from "~/kernel/time";

/** A report's table as RFC 4180 CSV, the Part 2 redisclosure notice first; every export is audited. */
export async function loader(args: LoaderFunctionArgs) {
  const report = reportById(args.params.reportId ?? "");
  if (!report) throw data({ message: "There is no such report." }, { status: 404 });
  const { db, user, site, params, meta } = await requireReport(args, report.defaultDays, reportPermission(report));
  const table = await report.compute(db, params);
  const body =
    part2Preamble() +
    csvRows([
      [`${report.title} — ${site.name}, ${shortDate(params.from)} to ${shortDate(params.to)}${params.counselorId ? " (one caseload)" : ""}`],
      [CSV_DATE_NOTE],
      [],
      table.columns.map((c) => (c.kind === "date" ? `${c.label} (YYYY-MM-DD)` : c.kind === "month" ? `${c.label} (YYYY-MM)` : c.label)),
      ...table.rows.map((r) =>
        table.columns.map((c) => (c.kind === "money" && typeof r[c.key] === "number" ? (r[c.key] as number).toFixed(2) : (r[c.key] ?? ""))),
      ),
      ...(table.summary ? [[], [table.summary]] : []),
    ]);
  await recordAudit(db, {
    actor: user,
    action: "report.exported",
    entityType: "report",
    entityId: report.id,
    siteId: site.id,
    detail: { from: params.from, to: params.to, trackId: params.trackId, counselorId: params.counselorId, rows: table.rows.length },
    meta,
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${report.id}-${params.from}-to-${params.to}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
