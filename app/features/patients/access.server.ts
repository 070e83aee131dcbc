import { data } from "@remix-run/node";
import { recordAudit } from "~/features/audit/audit.server";
import { activeEmergencyAccess, type EmergencyGrant } from "~/features/auth/emergency-access.server";
import { type Authorized, forbidden, type RequestArgs, requireUser } from "~/features/auth/guard.server";
import { can, type Permission } from "~/features/auth/permissions";
import { siteZone, todayIn } from "~/kernel/time";
import { chartHeader } from "./caseload.server";

export type ChartAccess = Authorized & {
  patientId: string;
  header: NonNullable<Awaited<ReturnType<typeof chartHeader>>>;
  today: string;
  clinical: boolean;
  canWrite: boolean;
  /** Set when the chart is open only through emergency access: read-only, every view audited. */
  emergency: EmergencyGrant | null;
};

/**
 * What emergency access can unlock: reading a chart, never changing it. The measures section is
 * among them because its open safety flags (PHQ-9 item 9) and recent scores are what a clinician
 * meeting the patient in a crisis most needs; its forms stay closed (GET only, and no write).
 */
const EMERGENCY_READS = new Set<Permission>(["read:patients", "read:patient-clinical", "record:drug-tests", "enter:measures"]);

/**
 * The gate of every chart page: the user must hold `permission`, and the patient must be at one
 * of their sites — otherwise a 404 that does not say whether the id exists, and an audit record.
 * A person named for emergency access who has started one for this patient may read the chart
 * (GET only) for its hour, whatever their role and sites. With `section`, the view itself is
 * audited — as `patient.viewed_in_emergency` when it is seen under emergency access.
 */
export async function requirePatient(
  args: RequestArgs & { params: { patientId?: string } },
  permission: Permission,
  section: string | null,
): Promise<ChartAccess> {
  const auth = await requireUser(args, null);
  const patientId = args.params.patientId ?? "";
  const today = todayIn(siteZone(auth.site));
  let header = await chartHeader(
    auth.db,
    patientId,
    auth.sites.map((s) => s.id),
    today,
  );
  const roleAllows = can(auth.user.role, permission);
  let emergency: EmergencyGrant | null = null;
  // Under emergency access when the chart is at another site, or the role cannot read it all.
  const fullChart = Boolean(header) && roleAllows && can(auth.user.role, "read:patient-clinical");
  if (!fullChart && auth.user.emergencyAccess && args.request.method === "GET" && EMERGENCY_READS.has(permission)) {
    emergency = await activeEmergencyAccess(auth.db, auth.user.id, patientId);
    if (emergency && !header) header = await chartHeader(auth.db, patientId, [emergency.siteId], today);
  }
  if (!roleAllows && !emergency) throw await forbidden(auth, args, permission);
  if (!header) {
    await recordAudit(auth.db, {
      actor: auth.user,
      action: "patient.not_found",
      outcome: "denied",
      entityType: "patient",
      entityId: patientId.slice(0, 64),
      detail: { path: new URL(args.request.url).pathname.slice(0, 200) },
      meta: auth.meta,
    });
    throw data({ message: "There is no patient with that id at your sites." }, { status: 404 });
  }
  if ((section || emergency) && args.request.method === "GET") {
    await recordAudit(auth.db, {
      actor: auth.user,
      action: emergency ? "patient.viewed_in_emergency" : "patient.viewed",
      entityType: "patient",
      entityId: patientId,
      patientId,
      siteId: header.siteId,
      detail: emergency
        ? { section: section ?? "chart", emergencyAccessId: emergency.id, path: new URL(args.request.url).pathname.slice(0, 200) }
        : { section },
      meta: auth.meta,
    });
  }
  const sites =
    emergency && !auth.sites.some((s) => s.id === header.siteId)
      ? [...auth.sites, { id: header.siteId, name: header.identity.siteName, time_zone: header.timeZone }]
      : auth.sites;
  return {
    ...auth,
    sites,
    patientId,
    header,
    today: todayIn(header.timeZone),
    clinical: emergency ? true : can(auth.user.role, "read:patient-clinical"),
    canWrite: emergency ? false : can(auth.user.role, "write:patients"),
    emergency,
  };
}
