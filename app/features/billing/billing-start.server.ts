/**
 * "Bill days from": the first day a site bills through the dashboard (a site setting, kept in
 * `site_settings` under `billing_starts_on`, with the kernel's versioned save). A clinic starts
 * billing here on some date; days it attended before then were billed some other way, so
 * `refreshCharges` makes no charge for them. Empty (no row, or an empty value) means every
 * attended day, as before the setting existed.
 *
 * Days before the start still count against an authorization's units: the payer authorized them
 * and they were attended, whoever billed them.
 *
 * Moving the date recomputes the charges between the old and the new date in the same
 * transaction, whose audit record (`settings.billing_start_changed`, with the counts) stands for
 * the refresh: a later date removes the unexported ready and held charges before it, an earlier
 * date (or none) brings them back. Exported, paid and denied charges are never touched: they
 * belong to their claims.
 */
import { z } from "zod";
import type { DB, Queryable } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { saveSiteSetting, siteSetting } from "~/kernel/site-settings.server";
import { addDays, isCivilDate, shortDate } from "~/kernel/time";
import { recordAudit } from "~/features/audit/audit.server";
import type { ClientMeta } from "~/utils/request.server";
import { refreshCharges } from "./charges.server";

export const BILLING_START_KEY = "billing_starts_on";
/** The earliest date the form takes: older than any record a clinic would bring to the dashboard. */
const EARLIEST = "2000-01-01";
/** How far ahead the date may be set: a clinic plans its switch-over, but not years ahead. */
const AHEAD_DAYS = 366;

/** The site's first billed day, or null when every attended day is billed. */
export async function billingStartsOn(db: Queryable, siteId: string): Promise<string | null> {
  const own = await siteSetting(db, siteId, BILLING_START_KEY);
  return own && isCivilDate(own.value) ? own.value : null;
}

export interface BillingStartSetting {
  value: string | null;
  /** 0 while the site has never chosen; the form carries it back. */
  version: number;
}

export async function billingStartForm(db: Queryable, siteId: string): Promise<BillingStartSetting> {
  const own = await siteSetting(db, siteId, BILLING_START_KEY);
  return { value: own && isCivilDate(own.value) ? own.value : null, version: own?.version ?? 0 };
}

const STALE = "Someone else changed the billing start date while you were looking at it. Reload to see it, then make your change again.";

/** Reads the posted form: the date (or none) and the version it started from; what was typed is kept. */
export function parseBillingStartForm(form: FormData, today: string) {
  const typed = { billFrom: String(form.get("billFrom") ?? "").slice(0, 20) };
  const latest = addDays(today, AHEAD_DAYS);
  const schema = z.object({
    billFrom: z
      .string()
      .trim()
      .refine((s) => s === "" || isCivilDate(s), "Enter a date as YYYY-MM-DD, or leave it empty to bill every attended day.")
      .refine((s) => s === "" || !isCivilDate(s) || s >= EARLIEST, `Enter a date from ${shortDate(EARLIEST)} on.`)
      .refine((s) => s === "" || !isCivilDate(s) || s <= latest, `Enter a date no later than ${shortDate(latest)} (a year from today).`),
    version: z.coerce.number().int().min(0).max(1_000_000_000),
  });
  const raw = form.get("v_billFrom");
  const parsed = schema.safeParse({ billFrom: typed.billFrom, version: raw === null || raw === "" ? undefined : raw });
  if (parsed.success) return { ok: true as const, typed, value: { billFrom: parsed.data.billFrom || null, version: parsed.data.version } };
  const fieldErrors: Record<string, string> = {};
  let formError: string | undefined;
  for (const i of parsed.error.issues)
    if (i.path[0] === "version") formError ??= "This form is out of date. Reload the page and enter your choice again.";
    else fieldErrors.billFrom ??= i.message;
  return { ok: false as const, typed, fieldErrors, formError };
}

/** The first attended day on record at the site: where "from the start" begins. */
async function firstAttendedDay(db: Queryable, siteId: string): Promise<string | null> {
  const row = await db
    .selectFrom("attendance as a")
    .innerJoin("patients as p", "p.id", "a.patient_id")
    .select((eb) => eb.fn.min<string>("a.local_date").as("first"))
    .where("p.site_id", "=", siteId)
    .executeTakeFirst();
  return row?.first ?? null;
}

/**
 * An admin sets (or clears) the site's first billed day; audited once with the charges it removed
 * and made, refused whole when someone else saved meanwhile.
 */
export async function setBillingStart(
  db: DB,
  actor: Actor,
  siteId: string,
  input: { billFrom: string | null; version: number },
  meta: ClientMeta,
): Promise<WriteResult<{ removed: number; created: number }>> {
  if (input.billFrom !== null && !isCivilDate(input.billFrom)) return { ok: false, status: 400, fieldErrors: { billFrom: ["Enter a date as YYYY-MM-DD."] } };
  return db.transaction().execute(async (trx) => {
    const before = await billingStartForm(trx, siteId);
    if (before.version !== input.version) return { ok: false as const, status: 409 as const, formError: STALE };
    const saved = await saveSiteSetting(trx, {
      siteId,
      key: BILLING_START_KEY,
      value: input.billFrom ?? "",
      actorId: actor.id,
      version: before.version,
      ownChoice: before.version > 0,
    });
    if (!saved) return { ok: false as const, status: 409 as const, formError: STALE };
    let counts = { removed: 0, created: 0 };
    if (before.value !== input.billFrom) {
      // The days between the old start and the new one change hands; "from the start" begins at the first attended day.
      const dates = [before.value, input.billFrom].filter((d): d is string => d !== null).sort();
      const later = dates[dates.length - 1];
      const earlier = dates.length === 2 ? dates[0] : await firstAttendedDay(trx, siteId);
      if (earlier !== null && earlier < later) {
        const r = await refreshCharges(trx, siteId, { from: earlier, to: addDays(later, -1) });
        counts = { removed: r.removed, created: r.created };
      }
    }
    await recordAudit(trx, {
      actor,
      action: "settings.billing_start_changed",
      entityType: "setting",
      entityId: BILLING_START_KEY,
      siteId,
      before: { billFrom: before.value },
      after: { billFrom: input.billFrom },
      detail: counts,
      meta,
    });
    return { ok: true as const, ...counts };
  });
}
