/**
 * The treatment-plan objectives a note can say it addressed: those of each patient's ACTIVE plan,
 * read through the plans feature, keyed "p{problem}.o{objective}" (1-based) as the note stores them.
 */
import { planVersions } from "~/features/plans/plans.server";
import type { Queryable } from "~/kernel/db";
import { NOTE_LIMITS } from "./rules";

export interface PlanObjective {
  key: string;
  /** The problem it belongs to, and the objective itself. */
  problem: string;
  text: string;
}

/** Each patient's active-plan objectives (none when they have no active plan), at most NOTE_LIMITS.objectives each. */
export async function activeObjectives(db: Queryable, patientIds: readonly string[]): Promise<Record<string, PlanObjective[]>> {
  const out: Record<string, PlanObjective[]> = {};
  for (const patientId of patientIds.slice(0, 100)) {
    const active = (await planVersions(db, patientId)).find((v) => v.status === "active");
    const list: PlanObjective[] = [];
    active?.content.problems.forEach((p, pi) =>
      p.objectives.forEach((o, oi) => {
        if (o.text.trim()) list.push({ key: `p${pi + 1}.o${oi + 1}`, problem: p.statement, text: o.text });
      }),
    );
    out[patientId] = list.slice(0, NOTE_LIMITS.objectives);
  }
  return out;
}
