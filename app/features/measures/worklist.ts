/** What Home shows about measures: the view types the worklist cards and the server share. */
import type { DueReason, MeasureCode, WorklistState } from "./rules";

/** One measure of one patient that is due or overdue. `daysLate` is negative while it is still ahead. */
export type WorklistItem = {
  patientId: string;
  name: string;
  mrn: string;
  code: MeasureCode;
  state: WorklistState;
  reason: DueReason;
  dueOn: string;
  daysLate: number;
};

export type CounselorCounts = { counselorId: string | null; counselor: string; due: number; overdue: number; safetyFlags: number };

export type OpenSafetyFlag = { patientId: string; name: string; mrn: string; openedOn: string; counselor: string | null };

export type MeasuresHome = {
  scope: "caseload" | "site";
  /** The site's days between repeat measures. */
  intervalDays: number;
  safetyFlags: OpenSafetyFlag[];
  /** A counselor's own list: the first items, and the totals behind them. */
  worklist: { items: WorklistItem[]; total: number; overdue: number; due: number } | null;
  /** An admin's counts per counselor at the site. */
  byCounselor: CounselorCounts[] | null;
  /** How many patients the page names (for the list-view audit row). */
  shown: number;
};
