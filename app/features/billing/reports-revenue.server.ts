/**
 * Billing's revenue reports (issue 21, item 7): charges by payer and week, held charges by reason,
 * denials by reason, and days from service to export. Registered after authorizationUseReport in
 * reports/registry.server.ts and opened with "bill:claims": payers, amounts and codes, nothing clinical.
 * Amounts are the charges' billed amounts (fee schedule rate × units) unless a column says otherwise.
 */
import type { Cell, ReportColumn, ReportDefinition, ReportParams } from "~/features/reports/report";
import { WEEK_COLUMN } from "~/features/reports/report";
import { daysBetween, endOfDayUtc, startOfDayUtc, todayIn, weekStart } from "~/kernel/time";
import type { DB } from "~/kernel/db";
import type { ChargeStatus } from "#db/schema";
import { ADJUSTMENT_GROUPS, type Adjustment, CARC } from "./x12";
import { HOLD_REASONS, HOLD_REASON_KEYS, median, money, percentileNearestRank } from "./rules";

const FILTERS =
  "The track filter keeps patients whose current track is that track; the counselor filter keeps patients whose primary counselor is that counselor.";
const NO_PAYER = "No payer";
const dollars = (cents: number) => Math.round(cents) / 100;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The site's charges with their patient and payer, the track and counselor filters applied. */
function chargesAt(db: DB, p: ReportParams) {
  let q = db
    .selectFrom("charges as c")
    .innerJoin("patients as pt", "pt.id", "c.patient_id")
    .leftJoin("payers as py", "py.id", "c.payer_id")
    .where("c.site_id", "=", p.siteId);
  if (p.trackId) q = q.where("pt.track_id", "=", p.trackId);
  if (p.counselorId) q = q.where("pt.primary_counselor_id", "=", p.counselorId);
  return q;
}

/** The statuses the first report counts, in a charge's order of life; "void" is left out. */
const WEEK_STATUSES = ["ready", "held", "exported", "paid", "denied"] as const satisfies readonly ChargeStatus[];
const WEEK_STATUS_LABELS: Record<(typeof WEEK_STATUSES)[number], string> = {
  ready: "Ready",
  held: "Held",
  exported: "Sent",
  paid: "Paid",
  denied: "Denied",
};

export const chargesByPayerWeekReport: ReportDefinition = {
  id: "charges-by-payer-week",
  title: "Charges by payer and week",
  description: "Per payer and week of service: how many charges are ready, held, sent on a claim, paid and denied, and their amounts.",
  permission: "bill:claims",
  definition: [
    "One row per payer per week: charges at this site whose service date is in the range, counted by their status today. A charge is the patient's billable day (one per patient per day).",
    "Weeks run Monday to Sunday, by the service date (a civil date at the site); the first and last weeks of the range may be partial. A week and payer with no charge has no row.",
    "Ready: waiting for the next claim export. Held: kept back for at least one hold reason (the Held charges by reason report names them). Sent: exported on an 837 claim with no answer yet. Paid: an 835 paid all or part of it. Denied: an 835 paid nothing for it.",
    "Amounts are what each charge bills (the fee schedule's rate times its units), not what was paid. Voided charges are left out.",
    "A charge with no payer (held for no coverage) counts under “No payer”. The last row totals every payer and week.",
    FILTERS,
  ],
  async compute(db, p) {
    const rows = await chargesAt(db, p)
      .select(["c.service_date", "c.status", "c.amount_cents", "py.name as payer"])
      .where("c.service_date", ">=", p.from)
      .where("c.service_date", "<=", p.to)
      .where("c.status", "in", WEEK_STATUSES)
      .execute();
    type Tally = Record<string, number>;
    const blank = (): Tally =>
      Object.fromEntries(
        WEEK_STATUSES.flatMap((s) => [
          [s, 0],
          [`${s}Amount`, 0],
        ]),
      );
    const groups = new Map<string, { week: string; payer: string; t: Tally }>();
    const total = blank();
    for (const r of rows) {
      const week = weekStart(r.service_date);
      const payer = r.payer ?? NO_PAYER;
      const key = `${week}\u0000${payer}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { week, payer, t: blank() }));
      for (const t of [g.t, total]) {
        t[r.status]++;
        t[`${r.status}Amount`] += Number(r.amount_cents);
      }
    }
    const out = (week: string | null, payer: string, t: Tally): Record<string, Cell> => {
      const row: Record<string, Cell> = { week, payer };
      let n = 0;
      let cents = 0;
      for (const s of WEEK_STATUSES) {
        row[s] = t[s];
        row[`${s}Amount`] = dollars(t[`${s}Amount`]);
        n += t[s];
        cents += t[`${s}Amount`];
      }
      return { ...row, total: n, totalAmount: dollars(cents) };
    };
    const sorted = [...groups.values()].sort((a, b) => (a.week === b.week ? a.payer.localeCompare(b.payer) : a.week < b.week ? -1 : 1));
    const body = sorted.map((g) => out(g.week, g.payer, g.t));
    const columns: ReportColumn[] = [
      WEEK_COLUMN,
      { key: "payer", label: "Payer" },
      ...WEEK_STATUSES.flatMap((s): ReportColumn[] => [
        { key: s, label: WEEK_STATUS_LABELS[s], kind: "number" },
        { key: `${s}Amount`, label: `${WEEK_STATUS_LABELS[s]} amount`, kind: "money" },
      ]),
      { key: "total", label: "All charges", kind: "number" },
      { key: "totalAmount", label: "All amount", kind: "money" },
    ];
    const all = body.length ? out(null, "Total", total) : null;
    return {
      columns,
      rows: all ? [...body, all] : [],
      summary: all
        ? `${plural(Number(all.total), "charge")} billing ${money(Math.round(Number(all.totalAmount) * 100))}: ${WEEK_STATUSES.map((s) => `${total[s]} ${WEEK_STATUS_LABELS[s].toLowerCase()}`).join(", ")}.`
        : undefined,
    };
  },
};

export const heldChargesByReasonReport: ReportDefinition = {
  id: "held-charges-by-reason",
  title: "Held charges by reason",
  description: "Each reason a charge is held: how many held charges name it, their amount, and the oldest day held for it.",
  permission: "bill:claims",
  definition: [
    "Charges at this site that are held today and whose service date is in the range, counted under each reason they name. A charge held for two reasons counts under both, so the rows add up to more than the held charges; the summary counts each charge once.",
    `The reasons, in the order the charge review lists them: ${HOLD_REASON_KEYS.map((k) => HOLD_REASONS[k]).join("; ")}. A reason no held charge names has no row.`,
    "Amount is what the held charges would bill (the fee schedule's rate times their units; $0.00 when no fee schedule row applies). Oldest day held is the earliest service date among them: the day closest to a payer's filing limit.",
    "A held charge becomes ready by itself once its reasons are cleared (hours corrected, note signed, coverage, authorization, certification or consent recorded).",
    FILTERS,
  ],
  async compute(db, p) {
    const held = await chargesAt(db, p)
      .select(["c.service_date", "c.amount_cents", "c.hold_reasons"])
      .where("c.status", "=", "held")
      .where("c.service_date", ">=", p.from)
      .where("c.service_date", "<=", p.to)
      .execute();
    const by = new Map<string, { count: number; cents: number; oldest: string }>();
    let cents = 0;
    for (const c of held) {
      cents += Number(c.amount_cents);
      for (const reason of new Set(JSON.parse(c.hold_reasons) as string[])) {
        const r = by.get(reason) ?? { count: 0, cents: 0, oldest: c.service_date };
        r.count++;
        r.cents += Number(c.amount_cents);
        if (c.service_date < r.oldest) r.oldest = c.service_date;
        by.set(reason, r);
      }
    }
    const order = (k: string) => {
      const i = (HOLD_REASON_KEYS as string[]).indexOf(k);
      return i < 0 ? HOLD_REASON_KEYS.length : i;
    };
    const rows = [...by.entries()]
      .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
      .map(([k, r]) => ({
        reason: HOLD_REASONS[k as keyof typeof HOLD_REASONS] ?? k,
        charges: r.count,
        amount: dollars(r.cents),
        oldest: r.oldest,
      }));
    return {
      columns: [
        { key: "reason", label: "Hold reason" },
        { key: "charges", label: "Held charges", kind: "number" },
        { key: "amount", label: "Amount", kind: "money" },
        { key: "oldest", label: "Oldest day held", kind: "date" },
      ],
      rows,
      summary: held.length
        ? `${plural(held.length, "held charge")} billing ${money(cents)}; a charge held for more than one reason is counted under each.`
        : undefined,
      chart: { type: "bar", dataKey: "reason", horizontal: true, series: [{ name: "charges", label: "Held charges", color: "orange.6" }] },
    };
  },
};

/** A code as the remittance shows it ("CO-197"), and its words without the code. */
const codeOf = (a: Pick<Adjustment, "group" | "reason">) => `${a.group}-${a.reason}`;
const wordsOf = (a: Pick<Adjustment, "group" | "reason">) =>
  `${CARC[a.reason] ?? `Reason code ${a.reason}`} (${ADJUSTMENT_GROUPS[a.group]?.toLowerCase() ?? a.group})`;

export const denialsByReasonReport: ReportDefinition = {
  id: "denials-by-reason",
  title: "Denials by reason",
  description: "Denied claim lines from imported 835s, per payer and adjustment reason code, with the amount denied.",
  permission: "bill:claims",
  definition: [
    "Lines of the 835 remittances imported at this site that the payer denied (paid nothing for), from files whose payment date (BPR16) is in the range; a file without a payment date counts on the day it was imported.",
    "One row per payer and claim adjustment reason: the group code (CO contractual obligation, PR patient responsibility, OA other, PI payer-initiated, CR correction) and the reason code (CARC, x12.org/codes/claim-adjustment-reason-codes), with X12's words for it.",
    "Denied lines counts the lines that give that reason; a line giving two reasons counts under both. Amount denied is the sum of that reason's adjustment amounts (CAS) on those lines. A denied line that gives no reason counts under “No reason given” with its billed amount.",
    "The payer is the one on the charge the line was matched to; a line matched to no charge (listed as unmatched on the remittance) counts under the payer named in the 835 file.",
    "Lines paid in part (adjusted) are not denials and are left out.",
    `${FILTERS} With either filter on, only lines matched to a charge of those patients count.`,
  ],
  async compute(db, p) {
    let q = db
      .selectFrom("remittance_lines as l")
      .innerJoin("remittances as r", "r.id", "l.remittance_id")
      .leftJoin("charges as c", "c.id", "l.charge_id")
      .leftJoin("patients as pt", "pt.id", "c.patient_id")
      .leftJoin("payers as py", "py.id", "c.payer_id")
      .select(["l.id", "l.charge_cents", "l.adjustments", "r.payer_name", "py.name as payer"])
      .where("r.site_id", "=", p.siteId)
      .where("l.outcome", "=", "denied")
      .where((eb) =>
        eb.or([
          eb.and([eb("r.paid_on", ">=", p.from), eb("r.paid_on", "<=", p.to)]),
          eb.and([
            eb("r.paid_on", "is", null),
            eb("r.created_at", ">=", startOfDayUtc(p.from, p.timeZone)),
            eb("r.created_at", "<", endOfDayUtc(p.to, p.timeZone)),
          ]),
        ]),
      );
    if (p.trackId) q = q.where("pt.track_id", "=", p.trackId);
    if (p.counselorId) q = q.where("pt.primary_counselor_id", "=", p.counselorId);
    const lines = await q.execute();
    const by = new Map<string, { payer: string; code: string; reason: string; lines: number; cents: number }>();
    const payers = new Set<string>();
    let billed = 0;
    for (const l of lines) {
      const payer = l.payer ?? l.payer_name;
      payers.add(payer);
      billed += Number(l.charge_cents);
      const adjustments = JSON.parse(l.adjustments) as Adjustment[];
      // Each reason once per line, with its amounts summed (a CAS may repeat a code).
      const mine = new Map<string, { code: string; reason: string; cents: number }>();
      for (const a of adjustments) {
        const m = mine.get(codeOf(a)) ?? { code: codeOf(a), reason: wordsOf(a), cents: 0 };
        m.cents += a.cents;
        mine.set(m.code, m);
      }
      if (!mine.size) mine.set("—", { code: "—", reason: "No reason given", cents: Number(l.charge_cents) });
      for (const m of mine.values()) {
        const key = `${payer}\u0000${m.code}`;
        const r = by.get(key) ?? { payer, code: m.code, reason: m.reason, lines: 0, cents: 0 };
        r.lines++;
        r.cents += m.cents;
        by.set(key, r);
      }
    }
    const rows = [...by.values()]
      .sort((a, b) => a.payer.localeCompare(b.payer) || b.lines - a.lines || a.code.localeCompare(b.code))
      .map((r) => ({ payer: r.payer, code: r.code, reason: r.reason, lines: r.lines, amount: dollars(r.cents) }));
    return {
      columns: [
        { key: "payer", label: "Payer" },
        { key: "code", label: "Code", nowrap: true },
        { key: "reason", label: "Reason" },
        { key: "lines", label: "Denied lines", kind: "number" },
        { key: "amount", label: "Amount denied", kind: "money" },
      ],
      rows,
      summary: lines.length
        ? `${plural(lines.length, "denied line")} billing ${money(billed)}, from ${plural(payers.size, "payer")}; a line giving more than one reason is counted under each.`
        : undefined,
    };
  },
};

const ALL_PAYERS = "All payers";

export const serviceToExportReport: ReportDefinition = {
  id: "days-service-to-export",
  title: "Days from service to export",
  description: "Per payer: charges exported on a claim in the range, and the median, 90th percentile and longest days from the day of service to the export.",
  permission: "bill:claims",
  definition: [
    "Charges at this site exported on an 837 claim batch made in the range (the batch's date at the site), whatever happened to them since (paid, denied or voided).",
    "Days for a charge are the calendar days from its service date to its batch's export date: a day exported the day after it is 1.",
    "Median: the days of the payer's exported charges sorted from fewest to most, the middle one when there is an odd number of charges, and halfway between the two middle ones when there is an even number (so 2, 3, 10, 20 days give a median of 6.5).",
    "90th percentile, by the nearest rank: the sorted days' value at rank ⌈0.9 × the number of charges⌉ (the 9th of 10 charges, the 10th of 11), so nine in ten charges went out in that many days or fewer. Longest is the most days any one of them took.",
    "One row per payer, then one for all payers together (its median and percentile are taken over every charge, not averaged from the payers').",
    FILTERS,
  ],
  async compute(db, p) {
    const exported = await chargesAt(db, p)
      .innerJoin("claims as cl", "cl.id", "c.claim_id")
      .innerJoin("claim_batches as b", "b.id", "cl.batch_id")
      .select(["c.service_date", "b.created_at", "py.name as payer"])
      .where("b.site_id", "=", p.siteId)
      .where("b.created_at", ">=", startOfDayUtc(p.from, p.timeZone))
      .where("b.created_at", "<", endOfDayUtc(p.to, p.timeZone))
      .execute();
    const by = new Map<string, number[]>();
    const all: number[] = [];
    for (const c of exported) {
      const days = daysBetween(c.service_date, todayIn(p.timeZone, new Date(c.created_at)));
      const payer = c.payer ?? NO_PAYER;
      by.set(payer, [...(by.get(payer) ?? []), days]);
      all.push(days);
    }
    const row = (payer: string, days: number[]) => ({
      payer,
      charges: days.length,
      median: median(days),
      p90: percentileNearestRank(days, 90),
      longest: days.length ? Math.max(...days) : null,
    });
    const rows = [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([payer, days]) => row(payer, days));
    const overall = row(ALL_PAYERS, all);
    return {
      columns: [
        { key: "payer", label: "Payer" },
        { key: "charges", label: "Charges exported", kind: "number" },
        { key: "median", label: "Median days", kind: "number" },
        { key: "p90", label: "90th percentile days", kind: "number" },
        { key: "longest", label: "Longest days", kind: "number" },
      ],
      rows: all.length ? [...rows, overall] : [],
      summary: all.length
        ? `${plural(all.length, "charge")} exported: half went out within ${overall.median} days of service, nine in ten within ${overall.p90}, the longest took ${overall.longest}.`
        : undefined,
      chart: {
        type: "bar",
        dataKey: "payer",
        horizontal: true,
        unit: " days",
        series: [
          { name: "median", label: "Median", color: "indigo.6" },
          { name: "p90", label: "90th percentile", color: "orange.6" },
        ],
      },
    };
  },
};
