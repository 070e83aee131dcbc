/**
 * The notes settings of a site (issue 20): the default note format, the late-entry hours, and
 * whether a day is billable only when its sessions have signed notes. Each is the site's own
 * choice (kernel site-settings, like the plan review interval), else the network's
 * `program_settings` row. Saved together in one transaction with one audit record
 * (`settings.notes_changed`); a form opened before someone else's save is refused, not applied.
 */
import { z } from "zod";
import type { DB, Queryable } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { saveSiteSetting, siteSetting } from "~/kernel/site-settings.server";
import { recordAudit } from "~/features/audit/audit.server";
import type { ClientMeta } from "~/utils/request.server";
import { noteSettings, type NoteSettings } from "./notes.server";
import { LATE_HOURS_RANGE, NOTE_FORMAT_CODES, NOTE_SETTING_KEYS } from "./rules";

type Key = keyof typeof NOTE_SETTING_KEYS;
const KEYS = Object.keys(NOTE_SETTING_KEYS) as Key[];

/** A version per setting: 0 while the site follows the network. The form carries them back. */
export type NoteSettingVersions = Record<Key, number>;

export async function noteSettingsForm(
  db: Queryable,
  siteId: string,
): Promise<{ value: NoteSettings; versions: NoteSettingVersions; own: Record<Key, boolean> }> {
  const [value, ...own] = await Promise.all([noteSettings(db, siteId), ...KEYS.map((k) => siteSetting(db, siteId, NOTE_SETTING_KEYS[k]))]);
  return {
    value,
    versions: Object.fromEntries(KEYS.map((k, i) => [k, own[i]?.version ?? 0])) as NoteSettingVersions,
    own: Object.fromEntries(KEYS.map((k, i) => [k, Boolean(own[i])])) as Record<Key, boolean>,
  };
}

const version = z.coerce.number({ message: "Reload the page and try again." }).int().min(0).max(1_000_000_000);

export const noteSettingsSchema = z.object({
  format: z.enum(NOTE_FORMAT_CODES, { message: "Choose DAP, BIRP or SOAP." }),
  lateHours: z.coerce
    .number({ message: `Enter a whole number of hours from ${LATE_HOURS_RANGE.min} to ${LATE_HOURS_RANGE.max}.` })
    .int(`Enter a whole number of hours from ${LATE_HOURS_RANGE.min} to ${LATE_HOURS_RANGE.max}.`)
    .min(LATE_HOURS_RANGE.min, `Enter a whole number of hours from ${LATE_HOURS_RANGE.min} to ${LATE_HOURS_RANGE.max}.`)
    .max(LATE_HOURS_RANGE.max, `Enter a whole number of hours from ${LATE_HOURS_RANGE.min} to ${LATE_HOURS_RANGE.max}.`),
  billingNeedsNotes: z.boolean(),
  versions: z.object({ format: version, lateHours: version, billing: version }),
});
export type NoteSettingsInput = z.infer<typeof noteSettingsSchema>;

/** Reads the posted form: the values, or the message for each field; what was typed is kept. */
export function parseNoteSettingsForm(form: FormData) {
  const typed = {
    format: String(form.get("format") ?? "").slice(0, 10),
    lateHours: String(form.get("lateHours") ?? "").slice(0, 20),
    billingNeedsNotes: form.get("billingNeedsNotes") === "on",
  };
  const parsed = noteSettingsSchema.safeParse({
    format: typed.format,
    lateHours: typed.lateHours.trim() === "" ? undefined : typed.lateHours.trim(),
    billingNeedsNotes: typed.billingNeedsNotes,
    versions: { format: form.get("v_format") ?? "", lateHours: form.get("v_lateHours") ?? "", billing: form.get("v_billing") ?? "" },
  });
  if (parsed.success) return { ok: true as const, typed, value: parsed.data };
  const fieldErrors: Record<string, string> = {};
  let formError: string | undefined;
  for (const i of parsed.error.issues) {
    const f = String(i.path[0]);
    if (f === "versions") formError ??= "This form is out of date. Reload the page and enter your choice again.";
    else
      fieldErrors[f] ??=
        f === "lateHours" && i.code === "invalid_type" ? `Enter a whole number of hours from ${LATE_HOURS_RANGE.min} to ${LATE_HOURS_RANGE.max}.` : i.message;
  }
  return { ok: false as const, typed, fieldErrors, formError };
}

/** An admin sets the notes settings for the site they work at; audited, refused if someone changed them meanwhile. */
export async function setNoteSettings(db: DB, actor: Actor, siteId: string, input: NoteSettingsInput, meta: ClientMeta): Promise<WriteResult> {
  const checked = noteSettingsSchema.safeParse(input);
  if (!checked.success) return { ok: false, status: 400, formError: "Check the settings: one of them is not a value this page accepts." };
  const stale = {
    ok: false as const,
    status: 409 as const,
    formError: "Someone else changed these settings while you were looking at them. Reload to see them, then make your change again.",
  };
  const values: Record<Key, string> = { format: input.format, lateHours: String(input.lateHours), billing: input.billingNeedsNotes ? "1" : "0" };
  class Stale extends Error {}
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await noteSettingsForm(trx, siteId);
      if (KEYS.some((k) => before.versions[k] !== input.versions[k])) return stale;
      const was: Record<Key, string> = {
        format: before.value.format,
        lateHours: String(before.value.lateHours),
        billing: before.value.billingNeedsNotes ? "1" : "0",
      };
      const changed = KEYS.filter((k) => values[k] !== was[k] || !before.own[k]);
      for (const k of changed) {
        const ok = await saveSiteSetting(trx, {
          siteId,
          key: NOTE_SETTING_KEYS[k],
          value: values[k],
          actorId: actor.id,
          version: before.versions[k],
          ownChoice: before.own[k],
        });
        // Roll back what this save wrote before it: the form is refused whole.
        if (!ok) throw new Stale();
      }
      await recordAudit(trx, {
        actor,
        action: "settings.notes_changed",
        entityType: "setting",
        entityId: "notes",
        siteId,
        before: { format: was.format, lateHours: before.value.lateHours, billingNeedsNotes: before.value.billingNeedsNotes },
        after: { format: input.format, lateHours: input.lateHours, billingNeedsNotes: input.billingNeedsNotes },
        meta,
      });
      return { ok: true as const };
    });
  } catch (e) {
    if (e instanceof Stale) return stale;
    throw e;
  }
}
