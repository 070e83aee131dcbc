/**
 * Views of lists that say who is a patient. Under 42 CFR Part 2 the fact that someone is a patient
 * of a substance-use program is itself protected (§ 2.11, "patient identifying information"; § 2.12),
 * and HIPAA 164.312(b) asks for audit controls over who accessed ePHI. A chart view is audited per
 * patient (`patient.viewed`); a list is audited per VIEW, cheaply: one `patient_list.viewed` row
 * naming the list, its site, its filters and page, and how many patients it showed — never one row
 * per patient. An empty result is audited too: a search that finds no one still asked whether
 * someone is a patient.
 */
import type { DB } from "~/kernel/db";
import type { ClientMeta } from "~/utils/request.server";
import { recordAudit } from "./audit.server";
import { PATIENT_LISTS, type PatientListKind } from "./list-kinds";

export const PATIENT_LIST_VIEWED = "patient_list.viewed";

export { PATIENT_LISTS, type PatientListKind };

export interface PatientListView {
  kind: PatientListKind;
  siteId: string | null;
  /** Filters, search terms, date and page, as the reader chose them (and the session or draw the list belongs to). */
  filters?: Record<string, string | number | null | undefined>;
  /** How many patients the view showed. */
  shown: number;
}

export async function recordPatientListView(db: DB, actor: { id: string; name: string }, view: PatientListView, meta: ClientMeta): Promise<void> {
  const filters = Object.fromEntries(Object.entries(view.filters ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  await recordAudit(db, {
    actor,
    action: PATIENT_LIST_VIEWED,
    entityType: "patient_list",
    entityId: view.kind,
    siteId: view.siteId,
    detail: { list: view.kind, filters, shown: view.shown },
    meta,
  });
}
