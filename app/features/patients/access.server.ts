import { data } from "@remix-run/node";
import { recordAudit } from "~/features/audit/audit.server";
import { type Authorized, type RequestArgs, requireUser } from "~/features/auth/guard.server";
import { can, type Permission } from "~/features/auth/permissions";
import { todayIn } from "~/utils/time";
import { chartHeader } from "./caseload.server";

export type ChartAccess = Authorized & {
  patientId: string;
  header: NonNullable<Awaited<ReturnType<typeof chartHeader>>>;
  today: string;
  clinical: boolean;
  canWrite: boolean;
};

/**
 * The gate of every chart page: the user must hold `permission`, and the patient must be at one
 * of their sites — otherwise a 404 that does not say whether the id exists, and an audit record.
 * With `section`, the view itself is audited.
 */
export async function requirePatient(args: RequestArgs & { params: { patientId?: string } }, permission: Permission, section: string | null): Promise<ChartAccess> {
  const auth = await requireUser(args, permission);
  const patientId = args.params.patientId ?? "";
  const today = todayIn(auth.site?.time_zone ?? "UTC");
  const header = await chartHeader(auth.db, patientId, auth.sites.map((s) => s.id), today);
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
  if (section && args.request.method === "GET") {
    await recordAudit(auth.db, {
      actor: auth.user,
      action: "patient.viewed",
      entityType: "patient",
      entityId: patientId,
      patientId,
      siteId: header.siteId,
      detail: { section },
      meta: auth.meta,
    });
  }
  return {
    ...auth,
    patientId,
    header,
    today: todayIn(header.timeZone),
    clinical: can(auth.user.role, "read:patient-clinical"),
    canWrite: can(auth.user.role, "write:patients"),
  };
}
