import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Badge, Button, Card, Checkbox, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { Form, Link, useNavigation } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { SelectField, TextField } from "~/components/form-fields";
import { ANALYTE_CODES, ANALYTES, SPECIMENS } from "../rules";
import { PanelSchema } from "../schemas";
import { HeadedTable } from "./headed-table";

/** The default set, in the order a cup reads. */
const DEFAULT_SET = ANALYTE_CODES.slice(0, 16);

export interface EditedPanel {
  id: string;
  name: string;
  specimen: string;
  analytes: string[];
  version: number;
}

/** Creates a panel, or edits `editing`: its name, specimen and analytes. */
export function PanelForm({ editing, lastResult }: { editing: EditedPanel | null; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `panel-${editing?.id ?? "new"}-${editing?.version ?? 0}`,
    lastResult,
    defaultValue: editing ? { name: editing.name, specimen: editing.specimen } : { specimen: "urine" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PanelSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  // What the person ticked before a refused save, else the panel being edited, else the default set.
  const typed = lastResult ? (lastResult.initialValue?.analytes as unknown) : undefined;
  const chosen = new Set<string>(
    Array.isArray(typed)
      ? typed
      : typeof typed === "string"
        ? [typed]
        : lastResult
          ? []
          : editing
            ? editing.analytes
            : DEFAULT_SET.filter((a) => a !== "breath_alcohol"),
  );
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="panel-form-heading">
      <input type="hidden" name="intent" value={editing ? "update" : "create"} />
      {editing ? (
        <>
          <input type="hidden" name="panelId" value={editing.id} />
          <input type="hidden" name="version" value={editing.version} />
        </>
      ) : null}
      <Stack>
        <Title order={2} size="h3" id="panel-form-heading">
          {editing ? `Edit ${editing.name}` : "New panel"}
        </Title>
        <FormErrors errors={form.errors} title="Not saved" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextField field={fields.name} label="Name" required placeholder="e.g. Urine — 12-panel cup" />
          <SelectField field={fields.specimen} label="Specimen" options={SPECIMENS} required />
        </SimpleGrid>
        <Checkbox.Group
          defaultValue={[...chosen]}
          label="Analytes"
          description="Breath alcohol is tested on breath only; every other analyte on urine, oral fluid or blood."
          error={fields.analytes.errors?.join(" ")}
          withAsterisk
        >
          <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} mt="xs" spacing={6}>
            {ANALYTE_CODES.map((a) => (
              <Checkbox key={a} name={fields.analytes.name} value={a} label={ANALYTES[a].label} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <Group>
          <Button type="submit" loading={navigation.state === "submitting"}>
            {editing ? "Save panel" : "Create panel"}
          </Button>
          {editing ? (
            <Anchor component={Link} to="/drug-tests/panels" size="sm">
              Cancel
            </Anchor>
          ) : null}
        </Group>
      </Stack>
    </Form>
  );
}

export interface PanelRow {
  id: string;
  name: string;
  active: boolean;
  version: number;
  specimenLabel: string;
  analyteLabels: string[];
  /** How many tests were recorded on the panel. */
  tests: number;
}

/** A site's panels, each with Edit and Retire (or Reuse for a retired one). */
export function PanelsTable({ panels }: { panels: PanelRow[] }) {
  return (
    <Card withBorder p={0}>
      <HeadedTable
        fz="sm"
        verticalSpacing="sm"
        label="Panels"
        heads={[{ title: "Panel" }, { title: "Specimen" }, { title: "Analytes" }, { title: "Tests" }, {}]}
      >
        {panels.map((p) => (
          <Table.Tr key={p.id} style={p.active ? undefined : { opacity: 0.7 }}>
            <Table.Td fw={600}>
              {p.name}{" "}
              {p.active ? null : (
                <Badge color="gray" size="xs">
                  Retired
                </Badge>
              )}
            </Table.Td>
            <Table.Td>{p.specimenLabel}</Table.Td>
            <Table.Td>
              <Text size="xs">{p.analyteLabels.join(", ")}</Text>
            </Table.Td>
            <Table.Td>{p.tests}</Table.Td>
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <Button component={Link} to={`/drug-tests/panels?panel=${p.id}`} size="xs" variant="default" aria-label={`Edit ${p.name}`}>
                  Edit
                </Button>
                <Form method="post">
                  <input type="hidden" name="intent" value={p.active ? "deactivate" : "reactivate"} />
                  <input type="hidden" name="panelId" value={p.id} />
                  <input type="hidden" name="version" value={p.version} />
                  <Button
                    type="submit"
                    size="xs"
                    variant="subtle"
                    color={p.active ? "red" : undefined}
                    aria-label={`${p.active ? "Retire" : "Reuse"} ${p.name}`}
                  >
                    {p.active ? "Retire" : "Reuse"}
                  </Button>
                </Form>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </HeadedTable>
    </Card>
  );
}
