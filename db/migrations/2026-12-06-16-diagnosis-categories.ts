/**
 * Diagnoses are classified for the dual-diagnosis flag by NSDUH's definitions (see
 * app/features/patients/diagnosis-category.ts): nicotine dependence (F17) is not a substance use
 * disorder, gambling disorder (F63.0) is neither half, and intellectual and developmental
 * disorders (F70–F89) are not mental illness. Stored rows written before this take their new kind.
 * The kind is derived from the code, not clinical content, so the chart's versions are unchanged.
 *
 * Frozen in time: imports only Kysely.
 */
import type { Kysely } from "kysely";

const RECLASSIFIED: { category: string; like: string[] }[] = [
  { category: "nicotine", like: ["F17%"] },
  { category: "behavioral_addiction", like: ["F63.0%"] },
  { category: "developmental", like: ["F7%", "F8%"] },
];

export async function up(db: Kysely<any>): Promise<void> {
  // The network-scale benchmark dataset once wrote "substance_use", a kind the app never reads.
  await db.updateTable("patient_diagnoses").set({ category: "substance" }).where("category", "=", "substance_use").execute();
  for (const { category, like } of RECLASSIFIED) {
    await db
      .updateTable("patient_diagnoses")
      .set({ category })
      .where((eb) => eb.or(like.map((pattern) => eb("code", "like", pattern))))
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.updateTable("patient_diagnoses").set({ category: "substance" }).where("category", "=", "nicotine").execute();
  await db.updateTable("patient_diagnoses").set({ category: "mental_health" }).where("category", "in", ["behavioral_addiction", "developmental"]).execute();
}
