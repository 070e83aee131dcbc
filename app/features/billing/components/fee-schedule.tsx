import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { Form, Link, useNavigation } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { CheckboxField, optional, SelectField, TextField } from "~/components/form-fields";
import { useSchemaForm } from "~/components/schema-form";
import { CLAIM_TYPES, codeWithModifiers, money, PROCEDURE_CODES, REVENUE_CODES } from "../rules";
import { FeeRowSchema } from "../charge-schemas";

export interface FeeRowView {
  id: string;
  payerId: string;
  payerName: string;
  level: "IOP" | "PHP";
  claimType: keyof typeof CLAIM_TYPES;
  procedureCode: string;
  modifiers: string;
  revenueCode: string;
  unitsPerDay: number;
  minMinutes: number;
  requiresSignedNote: boolean;
  rateCents: number;
  version: number;
}

const LEVELS = { IOP: "IOP — intensive outpatient", PHP: "PHP — partial hospitalization" };
const hours = (minutes: number) => `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;

/** The site's fee schedule: one row per payer and level, each with its Edit link. */
export function FeeScheduleTable({ rows }: { rows: FeeRowView[] }) {
  if (!rows.length)
    return (
      <Card withBorder>
        <Text c="dimmed">No fee schedule rows yet. Every charge waits for one: add a row for each payer and level of care below.</Text>
      </Card>
    );
  return (
    <Card withBorder p={0}>
      <Table.ScrollContainer minWidth={860}>
        <Table aria-label="Fee schedule" verticalSpacing="sm" fz="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Payer</Table.Th>
              <Table.Th>Level</Table.Th>
              <Table.Th>Claim</Table.Th>
              <Table.Th>Code</Table.Th>
              <Table.Th>Revenue code</Table.Th>
              <Table.Th>Units a day</Table.Th>
              <Table.Th>Day rule</Table.Th>
              <Table.Th>Rate</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td fw={600}>{r.payerName}</Table.Td>
                <Table.Td>{r.level}</Table.Td>
                <Table.Td>{r.claimType === "institutional" ? "837I" : "837P"}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color="gray" tt="none">
                    {codeWithModifiers(r.procedureCode, r.modifiers)}
                  </Badge>
                </Table.Td>
                <Table.Td>{r.revenueCode || "—"}</Table.Td>
                <Table.Td>{r.unitsPerDay}</Table.Td>
                <Table.Td>
                  {hours(r.minMinutes)} attended{r.requiresSignedNote ? ", signed notes" : ""}
                </Table.Td>
                <Table.Td>
                  {money(r.rateCents)}
                  {r.unitsPerDay > 1 ? " a unit" : " a day"}
                </Table.Td>
                <Table.Td>
                  <Button component={Link} to={`/admin/fee-schedule?row=${r.id}`} size="xs" variant="default" aria-label={`Edit ${r.payerName} ${r.level}`}>
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

/** Adds a row, or changes `editing`. Every field keeps what was typed when the save is refused. */
export function FeeRowForm({
  editing,
  payers,
  lastResult,
}: {
  editing: FeeRowView | null;
  payers: { value: string; label: string }[];
  lastResult?: SubmissionResult<string[]>;
}) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(FeeRowSchema, {
    id: `fee-${editing?.id ?? "new"}-${editing?.version ?? 0}`,
    lastResult,
    defaultValue: editing
      ? {
          payerId: editing.payerId,
          level: editing.level,
          claimType: editing.claimType,
          procedureCode: editing.procedureCode,
          modifiers: editing.modifiers.split(",").filter(Boolean).join(", "),
          revenueCode: editing.revenueCode,
          unitsPerDay: String(editing.unitsPerDay),
          minMinutes: String(editing.minMinutes),
          requiresSignedNote: editing.requiresSignedNote ? "yes" : undefined,
          rate: (editing.rateCents / 100).toFixed(2),
        }
      : { level: "IOP", claimType: "professional", procedureCode: "H0015", unitsPerDay: "1", minMinutes: "180", requiresSignedNote: "yes" },
  });
  const title = editing ? `Edit ${editing.payerName} ${editing.level}` : "New fee schedule row";
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="fee-form-heading">
      <input type="hidden" name="intent" value="save-fee" />
      {editing ? (
        <>
          <input type="hidden" name="feeId" value={editing.id} />
          <input type="hidden" name="version" value={editing.version} />
        </>
      ) : null}
      <Stack>
        <Title order={2} size="h3" id="fee-form-heading">
          {title}
        </Title>
        <FormErrors errors={form.errors} title="Not saved" />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <SelectField field={fields.payerId} label="Payer" options={payers} required />
          <SelectField field={fields.level} label="Level of care" options={LEVELS} required />
          <SelectField field={fields.claimType} label="Claim type" options={CLAIM_TYPES} required />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextField
            field={fields.procedureCode}
            label="Procedure code"
            description={`As the payer requires: ${Object.keys(PROCEDURE_CODES).join(", ")}`}
            required
            maxLength={5}
          />
          <TextField field={fields.modifiers} label={optional("Modifiers")} description="Up to four, e.g. HF (substance abuse program)" maxLength={20} />
          <SelectField
            field={fields.revenueCode}
            label="Revenue code"
            description="Institutional (837I) claims only"
            options={REVENUE_CODES}
            placeholder="None (professional claim)"
            allowEmpty
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextField field={fields.unitsPerDay} label="Units per day" type="number" min={1} max={24} required />
          <TextField
            field={fields.minMinutes}
            label="Minimum attended minutes"
            description="IOP 180 (3 h), PHP 300 (5 h)"
            type="number"
            min={1}
            max={1440}
            required
          />
          <TextField field={fields.rate} label="Rate (dollars per unit)" description="e.g. 250.00" inputMode="decimal" required maxLength={16} />
        </SimpleGrid>
        <CheckboxField field={fields.requiresSignedNote} label="The day's sessions need signed notes" />
        <Group>
          <Button type="submit" loading={navigation.state === "submitting"}>
            {editing ? "Save row" : "Add row"}
          </Button>
          {editing ? (
            <Anchor component={Link} to="/admin/fee-schedule" size="sm">
              Cancel
            </Anchor>
          ) : null}
        </Group>
      </Stack>
    </Form>
  );
}
