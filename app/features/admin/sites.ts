/** A site's form: name, IANA time zone (from the runtime's own list) and a postal address of several lines. */
import { z } from "zod";
import { text } from "~/utils/form-schemas";

/**
 * The IANA time zones the runtime knows (`Intl.supportedValuesOf("timeZone")`), plus UTC, which
 * some runtimes leave out of that list. Read on the server and sent to the form, so the browser's
 * own list never disagrees with what the action accepts.
 */
export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set([...zones, "UTC"])].sort();
}

export const ADDRESS_MAX_LINES = 6;
export const ADDRESS_LINE_MAX = 100;

/**
 * An address as stored: lines as typed, separated by "\n" (Windows and old Mac line ends turned
 * into it), each line trimmed, blank lines dropped. Empty is null.
 */
export function normalizeAddress(raw: string | null | undefined): string | null {
  const lines = (raw ?? "")
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.trim().replace(/\s+/g, " "))
    .filter(Boolean);
  return lines.length ? lines.join("\n") : null;
}

const timeZone = z
  .string({ error: "Choose the site's time zone." })
  .trim()
  .min(1, "Choose the site's time zone.")
  .refine((v) => timeZones().includes(v), "Choose a time zone from the list.");

const address = z
  .string()
  .max(ADDRESS_MAX_LINES * (ADDRESS_LINE_MAX + 2), "The address is too long.")
  .optional()
  .transform((v) => normalizeAddress(v))
  .refine((v) => !v || v.split("\n").length <= ADDRESS_MAX_LINES, `An address is at most ${ADDRESS_MAX_LINES} lines.`)
  .refine((v) => !v || v.split("\n").every((l) => l.length <= ADDRESS_LINE_MAX), `Each line of the address is at most ${ADDRESS_LINE_MAX} characters.`);

const siteFields = { name: text("the site's name", 120), timeZone, address };

export const CreateSiteSchema = z.object(siteFields);
export const UpdateSiteSchema = z.object({
  version: z.coerce.number({ error: "The form is out of date; reload the page." }).int().min(1),
  ...siteFields,
});

export type SiteInput = z.output<typeof CreateSiteSchema>;

/** A site as its pages show it. */
export interface SiteView {
  id: string;
  name: string;
  timeZone: string;
  address: string | null;
  version: number;
  createdAt: string;
  updatedAt: string | null;
}
