/**
 * Recording an ASAM assessment: the kind and date, each dimension's 0–4 risk rating (a labelled
 * radio group) and narrative, the level recommended and the level placed, and why they differ.
 * A refused save comes back with every message and everything typed.
 */
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Button, Fieldset, Group, Paper, Radio, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { DateField, optional, SelectField, TextareaField, TextField } from "~/components/form-fields";
import { FormErrors } from "~/components/form-errors";
import { useSchemaForm } from "~/components/schema-form";
import {
  ASSESSMENT_KINDS,
  type AsamEdition,
  type AssessmentKind,
  DIFFERENCE_REASONS,
  DIMENSIONS,
  dimensionLabel,
  LEVEL_OPTIONS,
  RATING_LABELS,
  RATINGS,
} from "../rules";
import { assessmentSchema } from "../schemas";

export function AssessmentForm({
  today,
  edition,
  requestKey,
  basis,
  suggestedKind,
  currentLevel,
  lastResult,
}: {
  today: string;
  edition: AsamEdition;
  requestKey: string;
  basis: string;
  suggestedKind: AssessmentKind;
  currentLevel: string;
  lastResult?: SubmissionResult<string[]>;
}) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(assessmentSchema(today), {
    id: "asam-assessment",
    lastResult,
    defaultValue: { assessedOn: today, kind: suggestedKind, recommendedLevel: currentLevel, placedLevel: currentLevel },
  });
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="xs">
        Record an assessment
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Rate each dimension&apos;s risk from 0 (no current risk) to 4 (extreme, life-threatening) and say what supports the rating. Once saved, an assessment is
        final: a correction is a new assessment.
      </Text>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="requestKey" value={requestKey} />
        {/* The latest assessment the form was opened against: from the loader, so a refused stale form picks up the new one. */}
        <input type="hidden" name="basis" value={basis} />
        <input type="hidden" name="edition" value={edition} />
        <Stack>
          <FormErrors errors={form.errors} title="The assessment was not saved" />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <SelectField field={fields.kind} label="Kind of assessment" options={ASSESSMENT_KINDS} required />
            <DateField field={fields.assessedOn} label="Date of the assessment" max={today} required />
          </SimpleGrid>
          {DIMENSIONS.map((d) => {
            const rating = fields[`d${d}Rating` as const];
            const initial = typeof rating.initialValue === "string" ? rating.initialValue : undefined;
            return (
              <Fieldset key={d} legend={dimensionLabel(edition, d)} p="sm">
                <Stack gap="xs">
                  <Radio.Group name={rating.name} label={`Risk rating, dimension ${d}`} defaultValue={initial} error={rating.errors?.join(" ")} required>
                    <Group gap="md" mt={4} wrap="wrap">
                      {RATINGS.map((r) => (
                        <Radio key={r} value={String(r)} label={`${r} ${RATING_LABELS[r]}`} />
                      ))}
                    </Group>
                  </Radio.Group>
                  <TextareaField field={fields[`d${d}Narrative` as const]} label={`Narrative, dimension ${d}`} rows={2} required />
                </Stack>
              </Fieldset>
            );
          })}
          <Fieldset legend="Level of care" p="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <SelectField field={fields.recommendedLevel} label="Level the assessor recommends" options={LEVEL_OPTIONS} required />
              <SelectField field={fields.placedLevel} label="Level actually placed" options={LEVEL_OPTIONS} required />
              <SelectField
                field={fields.differenceReason}
                label={optional("Why they differ")}
                description="Required when the level placed is not the level recommended."
                options={DIFFERENCE_REASONS}
                placeholder="They are the same"
                allowEmpty
              />
              <TextField field={fields.differenceNote} label={optional("Other reason")} description="Say what it is when the reason is Other." />
            </SimpleGrid>
          </Fieldset>
          <div>
            <Button type="submit" loading={navigation.state === "submitting"}>
              Save assessment
            </Button>
          </div>
        </Stack>
      </Form>
    </Paper>
  );
}
