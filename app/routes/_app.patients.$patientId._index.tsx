import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requirePatient } from "~/features/patients/access.server";
import { StatusForm } from "~/features/patients/components/status-form";
import { changeStatus, getPatientRow, statusHistory } from "~/features/patients/patients.server";
import { DETOX_STATUSES, PAYER_TYPES, SEXES, STATUS_LABELS, STATUS_TRANSITIONS, type PatientStatus } from "~/features/patients/rules";
import { statusChangeSchema } from "~/features/patients/schemas";
import { toastHeader } from "~/kernel/toast.server";
import { refusedReply } from "~/utils/forms.server";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requirePatient(args, "read:patients", "overview");
  const { db, header, clinical, canWrite, today } = access;
  if (!clinical) return { clinical: null, identity: header.identity, canWrite: false, today };
  const row = (await getPatientRow(db, access.patientId, [header.siteId]))!;
  const counselor = row.primary_counselor_id
    ? await db.selectFrom("users").select("name").where("id", "=", row.primary_counselor_id).executeTakeFirst()
    : undefined;
  return {
    identity: header.identity,
    canWrite,
    today,
    clinical: {
      version: row.version,
      status: row.status as PatientStatus,
      demographics: [
        ["Legal name", `${row.legal_first_name} ${row.legal_last_name}`],
        ["Preferred name", row.preferred_name],
        ["Date of birth", row.date_of_birth],
        ["Sex", SEXES[row.sex as keyof typeof SEXES] ?? row.sex],
        ["Gender identity", row.gender_identity],
        ["Preferred language", row.preferred_language],
        ["Phone", row.phone],
        ["Email", row.email],
        ["Address", row.address],
        [
          "Emergency contact",
          [row.emergency_contact_name, row.emergency_contact_relationship && `(${row.emergency_contact_relationship})`, row.emergency_contact_phone]
            .filter(Boolean)
            .join(" ") || null,
        ],
      ] as [string, string | null][],
      program: [
        ["Site", header.identity.siteName],
        ["Primary counselor", counselor?.name ?? null],
        ["Track", header.identity.track],
        ["Payer", [PAYER_TYPES[row.payer_type as keyof typeof PAYER_TYPES], row.payer_plan].filter(Boolean).join(" — ")],
        ["Member id", row.payer_member_id],
        ["Detox", `${DETOX_STATUSES[row.detox_status as keyof typeof DETOX_STATUSES]}${row.detox_completed_on ? ` (${row.detox_completed_on})` : ""}`],
        ["Part 2 notice given", row.part2_notice_on],
      ] as [string, string | null][],
      statuses: await statusHistory(db, access.patientId),
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, header, today, meta, sites } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: statusChangeSchema(today) });
  if (submission.status !== "success") return data({ reply: submission.reply() }, { status: 400 });
  const result = await changeStatus(
    db,
    user,
    patientId,
    submission.value,
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data({ reply: refusedReply(submission, result) }, { status: result.status });
  return redirect(`/patients/${patientId}`, {
    headers: {
      "Set-Cookie": await toastHeader({ kind: "success", message: `${header.identity.name} is now ${STATUS_LABELS[submission.value.status].toLowerCase()}.` }),
    },
  });
}

function Facts({ rows }: { rows: [string, string | null][] }) {
  return (
    <Table variant="vertical" withTableBorder={false} fz="sm">
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th w={180}>{k}</Table.Th>
            <Table.Td>
              {v || (
                <Text span c="dimmed" size="sm">
                  not recorded
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export default function Overview() {
  const { identity, clinical, canWrite, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { reply: SubmissionResult<string[]> } | undefined;
  if (!clinical) {
    return (
      <Card withBorder maw={560}>
        <Title order={2} size="h3" mb="xs">
          Who this is
        </Title>
        <Facts
          rows={[
            ["Name", identity.name],
            ["Preferred name", identity.preferredName],
            ["MRN", identity.mrn],
            ["Track", identity.track],
            ["Site", identity.siteName],
          ]}
        />
        <Text size="sm" c="dimmed" mt="sm">
          Clinical details are visible to the patient's counselors and program admins only.
        </Text>
      </Card>
    );
  }
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h3">
              Demographics
            </Title>
            {canWrite ? (
              <Button component={Link} to={`/patients/${identity.id}/edit`} variant="light" size="xs">
                Edit details
              </Button>
            ) : null}
          </Group>
          <Facts rows={clinical.demographics} />
        </Card>
        <Card withBorder>
          <Title order={2} size="h3" mb="xs">
            Program and payer
          </Title>
          <Facts rows={clinical.program} />
        </Card>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h3" mb="xs">
            Status history
          </Title>
          <Table fz="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>From</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>By</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {clinical.statuses.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.effective_on}</Table.Td>
                  <Table.Td>{STATUS_LABELS[s.status as PatientStatus] ?? s.status}</Table.Td>
                  <Table.Td>{s.reason ?? "—"}</Table.Td>
                  <Table.Td>{s.changed_by_name ?? "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
        {canWrite ? <StatusForm today={today} version={clinical.version} allowed={STATUS_TRANSITIONS[clinical.status]} lastResult={actionData?.reply} /> : null}
      </SimpleGrid>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
