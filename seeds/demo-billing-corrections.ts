/**
 * The demo clinic's corrected claim (issue 21, item 5's last part), through the repositories as
 * staff would make it: a counselor's roll-call correction shortens one claimed day below the hours
 * it needs, so the claim needs correction, and billing sends a replacement (frequency 7) carrying
 * the other days. Runs after the claims seed; does nothing when no claim of two days or more went out.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { getRollCall, saveRollCall } from "../app/features/attendance/attendance.server";
import { claimDetail, correctClaim } from "../app/features/billing/corrections.server";
import { newId } from "../app/utils/ids";
import type { DemoClinic } from "./demo";

const meta = { ip: null, userAgent: "demo seed" };
type Person = { id: string; name: string };

/** An original claim of the site not yet corrected, with two days or more, other than `except`; the newest batch's first. */
export async function claimToCorrect(db: Kysely<Database>, siteId: string, except: string[] = []): Promise<string | null> {
  const rows = await db
    .selectFrom("claims as cl")
    .innerJoin("claim_batches as b", "b.id", "cl.batch_id")
    .innerJoin("charges as c", "c.claim_id", "cl.id")
    .select(["cl.id", (eb) => eb.fn.countAll<number>().as("days")])
    .where("b.site_id", "=", siteId)
    .where("cl.frequency", "=", "1")
    .where("cl.status", "in", ["sent", "paid", "partly_paid", "denied"])
    .where("c.status", "in", ["exported", "paid", "denied"])
    .groupBy(["cl.id", "b.control_number", "cl.control"])
    .orderBy("b.control_number", "desc")
    .orderBy("cl.control")
    .execute();
  return rows.find((r) => Number(r.days) >= 2 && !except.includes(r.id))?.id ?? null;
}

/**
 * A roll-call correction, saved through the attendance repository, that leaves the claim's first day
 * 30 minutes short of what it needs: the longest session of that day is marked "left early" (or
 * absent). Returns the day, its attended minutes now and what it needs; null when the day has no attendance.
 */
export async function shortenClaimedDay(db: Kysely<Database>, actor: Person, siteId: string, claimId: string, reason: string, now = new Date()) {
  const charge = await db
    .selectFrom("charges as c")
    .leftJoin("fee_schedule as f", "f.id", "c.fee_schedule_id")
    .select(["c.patient_id", "c.service_date", "f.min_minutes"])
    .where("c.claim_id", "=", claimId)
    .where("c.status", "in", ["exported", "paid", "denied"])
    .orderBy("c.service_date")
    .executeTakeFirstOrThrow();
  const attended = await db
    .selectFrom("attendance")
    .select(["session_id", "minutes"])
    .where("patient_id", "=", charge.patient_id)
    .where("local_date", "=", charge.service_date)
    .where("status", "in", ["present", "late", "left_early"])
    .orderBy("minutes", "desc")
    .execute();
  const total = attended.reduce((n, a) => n + Number(a.minutes), 0);
  const need = Number(charge.min_minutes ?? 180);
  // A claim made without attendance (a test's fixture) has no roll call to correct.
  if (!attended.length) return null;
  const longest = attended[0];
  const left = Math.max(0, Number(longest.minutes) - (total - need + 30));
  const site = await db.selectFrom("sites").select(["id", "time_zone"]).where("id", "=", siteId).executeTakeFirstOrThrow();
  const roll = await getRollCall(db, longest.session_id, siteId);
  const saved = await saveRollCall(
    db,
    actor,
    longest.session_id,
    {
      version: roll!.session.rollVersion,
      marks: [{ patientId: charge.patient_id, status: left > 0 ? "left_early" : "absent_excused", mode: "in_person", minutes: left > 0 ? left : undefined }],
      reason,
    },
    site,
    meta,
    now,
  );
  if (!saved.ok) throw new Error(`demo roll-call correction refused: ${JSON.stringify(saved)}`);
  return { patientId: charge.patient_id, date: charge.service_date, minutes: total - Number(longest.minutes) + left, need };
}

export async function seedDemoBillingCorrections(db: Kysely<Database>, clinic: DemoClinic): Promise<void> {
  const claimId = await claimToCorrect(db, clinic.siteId);
  if (!claimId) return;
  const users = Object.values(clinic.users);
  const counselor = users.find((u) => u.role === "counselor") ?? users.find((u) => u.role === "admin")!;
  const biller = users.find((u) => u.role === "billing") ?? users.find((u) => u.role === "admin")!;
  const shortened = await shortenClaimedDay(
    db,
    { id: counselor.id, name: counselor.name },
    clinic.siteId,
    claimId,
    "Left for a medical appointment; the first roll call missed it.",
  );
  if (!shortened) return;
  const detail = await claimDetail(db, claimId, clinic.siteId);
  if (!detail) return;
  const r = await correctClaim(
    db,
    { id: biller.id, name: biller.name },
    clinic.siteId,
    { claimId, kind: "replace", basis: detail.basis, requestKey: newId() },
    meta,
  );
  if (!r.ok) throw new Error(`demo replacement claim refused: ${JSON.stringify(r)}`);
}
