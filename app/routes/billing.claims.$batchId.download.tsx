import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "~/features/audit/audit.server";
import { requireSiteUser } from "~/features/auth/guard.server";
import { batchForDownload } from "~/features/billing/claims.server";
import { csvRows, part2Preamble } from "~/utils/csv.server";

/** A batch as it was exported: the 837 byte for byte (`format=837`) or its lines as CSV (`format=csv`). Every download is audited. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "bill:claims");
  const format = new URL(args.request.url).searchParams.get("format") === "csv" ? "csv" : "837";
  const batch = await batchForDownload(db, args.params.batchId ?? "", site.id);
  if (!batch) throw data({ message: "There is no such batch at this site." }, { status: 404 });
  await recordAudit(db, {
    actor: user,
    action: "claim_batch.downloaded",
    entityType: "claim_batch",
    entityId: batch.id,
    siteId: site.id,
    detail: { controlNumber: batch.controlNumber, format },
    meta,
  });
  const name = `claims-${String(batch.controlNumber).padStart(6, "0")}`;
  if (format === "837")
    return new Response(batch.content, {
      headers: {
        "Content-Type": "application/edi-x12",
        "Content-Disposition": `attachment; filename="${name}.837"`,
        "Cache-Control": "no-store",
      },
    });
  const body = part2Preamble() + csvRows([batch.header, ...batch.rows, [], [`Total`, "", "", "", "", "", "", "", "", "", (batch.totalCents / 100).toFixed(2)]]);
  return new Response(body, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.csv"`, "Cache-Control": "no-store" },
  });
}
