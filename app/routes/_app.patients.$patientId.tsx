import { Alert, Anchor, Badge, Group, Paper, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { GroupedSectionTabs } from "~/components/section-tabs";
import { requirePatient } from "~/features/patients/access.server";
import { PatientFlags, StatusBadge } from "~/features/patients/components/flags";
import { attendanceFlags } from "~/features/attendance/attendance.server";
import { unexpectedResultFlags } from "~/features/drug-testing/alerts.server";
import { formatInstant, shortDateOr, shortDate } from "~/kernel/time";
import { openSafetyFlagCount } from "~/features/measures/measures.server";
import { can, type Permission } from "~/features/auth/permissions";

// The MRN, never the name: a title ends up in browser history, on tabs and on shared screens
// (issue 16, 7e). Every chart tab inherits it.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Patient ${data.identity.mrn}` : "Patient"} · IOP Dashboard` }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, patientId, header, clinical, emergency } = await requirePatient(args, "read:patients", null);
  // Staff see who the patient is; the clinical header is for counselors and admins only.
  const flags = clinical ? (await attendanceFlags(db, [patientId], header.timeZone)).get(patientId) : undefined;
  const results = clinical ? (await unexpectedResultFlags(db, [patientId])).get(patientId) : undefined;
  const safetyFlags = clinical ? await openSafetyFlagCount(db, patientId) : 0;
  return {
    identity: header.identity,
    clinical: clinical ? header.clinical : null,
    emergency: emergency ? { until: formatInstant(emergency.expiresAt, header.timeZone), reason: emergency.reason } : null,
    safetyFlags,
    role: user.role,
    alerts: { belowRequired: flags?.belowRequired ?? false, missedSessions: flags?.missedSessions ?? false, unexpectedResults: results?.count ?? 0 },
  };
}

/** The chart's groups of sections, in order; a group shows only the sections the reader may see. */
const GROUPS = [
  { id: "overview", label: "Overview" },
  { id: "program", label: "Program" },
  { id: "clinical", label: "Clinical record" },
  { id: "privacy", label: "Privacy & records" },
] as const;

// One entry per chart route; a new one names its group. Assessments, Measures and Plan belong in
// "clinical", after Diagnoses. Within a group, sections show in this order.
// `permission`: a section whose page asks more than "read:patients" shows only to roles holding it
// (billing staff never see the drug-test or measures tabs).
const SECTIONS: { to: string; label: string; clinical: boolean; permission?: Permission; group: (typeof GROUPS)[number]["id"] }[] = [
  { to: "", label: "Overview", clinical: false, group: "overview" },
  { to: "schedule", label: "Schedule", clinical: false, group: "program" },
  { to: "attendance", label: "Attendance", clinical: false, group: "program" },
  { to: "drug-tests", label: "Drug tests", clinical: false, permission: "record:drug-tests", group: "program" },
  // Payers, authorizations and Medicare certifications: the roles with "read:coverage" (admin, counselor, billing).
  { to: "coverage", label: "Coverage", clinical: false, permission: "read:coverage", group: "program" },
  { to: "diagnoses", label: "Diagnoses", clinical: true, group: "clinical" },
  { to: "assessments", label: "Assessments", clinical: true, group: "clinical" },
  // Staff open Measures to enter answers a patient gives them; they see no score there.
  { to: "measures", label: "Measures", clinical: false, permission: "enter:measures", group: "clinical" },
  { to: "plan", label: "Plan", clinical: true, group: "clinical" },
  // Read with "read:notes" (admins and counselors, the same roles as clinical): staff never see it.
  { to: "notes", label: "Notes", clinical: true, group: "clinical" },
  { to: "mat", label: "MAT", clinical: true, group: "clinical" },
  { to: "care", label: "Level of care", clinical: true, group: "clinical" },
  { to: "discharge", label: "Discharge", clinical: true, group: "clinical" },
  { to: "consents", label: "Consents", clinical: true, group: "privacy" },
  { to: "disclosures", label: "Disclosures", clinical: true, group: "privacy" },
  { to: "amendments", label: "Amendments", clinical: true, group: "privacy" },
  { to: "history", label: "Chart history", clinical: true, group: "privacy" },
];

/**
 * Whether a section's link shows: one asking more than "read:patients" shows to the roles holding
 * it; emergency access opens the clinical sections, never the coverage one (its page still asks
 * "read:coverage").
 */
function sectionOpen(permission: Permission | undefined, role: Parameters<typeof can>[0], emergency: boolean): boolean {
  if (!permission) return true;
  if (permission === "read:coverage") return can(role, permission);
  return emergency || can(role, permission);
}

export default function PatientChart() {
  const { identity, clinical, alerts, emergency, safetyFlags, role } = useLoaderData<typeof loader>();
  const base = `/patients/${identity.id}`;
  const { pathname } = useLocation();
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/patients" size="sm">
        ← Patients
      </Anchor>
      {emergency ? (
        <Alert color="red.9" variant="filled" title="Emergency access" role="status">
          You are reading this chart under emergency access until {emergency.until}. Nothing can be changed under it, and every page you open is recorded for
          the program's admins. Your reason: “{emergency.reason}”
        </Alert>
      ) : null}
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Group gap="sm" align="baseline">
              <Title order={1} size="h2">
                {identity.name}
              </Title>
              {identity.preferredName ? <Text c="dimmed">goes by {identity.preferredName}</Text> : null}
            </Group>
            <Group gap="md" mt={4}>
              <Text size="sm">
                <b>MRN</b> {identity.mrn}
              </Text>
              {clinical ? (
                <Text size="sm">
                  <b>Age</b> {clinical.age}
                  {clinical.adolescent ? " (adolescent)" : ""}
                </Text>
              ) : null}
              <Text size="sm">
                <b>Track</b> {identity.track ?? "not set"}
              </Text>
              {clinical ? (
                <Text size="sm">
                  <b>Counselor</b> {clinical.counselor ?? "not assigned"}
                </Text>
              ) : null}
              <StatusBadge status={identity.status} />
            </Group>
          </div>
          {clinical ? (
            <Stack gap={4} align="flex-end">
              <Badge size="lg" variant="light" aria-label={`Level of care ${clinical.levelOfCare}`}>
                {clinical.levelOfCare}
              </Badge>
              <Text size="xs" c="dimmed">
                {identity.status === "discharged"
                  ? `Discharged ${shortDateOr(clinical.dischargedOn)}`
                  : `${clinical.levelOfCare} for ${clinical.daysAtLevel} ${clinical.daysAtLevel === 1 ? "day" : "days"} (since ${shortDate(clinical.levelSince)})`}
              </Text>
              <PatientFlags dualDiagnosis={clinical.dualDiagnosis} mat={clinical.mat} alerts={alerts} />
            </Stack>
          ) : null}
        </Group>
        {clinical && !clinical.part2NoticeOn && identity.status !== "discharged" ? (
          <Alert color="orange" mt="sm" py={6}>
            No 42 CFR Part 2 notice of confidentiality is recorded for this patient. Give it and record the date on the overview.
          </Alert>
        ) : null}
      </Paper>
      {safetyFlags ? (
        <Alert color="red.9" variant="filled" title="Safety flag open" role="alert">
          PHQ-9 item 9 was answered above 0 and no safety check is recorded yet.{" "}
          <Anchor component={Link} to={`${base}/measures`} c="white" fw={700} underline="always">
            Record the safety check on Measures
          </Anchor>
          .
        </Alert>
      ) : null}
      <GroupedSectionTabs
        label="Chart sections"
        className="no-print"
        groups={GROUPS.map((g) => ({
          label: g.label,
          tabs: SECTIONS.filter((s) => s.group === g.id && (!s.clinical || clinical) && sectionOpen(s.permission, role, Boolean(emergency))).map((s) => {
            const to = s.to ? `${base}/${s.to}` : base;
            return {
              to,
              label: s.label,
              active: pathname === to || (s.to === "" && pathname === `${base}/edit`) || (s.to !== "" && pathname.startsWith(`${to}/`)),
            };
          }),
        }))}
      />
      <Outlet />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
