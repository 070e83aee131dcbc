/**
 * Standardized measures for measurement-based care: the questionnaires, their published scoring and
 * severity bands, when each is due, and what a safety concern is. Pure rules, no I/O.
 *
 * An answer is stored as the index of the chosen answer (0 = the first listed); each answer carries
 * the points the published key gives it, so a reverse-scored item is just a list whose points run
 * the other way. A missing item leaves the score incomplete (total null): a score is never guessed.
 */
import { addDays, daysBetween } from "~/kernel/time";

export const MEASURE_CODES = ["phq9", "gad7", "audit", "dast10", "bam"] as const;
export type MeasureCode = (typeof MEASURE_CODES)[number];
export const isMeasureCode = (v: unknown): v is MeasureCode => typeof v === "string" && (MEASURE_CODES as readonly string[]).includes(v);

export type Choice = { label: string; points: number };
export type Item = { n: string; text: string; choices: Choice[]; subscale?: BamSubscale };
export type Band = { code: string; label: string; min: number; max: number; color: string };
export type BamSubscale = "use" | "risk" | "protective";

export interface Measure {
  code: MeasureCode;
  name: string;
  title: string;
  /** What the person is asked about, read before the questions. */
  prompt: string;
  items: Item[];
  /** Bands of the total; empty for the BAM, which is read by subscale. */
  bands: Band[];
  maxTotal: number | null;
  /** Where the scoring comes from, for the chart. */
  source: string;
}

const choices = (labels: string[], points: number[] = labels.map((_, i) => i)): Choice[] => labels.map((label, i) => ({ label, points: points[i] }));

// PHQ-9 and GAD-7 answers: "over the last 2 weeks, how often have you been bothered by…", 0–3
// (Kroenke, Spitzer & Williams 2001; Spitzer et al. 2006). Both are free to use without permission.
const HOW_OFTEN = choices(["Not at all", "Several days", "More than half the days", "Nearly every day"]);

/**
 * PHQ-9: nine items 0–3, total 0–27. Bands 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19
 * moderately severe, 20–27 severe. Source: Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity
 * of a brief depression severity measure. J Gen Intern Med 2001;16:606–613 (scoring key as printed
 * at ementalhealth.ca "PHQ-9 scoring key", and calcipedia.org/calculators/phq-9-calculator).
 */
const PHQ9: Measure = {
  code: "phq9",
  name: "PHQ-9",
  title: "Patient Health Questionnaire (PHQ-9): depression",
  prompt: "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
  items: [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed — or the opposite: being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead, or of hurting yourself in some way",
  ].map((text, i) => ({ n: String(i + 1), text, choices: HOW_OFTEN })),
  bands: [
    { code: "minimal", label: "Minimal", min: 0, max: 4, color: "green" },
    { code: "mild", label: "Mild", min: 5, max: 9, color: "lime" },
    { code: "moderate", label: "Moderate", min: 10, max: 14, color: "yellow" },
    { code: "moderately_severe", label: "Moderately severe", min: 15, max: 19, color: "orange" },
    { code: "severe", label: "Severe", min: 20, max: 27, color: "red" },
  ],
  maxTotal: 27,
  source: "Kroenke, Spitzer & Williams 2001",
};

/** The PHQ-9 item whose any answer above 0 needs a safety check (thoughts of death or self-harm). */
export const PHQ9_SAFETY_ITEM = "9";

/**
 * GAD-7: seven items 0–3, total 0–21; cut points 5, 10 and 15 for mild, moderate and severe
 * anxiety (0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe). Source: Spitzer RL, Kroenke K,
 * Williams JBW, Löwe B. A brief measure for assessing generalized anxiety disorder: the GAD-7.
 * Arch Intern Med 2006;166:1092–1097 (scoring as quoted at scales.arabpsychology.com "GAD-7 Anxiety
 * Severity" and inspq.qc.ca's GAD-7 information sheet).
 */
const GAD7: Measure = {
  code: "gad7",
  name: "GAD-7",
  title: "Generalized Anxiety Disorder scale (GAD-7): anxiety",
  prompt: "Over the last 2 weeks, how often have you been bothered by the following problems?",
  items: [
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid, as if something awful might happen",
  ].map((text, i) => ({ n: String(i + 1), text, choices: HOW_OFTEN })),
  bands: [
    { code: "minimal", label: "Minimal", min: 0, max: 4, color: "green" },
    { code: "mild", label: "Mild", min: 5, max: 9, color: "lime" },
    { code: "moderate", label: "Moderate", min: 10, max: 14, color: "orange" },
    { code: "severe", label: "Severe", min: 15, max: 21, color: "red" },
  ],
  maxTotal: 21,
  source: "Spitzer, Kroenke, Williams & Löwe 2006",
};

const AUDIT_FREQUENCY = choices(["Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily"]);
// Items 9 and 10 have three answers scored 0, 2 and 4 (WHO 2001, "Scoring the AUDIT").
const AUDIT_EVER = choices(["No", "Yes, but not in the last year", "Yes, during the last year"], [0, 2, 4]);

/**
 * AUDIT: items 1–8 scored 0–4, items 9 and 10 scored 0, 2 or 4; total 0–40. Risk zones: I 0–7 low
 * risk, II 8–15 hazardous, III 16–19 harmful, IV 20–40 possible dependence. Source: Babor TF,
 * Higgins-Biddle JC, Saunders JB, Monteiro MG. AUDIT: The Alcohol Use Disorders Identification
 * Test. Guidelines for Use in Primary Care, 2nd ed. WHO/MSD/MSB/01.6a, Geneva: WHO 2001 (zones as
 * reproduced at comorbidityguidelines.org.au "AUDIT scoring"). Free to use (WHO).
 */
const AUDIT: Measure = {
  code: "audit",
  name: "AUDIT",
  title: "Alcohol Use Disorders Identification Test (AUDIT)",
  prompt: "These questions are about drinks containing alcohol. Think about the last year unless a question says otherwise.",
  items: [
    {
      n: "1",
      text: "How often do you have a drink containing alcohol?",
      choices: choices(["Never", "Monthly or less", "2 to 4 times a month", "2 to 3 times a week", "4 or more times a week"]),
    },
    {
      n: "2",
      text: "How many drinks containing alcohol do you have on a typical day when you are drinking?",
      choices: choices(["1 or 2", "3 or 4", "5 or 6", "7, 8 or 9", "10 or more"]),
    },
    { n: "3", text: "How often do you have six or more drinks on one occasion?", choices: AUDIT_FREQUENCY },
    { n: "4", text: "How often during the last year have you found that you were not able to stop drinking once you had started?", choices: AUDIT_FREQUENCY },
    { n: "5", text: "How often during the last year have you failed to do what was normally expected of you because of drinking?", choices: AUDIT_FREQUENCY },
    {
      n: "6",
      text: "How often during the last year have you needed a first drink in the morning to get yourself going after a heavy drinking session?",
      choices: AUDIT_FREQUENCY,
    },
    { n: "7", text: "How often during the last year have you had a feeling of guilt or remorse after drinking?", choices: AUDIT_FREQUENCY },
    {
      n: "8",
      text: "How often during the last year have you been unable to remember what happened the night before because you had been drinking?",
      choices: AUDIT_FREQUENCY,
    },
    { n: "9", text: "Have you or someone else been injured as a result of your drinking?", choices: AUDIT_EVER },
    {
      n: "10",
      text: "Has a relative, friend, doctor or other health worker been concerned about your drinking or suggested you cut down?",
      choices: AUDIT_EVER,
    },
  ],
  bands: [
    { code: "zone1", label: "Zone I: low risk", min: 0, max: 7, color: "green" },
    { code: "zone2", label: "Zone II: hazardous", min: 8, max: 15, color: "yellow" },
    { code: "zone3", label: "Zone III: harmful", min: 16, max: 19, color: "orange" },
    { code: "zone4", label: "Zone IV: possible dependence", min: 20, max: 40, color: "red" },
  ],
  maxTotal: 40,
  source: "WHO AUDIT manual, Babor et al. 2001",
};

const YES_NO = choices(["No", "Yes"]);
// Keyed for "No": a "No" scores 1 and a "Yes" 0.
const YES_NO_REVERSED = choices(["No", "Yes"], [1, 0]);

/**
 * DAST-10: ten yes/no items about drug use (not alcohol) in the past 12 months; "Yes" scores 1,
 * except item 3 ("Are you always able to stop using drugs when you want to?"), where "No" scores 1.
 * Total 0–10: 0 no problems, 1–2 low, 3–5 moderate, 6–8 substantial, 9–10 severe. Source: Skinner HA.
 * The Drug Abuse Screening Test. Addict Behav 1982;7(4):363–371; DAST-10 key as printed at
 * comorbidityguidelines.org.au "DAST-10: scoring and interpretation" (Table 69).
 * Checked against the brief's "items 4 and 5 reverse-scored": that is the 20-item DAST, whose items
 * 4 and 5 are "Can you get through the week without using drugs?" and "Are you always able to stop…";
 * in the 10-item version the only reverse-keyed item is 3 (nova.edu and mhscales.com list the items).
 * © 1982 Harvey A. Skinner and CAMH; reproduced for non-commercial clinical use with credit.
 */
const DAST10: Measure = {
  code: "dast10",
  name: "DAST-10",
  title: "Drug Abuse Screening Test (DAST-10)",
  prompt:
    "These questions are about drug use in the past 12 months, not alcohol or tobacco: prescribed or over-the-counter drugs used beyond the directions, and any non-medical use of drugs.",
  items: [
    "Have you used drugs other than those required for medical reasons?",
    "Do you use more than one drug at a time?",
    "Are you always able to stop using drugs when you want to?",
    "Have you had “blackouts” or “flashbacks” as a result of drug use?",
    "Do you ever feel bad or guilty about your drug use?",
    "Does your spouse (or parents) ever complain about your involvement with drugs?",
    "Have you neglected your family because of your use of drugs?",
    "Have you engaged in illegal activities in order to obtain drugs?",
    "Have you ever experienced withdrawal symptoms (felt sick) when you stopped taking drugs?",
    "Have you had medical problems as a result of your drug use (for example memory loss, hepatitis, convulsions, bleeding)?",
  ].map((text, i) => ({ n: String(i + 1), text, choices: i === 2 ? YES_NO_REVERSED : YES_NO })),
  bands: [
    { code: "none", label: "No problems reported", min: 0, max: 0, color: "green" },
    { code: "low", label: "Low level", min: 1, max: 2, color: "lime" },
    { code: "moderate", label: "Moderate level", min: 3, max: 5, color: "yellow" },
    { code: "substantial", label: "Substantial level", min: 6, max: 8, color: "orange" },
    { code: "severe", label: "Severe level", min: 9, max: 10, color: "red" },
  ],
  maxTotal: 10,
  source: "Skinner 1982",
};

const DAYS = choices(["0 days", "1–3 days", "4–8 days", "9–15 days", "16–30 days"]);
const HOW_MUCH = choices(["Not at all", "Slightly", "Moderately", "Considerably", "Extremely"]);

/**
 * Brief Addiction Monitor (BAM), the VA's 17-item past-30-days monitor in its scored (0–4) form.
 * No total is used: three subscales are. Use = items 4, 5, 6; Risk = items 1, 2, 3, 8, 11, 15;
 * Protective = items 9, 10, 12, 13, 14, 16. Item 7 (7A–7G, which drugs) only elaborates item 6 and
 * item 17 (satisfaction with progress) is in no subscale: item 7 is not asked here, item 17 is
 * asked and kept but not scored. Sources: Cacciola JS et al. Development and initial evaluation of
 * the Brief Addiction Monitor. J Subst Abuse Treat 2013;44(3):256–263 (PMC3602977); VISN 4 MIRECC
 * BAM scoring (items per subscale, as summarised at flutter.super.site "Brief Addiction Monitor"
 * and hyperqbank.com "BAM"). Clinically significant cut-offs (ebchelp.blueprint.ai "Brief Addiction
 * Monitor"): Use 1 or more, Risk 12 or more, Protective 12 or below. Items 9, 12 and 16 count
 * toward protection; item 14 (enough income) scores 4 for "Yes" and 0 for "No". Item wording is
 * paraphrased as short labels.
 */
const BAM: Measure = {
  code: "bam",
  name: "BAM",
  title: "Brief Addiction Monitor (BAM)",
  prompt: "These questions are about the past 30 days.",
  items: [
    {
      n: "1",
      text: "How would you say your physical health has been?",
      choices: choices(["Excellent", "Very good", "Good", "Fair", "Poor"]),
      subscale: "risk",
    },
    { n: "2", text: "How many nights did you have trouble falling asleep or staying asleep?", choices: DAYS, subscale: "risk" },
    { n: "3", text: "How many days have you felt depressed, anxious, angry or very upset?", choices: DAYS, subscale: "risk" },
    { n: "4", text: "How many days did you drink any alcohol?", choices: DAYS, subscale: "use" },
    { n: "5", text: "How many days did you have at least 5 drinks (men) or 4 drinks (women)?", choices: DAYS, subscale: "use" },
    { n: "6", text: "How many days did you use any illegal or street drugs, or misuse any prescription medication?", choices: DAYS, subscale: "use" },
    { n: "8", text: "How much have you been bothered by cravings or urges to drink alcohol or use drugs?", choices: HOW_MUCH, subscale: "risk" },
    {
      n: "9",
      text: "How confident are you in your ability to stay completely away from alcohol and drugs in the next 30 days?",
      choices: HOW_MUCH,
      subscale: "protective",
    },
    { n: "10", text: "How many days did you attend self-help meetings (such as AA or NA) to support your recovery?", choices: DAYS, subscale: "protective" },
    {
      n: "11",
      text: "How many days were you in situations or with people that might put you at an increased risk for using?",
      choices: DAYS,
      subscale: "risk",
    },
    { n: "12", text: "Does your religion or spirituality help support your recovery?", choices: HOW_MUCH, subscale: "protective" },
    { n: "13", text: "How many days did you spend much of the time at work, school, or doing volunteer work?", choices: DAYS, subscale: "protective" },
    {
      n: "14",
      text: "Do you have enough income from legal sources to pay for necessities such as housing, transportation, food and clothing?",
      choices: choices(["No", "Yes"], [0, 4]),
      subscale: "protective",
    },
    { n: "15", text: "How much have you been bothered by arguments or problems getting along with family or friends?", choices: HOW_MUCH, subscale: "risk" },
    {
      n: "16",
      text: "How many days were you in contact with or spent time with family or friends who support your recovery?",
      choices: DAYS,
      subscale: "protective",
    },
    { n: "17", text: "How satisfied are you with your progress toward your recovery goals?", choices: HOW_MUCH },
  ],
  bands: [],
  maxTotal: null,
  source: "Cacciola et al. 2013; VA VISN 4 MIRECC",
};

export const BAM_SUBSCALES: Record<BamSubscale, { label: string; max: number; concern: (score: number) => boolean; concernLabel: string }> = {
  use: { label: "Use", max: 12, concern: (s) => s >= 1, concernLabel: "any use" },
  risk: { label: "Risk factors", max: 24, concern: (s) => s >= 12, concernLabel: "12 or more" },
  protective: { label: "Protective factors", max: 24, concern: (s) => s <= 12, concernLabel: "12 or below" },
};

export const MEASURES: Record<MeasureCode, Measure> = { phq9: PHQ9, gad7: GAD7, audit: AUDIT, dast10: DAST10, bam: BAM };

/**
 * The smallest change in a total that counts as clinically meaningful, for the outcomes report.
 * PHQ-9: 5 points — Löwe B, Unützer J, Callahan CM, Perkins AJ, Kroenke K. Monitoring depression
 * treatment outcomes with the PHQ-9. Med Care 2004;42:1194–1201 (cited with Kroenke 2001 in the
 * ementalhealth.ca scoring key). GAD-7: 4 points — Toussaint A et al. Sensitivity to change and
 * minimal clinically important difference of the GAD-7. J Affect Disord 2020;265:395–401 ("MCID was
 * estimated 4 points"). AUDIT, DAST-10 and the BAM: no published minimal clinically important
 * difference was found, so none is claimed (null); a report should count a move to a lower band
 * (AUDIT zone, DAST-10 level) or out of a BAM subscale's concern range instead.
 */
export const MEANINGFUL_CHANGE: Record<MeasureCode, { points: number | null; source: string }> = {
  phq9: { points: 5, source: "Löwe et al. 2004, Med Care 42:1194" },
  gad7: { points: 4, source: "Toussaint et al. 2020, J Affect Disord 265:395" },
  audit: { points: null, source: "No published MCID; count a move to a lower zone" },
  dast10: { points: null, source: "No published MCID; count a move to a lower level" },
  bam: { points: null, source: "No published MCID; read each subscale against its cut-off" },
};

/** Answers as stored: item number -> index of the chosen answer. */
export type Answers = Record<string, number>;

export interface Score {
  complete: boolean;
  /** Null when any item is missing, and always for the BAM (read by subscale). */
  total: number | null;
  band: string | null;
  /** BAM subscales (each null when one of its items is missing). */
  subscales: Record<BamSubscale, number | null> | null;
  /** Item numbers left unanswered. */
  missing: string[];
  /** PHQ-9 item 9 answered above 0: a safety check is needed, whatever else is missing. */
  safetyConcern: boolean;
}

/** Why answers are refused: an item that is not on the measure, or an answer that is not one of its choices. */
export function answerErrors(code: MeasureCode, answers: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  const items = new Map(MEASURES[code].items.map((i) => [i.n, i]));
  for (const [n, value] of Object.entries(answers)) {
    const item = items.get(n);
    if (!item) errors[n] = `Question ${n} is not on the ${MEASURES[code].name}.`;
    else if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= item.choices.length)
      errors[n] = `Question ${n}: choose one of its ${item.choices.length} answers.`;
  }
  return errors;
}

export function bandOf(code: MeasureCode, total: number | null): Band | null {
  if (total === null) return null;
  return MEASURES[code].bands.find((b) => total >= b.min && total <= b.max) ?? null;
}

/** Scores answers by the measure's published key. Answers must have passed `answerErrors`. */
export function scoreMeasure(code: MeasureCode, answers: Answers): Score {
  const measure = MEASURES[code];
  const points = (item: Item): number | null => {
    const a = answers[item.n];
    return a === undefined || a === null ? null : item.choices[a].points;
  };
  const missing = measure.items.filter((i) => points(i) === null).map((i) => i.n);
  const complete = missing.length === 0;
  const safetyConcern = code === "phq9" && (answers[PHQ9_SAFETY_ITEM] ?? 0) > 0;
  if (code === "bam") {
    const sub = (s: BamSubscale): number | null => {
      const scores = measure.items.filter((i) => i.subscale === s).map(points);
      return scores.some((p) => p === null) ? null : scores.reduce<number>((a, b) => a + (b ?? 0), 0);
    };
    const subscales = { use: sub("use"), risk: sub("risk"), protective: sub("protective") };
    return { complete, total: null, band: complete ? bamBand(subscales) : null, subscales, missing, safetyConcern };
  }
  const total = complete ? measure.items.reduce((sum, i) => sum + (points(i) ?? 0), 0) : null;
  return { complete, total, band: bandOf(code, total)?.code ?? null, subscales: null, missing, safetyConcern };
}

/** The BAM's "band": whether any subscale is in its range of clinical concern. */
function bamBand(s: Record<BamSubscale, number | null>): string {
  const concerns = (Object.keys(BAM_SUBSCALES) as BamSubscale[]).filter((k) => s[k] !== null && BAM_SUBSCALES[k].concern(s[k]!));
  return concerns.length ? "concern" : "no_concern";
}

/** The BAM subscales in their range of concern, in words. */
export function bamConcerns(s: Record<BamSubscale, number | null> | null): string[] {
  if (!s) return [];
  return (Object.keys(BAM_SUBSCALES) as BamSubscale[]).filter((k) => s[k] !== null && BAM_SUBSCALES[k].concern(s[k]!)).map((k) => BAM_SUBSCALES[k].label);
}

/** A stored band code in words. */
export function bandLabel(code: MeasureCode, band: string | null): string {
  if (band === null) return "Incomplete";
  if (code === "bam") return band === "concern" ? "Needs attention" : "No subscale of concern";
  return MEASURES[code].bands.find((b) => b.code === band)?.label ?? band;
}

export function bandColor(code: MeasureCode, band: string | null): string {
  if (band === null) return "gray";
  if (code === "bam") return band === "concern" ? "orange" : "green";
  return MEASURES[code].bands.find((b) => b.code === band)?.color ?? "gray";
}

// ---------------------------------------------------------------------------------------------
// When a measure is due

/** The program setting that spaces repeat measures, read from program_settings. */
export const MEASURE_INTERVAL_KEY = "measure_interval_days";
export const DEFAULT_MEASURE_INTERVAL_DAYS = 30;
/** Days after a due date before it counts as overdue (and, after discharge, as missed). */
export const MEASURE_GRACE_DAYS = 7;

/** The bounds an admin may set the interval to: a week at least (the grace period), a quarter at most. */
export const MEASURE_INTERVAL_MIN_DAYS = 7;
export const MEASURE_INTERVAL_MAX_DAYS = 90;

/** The setting's stored text as a number of days: a whole number from 7 to 90, else the default. */
export function measureIntervalDays(stored: string | null | undefined): number {
  const n = Number(stored);
  return Number.isInteger(n) && n >= MEASURE_INTERVAL_MIN_DAYS && n <= MEASURE_INTERVAL_MAX_DAYS ? n : DEFAULT_MEASURE_INTERVAL_DAYS;
}

export type DueState = "upcoming" | "due" | "overdue" | "done" | "missed";
export type DueReason = "intake" | "interval" | "discharge";
export interface Due {
  state: DueState;
  reason: DueReason;
  dueOn: string;
}

/**
 * When a measure is next due in the current episode: at intake (the admission day) if it has not
 * been given since admission; then `intervalDays` after the last time it was given; and at
 * discharge, unless it was given in the week before. Due from the due date, overdue
 * `MEASURE_GRACE_DAYS` after it; a discharge measure not given by then is missed.
 */
export function measureDue(input: {
  admittedOn: string;
  dischargedOn: string | null;
  /** The latest day the measure was given (any completeness), or null. */
  lastOn: string | null;
  today: string;
  intervalDays: number;
}): Due {
  const { admittedOn, dischargedOn, today, intervalDays } = input;
  const last = input.lastOn && input.lastOn >= admittedOn ? input.lastOn : null;
  const state = (dueOn: string): DueState => (today < dueOn ? "upcoming" : daysBetween(dueOn, today) <= MEASURE_GRACE_DAYS ? "due" : "overdue");
  if (dischargedOn) {
    const given = last !== null && last >= addDays(dischargedOn, -MEASURE_GRACE_DAYS);
    if (given) return { state: "done", reason: "discharge", dueOn: dischargedOn };
    return { state: daysBetween(dischargedOn, today) <= MEASURE_GRACE_DAYS ? "due" : "missed", reason: "discharge", dueOn: dischargedOn };
  }
  if (last === null) return { state: state(admittedOn), reason: "intake", dueOn: admittedOn };
  const dueOn = addDays(last, intervalDays);
  return { state: state(dueOn), reason: "interval", dueOn };
}

/** How far ahead Home's worklist looks: a measure due within this many days is listed as due. */
export const DUE_SOON_DAYS = 7;

export type WorklistState = "due" | "overdue";

/**
 * Whether a measure belongs on Home's worklist: overdue (more than `MEASURE_GRACE_DAYS` past its
 * due date), or due (its due date is within the next `DUE_SOON_DAYS` days, today, or passed but
 * still inside the grace period). Null when it is not due yet, was given at discharge, or was missed.
 */
export function worklistState(due: Due, today: string): WorklistState | null {
  if (due.state === "overdue") return "overdue";
  if (due.state === "due") return "due";
  if (due.state === "upcoming" && daysBetween(today, due.dueOn) <= DUE_SOON_DAYS) return "due";
  return null;
}

/** How late a measure is (days from its due date to today, negative while ahead), in words: "in 3 days", "today", "2 days late". */
export function lateness(late: number): string {
  if (late === 0) return "today";
  if (late < 0) return late === -1 ? "tomorrow" : `in ${-late} days`;
  return late === 1 ? "1 day late" : `${late} days late`;
}

export const DUE_LABELS: Record<DueState, string> = {
  upcoming: "Next due",
  due: "Due",
  overdue: "Overdue",
  done: "Given at discharge",
  missed: "Missed at discharge",
};

// ---------------------------------------------------------------------------------------------
// Safety checks

export const RISK_LEVELS = { low: "Low", moderate: "Moderate", high: "High", imminent: "Imminent" } as const;
export type RiskLevel = keyof typeof RISK_LEVELS;
