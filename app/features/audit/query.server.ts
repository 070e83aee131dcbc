import { endOfDayUtc, startOfDayUtc } from "~/kernel/time";
import type { AuditFilters } from "./audit-log.server";
import { AuditFilterSchema, type AuditFilterInput } from "./filters";

/** Turns the audit page's URL into database filters, or into messages about what is wrong. */
export function readAuditQuery(url: URL, siteIds: string[], timeZone: string) {
  const raw = Object.fromEntries(["user", "action", "patient", "from", "to"].map((k) => [k, url.searchParams.get(k) ?? undefined]));
  const parsed = AuditFilterSchema.safeParse(raw);
  const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, (v ?? "").slice(0, 100)])) as Record<keyof AuditFilterInput, string>;
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "")] ??= issue.message;
    return { ok: false as const, errors, values };
  }
  const v = parsed.data;
  const filters: AuditFilters = {
    siteIds,
    userId: v.user || undefined,
    action: v.action || undefined,
    patientQuery: v.patient || undefined,
    fromUtc: v.from ? startOfDayUtc(v.from, timeZone) : undefined,
    toUtc: v.to ? endOfDayUtc(v.to, timeZone) : undefined,
  };
  return { ok: true as const, filters, values };
}
