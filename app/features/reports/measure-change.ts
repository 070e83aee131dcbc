/**
 * The arithmetic of the "Measure change" report (issue 19, item 6): which administration is a
 * patient's intake score and which the later one it is compared with, and per measure the mean
 * scores, the mean change and the shares improved and worse. Pure: no I/O.
 *
 * Improved, per measure (the thresholds and their sources are in measures/rules.ts,
 * `MEANINGFUL_CHANGE`): PHQ-9 at least 5 points lower (Löwe et al. 2004), GAD-7 at least 4 points
 * lower (Toussaint et al. 2020). AUDIT and DAST-10 have no published minimal clinically important
 * difference: a move to a lower risk zone (AUDIT, WHO 2001) or level (DAST-10, Skinner 1982)
 * counts instead. The BAM is read by subscale (Cacciola et al. 2013): a move out of the
 * subscale's range of clinical concern (Use 1 or more, Risk 12 or more, Protective 12 or below).
 * Worse is the mirror image: as many points higher, a higher zone or level, or into the range of
 * concern. Shares are of every patient compared, including those who had no room to improve.
 */
import { BAM_SUBSCALES, type BamSubscale, bandOf, MEANINGFUL_CHANGE, MEASURE_GRACE_DAYS, MEASURES, type MeasureCode } from "~/features/measures/rules";
import { addDays } from "~/kernel/time";

/** One complete administration: its date, total (null for the BAM) and BAM subscales. */
export type Administration = { on: string; total: number | null; subscales: Record<BamSubscale, number | null> | null };

export type ChangeLineKey = "phq9" | "gad7" | "audit" | "dast10" | "bam.use" | "bam.risk" | "bam.protective";

export const CHANGE_LINES: { key: ChangeLineKey; code: MeasureCode; subscale?: BamSubscale; label: string }[] = [
  { key: "phq9", code: "phq9", label: "PHQ-9" },
  { key: "gad7", code: "gad7", label: "GAD-7" },
  { key: "audit", code: "audit", label: "AUDIT" },
  { key: "dast10", code: "dast10", label: "DAST-10" },
  { key: "bam.use", code: "bam", subscale: "use", label: "BAM: Use" },
  { key: "bam.risk", code: "bam", subscale: "risk", label: "BAM: Risk factors" },
  { key: "bam.protective", code: "bam", subscale: "protective", label: "BAM: Protective factors" },
];

/** What "improved" means for each line, in words, for the report's definition. */
export function improvedRule(key: ChangeLineKey): string {
  const line = CHANGE_LINES.find((l) => l.key === key)!;
  if (line.subscale) {
    const s = BAM_SUBSCALES[line.subscale];
    return `${line.label}: out of the range of concern (${s.concernLabel}) at the later score after being in it at intake`;
  }
  const points = MEANINGFUL_CHANGE[line.code].points;
  if (points !== null) return `${line.label}: at least ${points} points lower (${MEANINGFUL_CHANGE[line.code].source})`;
  const band = line.code === "audit" ? "risk zone" : "level";
  return `${line.label}: a lower ${band} than at intake (${band}s: ${MEASURES[line.code].source}; no published minimal clinically important difference)`;
}

/**
 * The intake score: the first administration dated from the admission day to `MEASURE_GRACE_DAYS`
 * after it (after that the intake measure was overdue, and a first score is no longer a baseline).
 * `list` is one patient's complete administrations of one measure, oldest first.
 */
export function intakeOf(list: Administration[], admittedOn: string): Administration | null {
  const last = addDays(admittedOn, MEASURE_GRACE_DAYS);
  return list.find((a) => a.on >= admittedOn && a.on <= last) ?? null;
}

/** The latest score: the last administration dated after the intake's day and on or before `until`. */
export function latestOf(list: Administration[], intake: Administration, until: string): Administration | null {
  return list.filter((a) => a.on > intake.on && a.on <= until).at(-1) ?? null;
}

/**
 * The discharge score: the last administration dated after the intake's day within
 * `MEASURE_GRACE_DAYS` either side of the discharge day (as `measureDue` counts a discharge
 * measure given). None when the discharge measure was not given.
 */
export function dischargeScoreOf(list: Administration[], intake: Administration, dischargedOn: string): Administration | null {
  const from = addDays(dischargedOn, -MEASURE_GRACE_DAYS);
  const to = addDays(dischargedOn, MEASURE_GRACE_DAYS);
  return list.filter((a) => a.on > intake.on && a.on >= from && a.on <= to).at(-1) ?? null;
}

export type Pair = { code: MeasureCode; intake: Administration; later: Administration };

export type ChangeLine = {
  key: ChangeLineKey;
  label: string;
  n: number;
  meanIntake: number | null;
  meanLater: number | null;
  /** Later minus intake: negative is fewer symptoms (higher is better only for BAM protective factors). */
  meanChange: number | null;
  /** Shares of `n`, 0–100 with one decimal; null when n is 0. */
  improved: number | null;
  worse: number | null;
};

const oneDecimal = (n: number) => Math.round(n * 10) / 10;
const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

/** A band's rank (0 = least severe) for AUDIT and DAST-10. */
const rank = (code: MeasureCode, total: number) => MEASURES[code].bands.findIndex((b) => b.code === bandOf(code, total)?.code);

function scoreOf(line: (typeof CHANGE_LINES)[number], a: Administration): number | null {
  return line.subscale ? (a.subscales?.[line.subscale] ?? null) : a.total;
}

/** Compares intake and later scores per line; a pair missing the line's score is left out of that line. */
export function changeLines(pairs: Pair[]): ChangeLine[] {
  return CHANGE_LINES.map((line) => {
    let n = 0;
    let sumIntake = 0;
    let sumLater = 0;
    let improved = 0;
    let worse = 0;
    for (const p of pairs) {
      if (p.code !== line.code) continue;
      const a = scoreOf(line, p.intake);
      const b = scoreOf(line, p.later);
      if (a === null || b === null) continue;
      n += 1;
      sumIntake += a;
      sumLater += b;
      if (line.subscale) {
        const concern = BAM_SUBSCALES[line.subscale].concern;
        if (concern(a) && !concern(b)) improved += 1;
        if (!concern(a) && concern(b)) worse += 1;
      } else {
        const points = MEANINGFUL_CHANGE[line.code].points;
        const [better, poorer] =
          points !== null ? [a - b >= points, b - a >= points] : [rank(line.code, b) < rank(line.code, a), rank(line.code, b) > rank(line.code, a)];
        if (better) improved += 1;
        if (poorer) worse += 1;
      }
    }
    return {
      key: line.key,
      label: line.label,
      n,
      meanIntake: n ? oneDecimal(sumIntake / n) : null,
      meanLater: n ? oneDecimal(sumLater / n) : null,
      meanChange: n ? oneDecimal((sumLater - sumIntake) / n) : null,
      improved: share(improved, n),
      worse: share(worse, n),
    };
  });
}
