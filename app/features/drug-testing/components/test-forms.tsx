import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Button, Group, Radio, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { FormErrors } from "~/components/form-errors";
import { CheckboxField, DateField, SelectField, TextField } from "~/components/form-fields";
import { CONFIRMATIONS, VALIDITIES } from "../rules";
import { confirmSchema, RESULT_CHOICES } from "../schemas";
import { ReadingBadge } from "./badges";
import { HeadedTable } from "./headed-table";

export interface ResultRow {
  analyte: string;
  label: string;
  result: string;
  confirmation: string | null;
  reading: string | null;
  highRisk: boolean;
  note: string | null;
}

interface TestForForms {
  version: number;
  validity: string | null;
  urine?: boolean;
  measures?: { creatinine: number | null; specificGravity: number | null; ph: number | null; oxidant: boolean | null };
  results: ResultRow[];
}

const shown = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));

/** The presumptive result of each analyte on the panel, and the specimen's validity. */
export function ResultsForm({ test: t, clinical, lastResult }: { test: TestForForms; clinical: boolean; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const [form, fields] = useForm({
    id: `results-${t.version}`,
    lastResult,
    defaultValue: {
      validity: t.validity ?? "valid",
      creatinine: shown(t.measures?.creatinine),
      specificGravity: shown(t.measures?.specificGravity),
      ph: shown(t.measures?.ph),
      oxidant: t.measures?.oxidant ? "yes" : "",
      results: Object.fromEntries(t.results.map((r) => [r.analyte, r.result])),
    },
    shouldValidate: "onSubmit",
  });
  const typed = (fields.results.initialValue ?? {}) as Record<string, string>;
  const markNegative = () => {
    for (const r of t.results) {
      const pending = formRef.current?.querySelector<HTMLInputElement>(`input[name="results.${r.analyte}"][value="pending"]:checked`);
      const negative = formRef.current?.querySelector<HTMLInputElement>(`input[name="results.${r.analyte}"][value="negative"]`);
      if (pending && negative) negative.checked = true;
    }
  };
  return (
    <Form method="post" {...getFormProps(form)} ref={formRef} aria-labelledby="results-heading">
      <input type="hidden" name="intent" value="results" />
      <input type="hidden" name="version" value={t.version} />
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={2} size="h3" id="results-heading">
            Results
          </Title>
          <Button type="button" variant="default" size="xs" onClick={markNegative}>
            Mark the pending ones negative
          </Button>
        </Group>
        <FormErrors errors={form.errors} title="Results not saved" />
        <SelectField
          field={fields.validity}
          label="Specimen validity"
          options={VALIDITIES}
          required
          description="Dilute, invalid, substituted or adulterated specimens raise an alert asking for a recollection."
        />
        {t.urine ? (
          <SimpleGrid cols={{ base: 1, sm: 4 }} verticalSpacing="xs">
            <TextField field={fields.creatinine} label="Creatinine (mg/dL, optional)" inputMode="decimal" />
            <TextField field={fields.specificGravity} label="Specific gravity (optional)" inputMode="decimal" />
            <TextField field={fields.ph} label="pH (optional)" inputMode="decimal" />
            <div style={{ alignSelf: "end", paddingBottom: 8 }}>
              <CheckboxField field={fields.oxidant} label="Oxidant found" />
            </div>
          </SimpleGrid>
        ) : null}
        <HeadedTable
          fz="sm"
          verticalSpacing="xs"
          label="Results by analyte"
          // Staff see no reading against MAT: the last column holds only the lab's confirmation.
          heads={[{ title: "Analyte" }, { title: "Presumptive result" }, { title: clinical ? "Reading" : "Lab confirmation" }]}
        >
          {t.results.map((r) => (
            <Table.Tr key={r.analyte}>
              <Table.Td fw={600} id={`analyte-${r.analyte}`}>
                {r.label}
              </Table.Td>
              <Table.Td>
                <Group gap="md" role="radiogroup" aria-labelledby={`analyte-${r.analyte}`} wrap="nowrap">
                  {Object.entries(RESULT_CHOICES).map(([value, label]) => (
                    <Radio
                      key={value}
                      name={`results.${r.analyte}`}
                      value={value}
                      label={label}
                      defaultChecked={(typed[r.analyte] ?? r.result) === value}
                      disabled={Boolean(r.confirmation)}
                      size="xs"
                    />
                  ))}
                  {r.confirmation ? <input type="hidden" name={`results.${r.analyte}`} value={r.result} /> : null}
                </Group>
              </Table.Td>
              <Table.Td>
                {r.reading ? <ReadingBadge reading={r.reading} highRisk={r.highRisk} /> : null}
                {r.note ? (
                  <Text size="xs" c="dimmed" mt={2}>
                    {r.note}
                  </Text>
                ) : null}
                {r.confirmation ? (
                  <Text size="xs" mt={2}>
                    {r.confirmation}
                  </Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </HeadedTable>
        <div>
          <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "results"}>
            Save results
          </Button>
        </div>
      </Stack>
    </Form>
  );
}

/** A lab's confirmation of one presumptive positive. */
export function ConfirmForm({ test: t, today, lastResult }: { test: TestForForms; today: string; lastResult?: SubmissionResult<string[]> }) {
  const positives = t.results.filter((r) => r.result === "positive");
  const [form, fields] = useForm({
    id: `confirm-${t.version}`,
    lastResult,
    defaultValue: { confirmedOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: confirmSchema(today) }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="confirm-heading">
      <input type="hidden" name="intent" value="confirm" />
      <input type="hidden" name="version" value={t.version} />
      <Stack gap="sm">
        <Title order={2} size="h3" id="confirm-heading">
          Lab confirmation
        </Title>
        {positives.length === 0 ? (
          <Text size="sm" c="dimmed">
            A lab confirmation is recorded for a presumptive positive; this test has none.
          </Text>
        ) : null}
        {positives.length === 0 && !form.errors?.length ? null : (
          <>
            <FormErrors errors={form.errors} title="Confirmation not recorded" />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <SelectField field={fields.analyte} label="Analyte" options={positives.map((r) => ({ value: r.analyte, label: r.label }))} required />
              <SelectField field={fields.confirmation} label="Lab result" options={CONFIRMATIONS} required />
              <TextField field={fields.lab} label="Lab" required />
              <TextField field={fields.accessionNumber} label="Accession number" required />
              <DateField field={fields.confirmedOn} label="Reported on" required max={today} />
            </SimpleGrid>
            <div>
              <Button type="submit" variant="default">
                Record confirmation
              </Button>
            </div>
          </>
        )}
      </Stack>
    </Form>
  );
}
