/**
 * Billing's reports (issue 21, item 7), registered with the others in reports/registry.server.ts and
 * opened with "bill:claims" (admins and billing staff), not "read:reports": they carry payers,
 * authorizations and attended days, never a clinical measure.
 */
import type { ReportDefinition } from "~/features/reports/report";
import { BILLABLE_DAY_RULES } from "~/features/attendance/rules";
import { AUTHORIZATION_STATUSES, UNIT_KINDS, type AuthorizationSpan, usageFromUnits } from "./rules";
import { authorizationsWithUse } from "./authorizations.server";

/** Authorizations whose units were granted: requested and denied ones have nothing to use. */
const COUNTED = ["approved", "expired"] as const;

export const authorizationUseReport: ReportDefinition = {
  id: "authorization-use",
  title: "Authorization use",
  description: "Each authorization in the range: units approved, used from attended days, remaining and days left.",
  permission: "bill:claims",
  definition: [
    "One row per authorization (approved, or expired after approval) whose dates overlap the range, for patients at this site; requested and denied authorizations grant nothing and are left out.",
    `Units used are counted from the patient's attended days inside the authorization's dates at its level of care, up to today: a day uses units only when it is billable by its hours at that level (IOP from ${BILLABLE_DAY_RULES.IOP.minMinutes} attended minutes, PHP from ${BILLABLE_DAY_RULES.PHP.minMinutes}, OP never); a days authorization counts one unit per such day, a sessions authorization each session attended that day, an hours authorization the whole hours attended.`,
    "Remaining is approved minus used; below zero, the units are exceeded. Days left are the calendar days from today (or the start, when it is ahead) to the end, both included; 0 once it has ended.",
    "Used counts a day whether or not its note is signed yet: the service was delivered, and a note signed later must not move which days an authorization covers.",
    "The track filter keeps patients whose current track is that track; the counselor filter keeps patients whose primary counselor is that counselor.",
  ],
  async compute(db, p) {
    // Units used are kept as attendance is saved (authorization-use.server.ts), counted by this rule.
    let q = authorizationsWithUse(db)
      .innerJoin("patients as pt", "pt.id", "a.patient_id")
      .innerJoin("coverages as c", "c.id", "a.coverage_id")
      .innerJoin("payers as py", "py.id", "c.payer_id")
      .select([
        "a.id",
        "a.patient_id",
        "a.number",
        "a.level_of_care",
        "a.unit_kind",
        "a.units_approved",
        "a.starts_on",
        "a.ends_on",
        "a.status",
        "u.units_used",
        "pt.mrn",
        "pt.legal_first_name",
        "pt.legal_last_name",
        "py.name as payer",
      ])
      .where("pt.site_id", "=", p.siteId)
      .where("a.status", "in", COUNTED)
      .where("a.starts_on", "<=", p.to)
      .where("a.ends_on", ">=", p.from)
      .orderBy("a.ends_on")
      .orderBy("pt.legal_last_name")
      .orderBy("pt.legal_first_name")
      .orderBy("a.id");
    if (p.trackId) q = q.where("pt.track_id", "=", p.trackId);
    if (p.counselorId) q = q.where("pt.primary_counselor_id", "=", p.counselorId);
    const auths = await q.execute();
    let approved = 0;
    let used = 0;
    let exceeded = 0;
    const rows = auths.map((a) => {
      const span: AuthorizationSpan = {
        id: a.id,
        level: a.level_of_care,
        unitKind: a.unit_kind,
        unitsApproved: Number(a.units_approved),
        startsOn: a.starts_on,
        endsOn: a.ends_on,
        status: a.status,
      };
      const use = usageFromUnits(span, Number(a.units_used ?? 0), p.today);
      approved += span.unitsApproved;
      used += use.used;
      if (use.exceeded) exceeded++;
      return {
        patient: `${a.legal_last_name}, ${a.legal_first_name}`,
        mrn: a.mrn,
        payer: a.payer,
        number: a.number || null,
        level: a.level_of_care,
        unit: UNIT_KINDS[a.unit_kind],
        starts: a.starts_on,
        ends: a.ends_on,
        status: AUTHORIZATION_STATUSES[a.status],
        approved: span.unitsApproved,
        used: use.used,
        remaining: use.remaining,
        daysLeft: use.daysLeft,
        state: use.exceeded ? "Units exceeded" : use.remaining === 0 ? "Used up" : use.daysLeft === 0 ? "Ended" : "In use",
      };
    });
    return {
      columns: [
        { key: "patient", label: "Patient" },
        { key: "mrn", label: "MRN" },
        { key: "payer", label: "Payer" },
        { key: "number", label: "Authorization" },
        { key: "level", label: "Level" },
        { key: "unit", label: "Units in" },
        { key: "starts", label: "Starts", kind: "date" },
        { key: "ends", label: "Ends", kind: "date" },
        { key: "status", label: "Status" },
        { key: "approved", label: "Approved", kind: "number" },
        { key: "used", label: "Used", kind: "number" },
        { key: "remaining", label: "Remaining", kind: "number" },
        { key: "daysLeft", label: "Days left", kind: "number" },
        { key: "state", label: "State" },
      ],
      rows,
      summary: `${rows.length} ${rows.length === 1 ? "authorization" : "authorizations"}: ${approved} units approved, ${used} used${exceeded ? `; ${exceeded} exceeded` : ""}.`,
    };
  },
};
