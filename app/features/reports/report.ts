/**
 * What every report is: a title, its measure defined in words (shown as the report's help text),
 * and a function that computes one table (and the chart drawn from it) for a date range at a site.
 * Reports are registered in registry.server.ts; the page, the chart and the CSV export are shared.
 */
import type { DB } from "~/kernel/db";
import type { Permission } from "~/features/auth/permissions";

export interface ReportParams {
  siteId: string;
  timeZone: string;
  /** Inclusive civil dates at the site. */
  from: string;
  to: string;
  trackId: string | null;
  /** A counselor sees only their own caseload; null for the whole site. */
  counselorId: string | null;
  /** Today at the site (measures never count the future). */
  today: string;
}

export type Cell = string | number | null;

export interface ReportColumn {
  key: string;
  label: string;
  /**
   * Numbers are right-aligned; "percent" values are 0–100 with one decimal. "date" values are civil
   * dates YYYY-MM-DD and "month" values YYYY-MM: kept so in the CSV, shown as "Dec 7, 2026" and
   * "Dec 2026" on screen. "money" values are dollars (cents / 100): "1234.5" is written 1234.50 in the
   * CSV and shown as "$1,234.50".
   */
  kind?: "text" | "number" | "percent" | "date" | "month" | "money";
  /** A short code ("CO-197") kept on one line; figures and dates never break anyway. */
  nowrap?: boolean;
}

/** The first column of a report by week: the week's Monday at the site. */
export const WEEK_COLUMN: ReportColumn = { key: "week", label: "Week of (Monday)", kind: "date" };

export interface ReportChart {
  type: "bar" | "line";
  /** The column the x axis reads. */
  dataKey: string;
  series: { name: string; label: string; color: string }[];
  unit?: string;
  stacked?: boolean;
  /** Bars laid along the y axis, one readable label each, even for a few long category names. */
  horizontal?: boolean;
}

export interface ReportTable {
  columns: ReportColumn[];
  rows: Record<string, Cell>[];
  /** One line under the table: totals or the overall figure. */
  summary?: string;
  chart?: ReportChart;
}

export interface ReportDefinition {
  id: string;
  title: string;
  /** One sentence for the report list. */
  description: string;
  /** The measure, exactly, in words: what is counted, over what, and what is left out. */
  definition: string[];
  /**
   * Days shown when the address names no range (eight weeks unless set). Outcome measures need a
   * year: nobody admitted in the last eight weeks can have reached day 60 or 90.
   */
  defaultDays?: number;
  /**
   * Who may open it: "read:reports" (admins, counselors for their caseload) unless set. Billing's
   * reports say "bill:claims" (admins and billing staff): payers and units, nothing clinical.
   */
  permission?: Extract<Permission, "read:reports" | "bill:claims">;
  compute: (db: DB, p: ReportParams) => Promise<ReportTable>;
}

/** Percentages with one decimal, or null when there is nothing to divide by. */
export const percent = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);
