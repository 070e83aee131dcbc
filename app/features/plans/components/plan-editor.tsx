// Conform's list buttons submit the form with an intent; Mantine's Button is type="button" unless told.
/**
 * The draft plan editor: problems, each linked to a current diagnosis, with the goal in the
 * patient's words, measurable objectives with target dates, and interventions (how, how often,
 * who); then strengths and barriers. Rows are added and removed in the browser (Conform field
 * lists, which also work without scripts). "Save draft" keeps whatever is there; "Sign plan"
 * asks for a complete plan and shows every gap at its field.
 */
import { type FieldMetadata, getFormProps, type SubmissionResult } from "@conform-to/react";
import { Button, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { DateField, SelectField, TextareaField, TextField } from "~/components/form-fields";
import { FormErrors } from "~/components/form-errors";
import { useSchemaForm } from "~/components/schema-form";
import { MODALITIES, PLAN_LIMITS, type PlanContent } from "../rules";
import { draftSchema } from "../schemas";

const EMPTY_OBJECTIVE = { text: "", targetDate: "" };
const EMPTY_INTERVENTION = { modality: "", frequency: "", responsible: "" };
const EMPTY_PROBLEM = { diagnosisCode: "", statement: "", goal: "", objectives: [EMPTY_OBJECTIVE], interventions: [EMPTY_INTERVENTION] };

function ListErrors({ field }: { field: { errors?: string[] } }) {
  if (!field.errors?.length) return null;
  return (
    <Text c="red.8" size="sm" role="alert">
      {field.errors.join(" ")}
    </Text>
  );
}

export function PlanEditor({
  planId,
  version,
  content,
  diagnoses,
  today,
  signsAlone,
  lastResult,
}: {
  planId: string;
  version: number;
  content: PlanContent;
  diagnoses: { code: string; description: string }[];
  today: string;
  /** False when the author's signature needs a supervisor's co-signature: the sign button says so. */
  signsAlone: boolean;
  lastResult?: SubmissionResult<string[]>;
}) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const [form, fields] = useSchemaForm(draftSchema, {
    lastResult,
    defaultValue: { ...content, planId, version: String(version), intent: "save" },
  });
  const diagnosisOptions = diagnoses.map((d) => ({ value: d.code, label: `${d.code} ${d.description}` }));
  const problems = fields.problems.getFieldList();
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="planId" value={planId} />
      <input type="hidden" name="version" value={version} />
      <Stack gap="md">
        <FormErrors errors={form.errors} />
        <ListErrors field={fields.problems} />
        {problems.map((problem, p) => {
          const pf = problem.getFieldset();
          const objectives = pf.objectives.getFieldList();
          const interventions = pf.interventions.getFieldList();
          const n = p + 1;
          return (
            <Card key={problem.key} withBorder padding="md" component="fieldset" aria-label={`Problem ${n}`}>
              <Group justify="space-between" mb="xs">
                <Title order={2} size="h4">
                  Problem {n}
                </Title>
                <Button
                  type="submit"
                  variant="subtle"
                  color="red.8"
                  size="compact-sm"
                  {...form.remove.getButtonProps({ name: fields.problems.name, index: p })}
                >
                  Remove problem {n}
                </Button>
              </Group>
              <Stack gap="sm">
                <SelectField
                  field={pf.diagnosisCode as FieldMetadata<unknown>}
                  label={`Problem ${n}: diagnosis it addresses`}
                  options={
                    diagnosisOptions.some((o) => o.value === pf.diagnosisCode.initialValue) || !pf.diagnosisCode.initialValue
                      ? diagnosisOptions
                      : [...diagnosisOptions, { value: String(pf.diagnosisCode.initialValue), label: `${pf.diagnosisCode.initialValue} (no longer current)` }]
                  }
                  allowEmpty
                />
                <TextareaField
                  field={pf.statement as FieldMetadata<unknown>}
                  label={`Problem ${n}: the problem`}
                  description="As the assessment found it, in plain words."
                  rows={2}
                />
                <TextareaField field={pf.goal as FieldMetadata<unknown>} label={`Problem ${n}: goal in the patient's own words`} rows={2} />
                <Text fw={600} size="sm">
                  Objectives: what the patient will do, measurably, and by when
                </Text>
                <ListErrors field={pf.objectives} />
                {objectives.map((objective, o) => {
                  const of = objective.getFieldset();
                  const name = `Problem ${n}, objective ${o + 1}`;
                  return (
                    <Group key={objective.key} align="flex-end" wrap="wrap" gap="sm">
                      <div style={{ flex: "1 1 18rem" }}>
                        <TextareaField field={of.text as FieldMetadata<unknown>} label={name} rows={1} />
                      </div>
                      <DateField field={of.targetDate as FieldMetadata<unknown>} label={`${name}: target date`} min={today} />
                      <Button
                        type="submit"
                        variant="subtle"
                        color="red.8"
                        {...form.remove.getButtonProps({ name: pf.objectives.name, index: o })}
                        aria-label={`Remove ${name.toLowerCase()}`}
                      >
                        Remove
                      </Button>
                    </Group>
                  );
                })}
                {objectives.length < PLAN_LIMITS.objectives ? (
                  <Button
                    type="submit"
                    variant="light"
                    size="compact-sm"
                    w="fit-content"
                    {...form.insert.getButtonProps({ name: pf.objectives.name, defaultValue: EMPTY_OBJECTIVE })}
                  >
                    Add an objective to problem {n}
                  </Button>
                ) : null}
                <Text fw={600} size="sm">
                  Interventions: how, how often and who
                </Text>
                <ListErrors field={pf.interventions} />
                {interventions.map((intervention, i) => {
                  const vf = intervention.getFieldset();
                  const name = `Problem ${n}, intervention ${i + 1}`;
                  return (
                    <Group key={intervention.key} align="flex-end" wrap="wrap" gap="sm">
                      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm" style={{ flex: "1 1 30rem" }}>
                        <SelectField field={vf.modality as FieldMetadata<unknown>} label={`${name}: how`} options={MODALITIES} allowEmpty />
                        <TextField field={vf.frequency as FieldMetadata<unknown>} label={`${name}: how often`} placeholder="e.g. 3 times a week" />
                        <TextField field={vf.responsible as FieldMetadata<unknown>} label={`${name}: who`} placeholder="e.g. primary counselor" />
                      </SimpleGrid>
                      <Button
                        type="submit"
                        variant="subtle"
                        color="red.8"
                        {...form.remove.getButtonProps({ name: pf.interventions.name, index: i })}
                        aria-label={`Remove ${name.toLowerCase()}`}
                      >
                        Remove
                      </Button>
                    </Group>
                  );
                })}
                {interventions.length < PLAN_LIMITS.interventions ? (
                  <Button
                    type="submit"
                    variant="light"
                    size="compact-sm"
                    w="fit-content"
                    {...form.insert.getButtonProps({ name: pf.interventions.name, defaultValue: EMPTY_INTERVENTION })}
                  >
                    Add an intervention to problem {n}
                  </Button>
                ) : null}
              </Stack>
            </Card>
          );
        })}
        {problems.length < PLAN_LIMITS.problems ? (
          <Button type="submit" variant="light" w="fit-content" {...form.insert.getButtonProps({ name: fields.problems.name, defaultValue: EMPTY_PROBLEM })}>
            Add a problem
          </Button>
        ) : null}
        <TextareaField
          field={fields.strengths as FieldMetadata<unknown>}
          label="Strengths"
          description="What the patient brings: supports, skills, motivation."
        />
        <TextareaField
          field={fields.barriers as FieldMetadata<unknown>}
          label="Barriers"
          description="What could get in the way: transport, work, housing, family."
        />
        <Text size="sm" c="dimmed">
          {signsAlone
            ? "Once signed, this version never changes: the patient acknowledges it next, and an update is a new version."
            : "Once signed, this version never changes: the patient acknowledges it next, and a clinical supervisor co-signs it (your credentials need a co-signature)."}
        </Text>
        <Group>
          <Button type="submit" name="intent" value="save" variant="default" loading={busy && navigation.formData?.get("intent") === "save"}>
            Save draft
          </Button>
          <Button type="submit" name="intent" value="sign" loading={busy && navigation.formData?.get("intent") === "sign"}>
            Sign plan
          </Button>
        </Group>
      </Stack>
    </Form>
  );
}
