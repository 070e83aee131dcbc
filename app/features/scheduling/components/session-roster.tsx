import { type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Card, Group, NativeSelect, Select, SimpleGrid, Table, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { TextField } from "~/components/form-fields";
import { RosterAddSchema, RosterRemoveSchema } from "../schemas";
import { IntentForm } from "./intent-form";

export interface RosterData {
  current: { id: string; name: string; preferredName: string | null; mrn: string; via: string }[];
  left: { id: string; name: string; reason: string | null }[];
}

/** What a session page's action answered to one of its forms. */
export type IntentReply = { intent: string; reply: SubmissionResult<string[]> } | undefined;

/** Who is on a session (with their attendance), who left it, and, while it is ahead, adding and taking off patients. */
export function SessionRoster({
  roster,
  marks,
  capacity,
  appointment,
  candidates,
  canEditRoster,
  lastResult,
}: {
  roster: RosterData;
  marks: Record<string, string>;
  capacity: number;
  appointment: boolean;
  candidates: { value: string; label: string }[];
  canEditRoster: boolean;
  lastResult: IntentReply;
}) {
  const [addForm, addFields] = useForm({
    id: `add-${roster.current.length}`,
    lastResult: lastResult?.intent === "add-patient" ? lastResult.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RosterAddSchema }),
    shouldValidate: "onSubmit",
  });
  const [removeForm, removeFields] = useForm({
    id: `remove-${roster.current.length}`,
    lastResult: lastResult?.intent === "remove-patient" ? lastResult.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RosterRemoveSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3">
          {appointment ? "Patient" : "Roster"}
        </Title>
        {appointment ? null : (
          <Text size="sm" c="dimmed">
            {roster.current.length} of {capacity}
          </Text>
        )}
      </Group>
      {roster.current.length === 0 ? (
        <Text size="sm" c="dimmed">
          No patients on this session yet.
        </Text>
      ) : (
        <Table fz="sm" striped aria-label="Patients on this session">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Patient</Table.Th>
              <Table.Th>MRN</Table.Th>
              <Table.Th>On the roster by</Table.Th>
              <Table.Th>Attendance</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {roster.current.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/patients/${p.id}/schedule`}>
                    {p.name}
                  </Anchor>
                  {p.preferredName ? <Text span size="xs" c="dimmed">{` “${p.preferredName}”`}</Text> : null}
                </Table.Td>
                <Table.Td>{p.mrn}</Table.Td>
                <Table.Td>{p.via}</Table.Td>
                <Table.Td>{marks[p.id] ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {roster.left.length ? (
        <Text size="xs" c="dimmed" mt="xs">
          Left this session: {roster.left.map((p) => `${p.name} (${p.reason ?? "no reason given"})`).join("; ")}
        </Text>
      ) : null}
      {canEditRoster ? (
        <SimpleGrid cols={{ base: 1, md: 2 }} mt="md">
          <IntentForm form={addForm} intent="add-patient" errorsTitle="Not added" compact submit="Add to roster" button={{ variant: "light" }}>
            <Select
              label="Add a patient"
              name={addFields.patientId.name}
              data={candidates}
              searchable
              nothingFoundMessage="No patient by that name"
              placeholder="Type a name or MRN"
              error={addFields.patientId.errors?.join(" ")}
            />
          </IntentForm>
          {roster.current.length ? (
            <IntentForm
              form={removeForm}
              intent="remove-patient"
              errorsTitle="Not removed"
              compact
              submit="Take off roster"
              button={{ variant: "outline", color: "red" }}
            >
              <NativeSelect
                label="Take a patient off"
                name={removeFields.patientId.name}
                data={[{ value: "", label: "Choose…", disabled: true }, ...roster.current.map((p) => ({ value: p.id, label: p.name }))]}
                defaultValue=""
                error={removeFields.patientId.errors?.join(" ")}
              />
              <TextField field={removeFields.reason} label="Why" placeholder="e.g. Works this shift; attends the evening group instead" required />
            </IntentForm>
          ) : null}
        </SimpleGrid>
      ) : null}
    </Card>
  );
}
