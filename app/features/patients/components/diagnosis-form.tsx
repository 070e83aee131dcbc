/**
 * Adding a diagnosis: a searchable pick list of the clinic's billable ICD-10-CM codes (by code or
 * words), the official description of the chosen code shown beside it, onset and primary. The
 * description is the list's, never typed; a category or an unknown code is refused by the server
 * with the codes to choose instead.
 */
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Autocomplete, Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { CheckboxField, DateField, optional } from "~/components/form-fields";
import { FormErrors } from "~/components/form-errors";
import { useSchemaForm } from "~/components/schema-form";
import { ICD10_CODES, ICD10_GROUPS, ICD10_LIST, normalizeIcd10 } from "../icd10-codes";
import { diagnosisSchema } from "../schemas";

const SEPARATOR = " — ";
const OPTIONS = ICD10_GROUPS.map((g) => ({ group: g.heading, items: g.codes.map((c) => `${c.code}${SEPARATOR}${c.description}`) }));
const DESCRIPTIONS = new Map(ICD10_CODES.map((c) => [c.code, c.description]));

/** "ICD-10-CM FY2026 (CMS; in force 2025-10-01 to 2026-09-30)", and a warning once that year has ended. */
export function icd10ListLine(today: string): { line: string; outdated: string | null } {
  const { fiscalYear, effective } = ICD10_LIST;
  return {
    line: `Billable codes of ICD-10-CM FY${fiscalYear} (CMS, in force ${effective.from} to ${effective.to}): all of chapter F and the Z and T codes addiction programs use.`,
    outdated:
      today > effective.to
        ? `FY${fiscalYear + 1} has been in force since ${effective.to.slice(0, 4)}-10-01 and is not loaded yet: codes new in FY${fiscalYear + 1} are missing and any it deleted are still offered.`
        : null,
  };
}

export function DiagnosisForm({ today, lastResult }: { today: string; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useSchemaForm(diagnosisSchema(today), { lastResult });
  const [code, setCode] = useState((fields.code.initialValue as string | undefined) ?? "");
  const navigation = useNavigation();
  const official = DESCRIPTIONS.get(normalizeIcd10(code));
  const list = icd10ListLine(today);
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="xs">
        Add a diagnosis
      </Title>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="add" />
        <Stack>
          <FormErrors errors={form.errors} />
          <Autocomplete
            label="ICD-10-CM code"
            description="Search by code or words (opioid, PTSD, alcohol, housing) and pick a billable code."
            name={fields.code.name}
            value={code}
            // A picked option ("F11.20 — Opioid dependence…") leaves only its code in the box.
            onChange={(value) => setCode(value.includes(SEPARATOR) ? value.split(SEPARATOR)[0] : value)}
            data={OPTIONS}
            limit={15}
            maxDropdownHeight={320}
            error={fields.code.errors?.join(" ")}
            required
          />
          <TextInput
            label="Official description"
            readOnly
            value={official ?? ""}
            placeholder={code.trim() ? "Not a billable code on the list" : "Pick a code"}
            description="From the ICD-10-CM list; it is what the chart stores."
          />
          <Text size="xs" c="dimmed">
            {list.line}
            {list.outdated ? ` ${list.outdated}` : null}
          </Text>
          <Group align="flex-end">
            <DateField field={fields.onsetOn} label={optional("Onset")} max={today} />
            <CheckboxField field={fields.isPrimary} label="Primary diagnosis" />
          </Group>
          <div>
            <Button type="submit" loading={navigation.state === "submitting"}>
              Add diagnosis
            </Button>
          </div>
        </Stack>
      </Form>
    </Paper>
  );
}
