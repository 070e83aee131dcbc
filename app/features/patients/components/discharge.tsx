import { type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Card, Checkbox, Group, List, SimpleGrid, Text, Title } from "@mantine/core";
import { useNavigation } from "@remix-run/react";
import { CheckboxField, DateField, optional, SelectField, TextareaField, TextField } from "~/components/form-fields";
import { DISCHARGE_REASONS, INITIAL_STATUSES, LEVEL_LABELS, MUTUAL_HELP_GROUPS, NEXT_LEVELS, REFERRAL_SOURCES } from "../rules";
import { ChartForm } from "./chart-form";
import { dischargeSchema, readmitSchema } from "../schemas";
import { shortDate, shortDateOr } from "~/kernel/time";

export interface DischargedEpisode {
  id: string;
  episode_number: number;
  admitted_on: string;
  discharged_on: string | null;
  discharge_reason: string | null;
  next_level_of_care: string | null;
  discharge_note: string | null;
  aftercare: Record<string, unknown> | null;
}

/** One ended episode: why, what next, and the aftercare plan. */
export function EpisodeSummary({ e }: { e: DischargedEpisode }) {
  const a = (e.aftercare ?? {}) as {
    stepDownProvider?: string | null;
    mutualHelp?: string[];
    alumniProgram?: boolean;
    soberLivingReferral?: boolean;
    followUpOn?: string | null;
  };
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        Episode {e.episode_number}: {shortDate(e.admitted_on)} to {shortDateOr(e.discharged_on)}
      </Title>
      <Text size="sm">
        <b>Reason:</b> {DISCHARGE_REASONS[e.discharge_reason as keyof typeof DISCHARGE_REASONS] ?? e.discharge_reason}
      </Text>
      <Text size="sm">
        <b>Recommended next:</b> {NEXT_LEVELS[e.next_level_of_care as keyof typeof NEXT_LEVELS] ?? e.next_level_of_care}
      </Text>
      <Text size="sm" fw={600} mt="xs">
        Aftercare plan
      </Text>
      <List size="sm">
        <List.Item>Step-down provider: {a.stepDownProvider ?? "none named"}</List.Item>
        <List.Item>
          Mutual-help groups:{" "}
          {a.mutualHelp?.length ? a.mutualHelp.map((g) => MUTUAL_HELP_GROUPS[g as keyof typeof MUTUAL_HELP_GROUPS] ?? g).join(", ") : "none"}
        </List.Item>
        <List.Item>Alumni program: {a.alumniProgram ? "yes" : "no"}</List.Item>
        <List.Item>Sober living referral: {a.soberLivingReferral ? "yes" : "no"}</List.Item>
        <List.Item>Follow-up appointment: {a.followUpOn ?? "none booked"}</List.Item>
      </List>
      {e.discharge_note ? (
        <Text size="sm" mt="xs">
          {e.discharge_note}
        </Text>
      ) : null}
    </Card>
  );
}

/** Discharge: the date, reason, next level of care and the aftercare plan. */
export function DischargeForm({
  today,
  version,
  admittedOn,
  lastResult,
}: {
  today: string;
  version: number;
  admittedOn: string | null;
  lastResult?: SubmissionResult<string[]>;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { dischargedOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: dischargeSchema(today) }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const mutual = fields.mutualHelp.initialValue;
  const chosen = Array.isArray(mutual) ? (mutual as string[]) : typeof mutual === "string" ? [mutual] : [];
  return (
    <ChartForm
      title="Discharge"
      intro={<>Admitted {shortDateOr(admittedOn)}. Discharge ends their future group enrollments.</>}
      maw={820}
      form={form}
      intent="discharge"
      version={version}
      errorsTitle="Not discharged"
      submit="Discharge patient"
      button={{ color: "red.8", loading: navigation.state === "submitting" }}
    >
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <DateField field={fields.dischargedOn} label="Discharge date" required max={today} />
        <SelectField field={fields.reason} label="Reason" options={DISCHARGE_REASONS} required />
        <SelectField field={fields.nextLevelOfCare} label="Level of care recommended next" options={NEXT_LEVELS} required />
      </SimpleGrid>
      <Title order={3} size="h4">
        Aftercare plan
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextField field={fields.stepDownProvider} label={optional("Step-down provider")} />
        <DateField field={fields.followUpOn} label={optional("Follow-up appointment")} />
      </SimpleGrid>
      <Checkbox.Group label="Mutual-help groups" defaultValue={chosen} error={fields.mutualHelp.errors?.join(" ")}>
        <Group mt={6}>
          {Object.entries(MUTUAL_HELP_GROUPS).map(([value, label]) => (
            <Checkbox key={value} name={fields.mutualHelp.name} value={value} label={label} />
          ))}
        </Group>
      </Checkbox.Group>
      <Group>
        <CheckboxField field={fields.alumniProgram} label="Joins the alumni program" />
        <CheckboxField field={fields.soberLivingReferral} label="Referred to sober living" />
      </Group>
      <TextareaField field={fields.note} label={optional("Discharge note")} />
    </ChartForm>
  );
}

/** Re-admission: a new episode on the same chart. */
export function ReadmitForm({ today, version, lastResult }: { today: string; version: number; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { admittedOn: today, levelOfCare: "IOP", initialStatus: "active" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: readmitSchema(today) }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <ChartForm
      title="Re-admit"
      intro="A new episode starts; the earlier episodes and their history stay on the chart."
      maw={820}
      form={form}
      intent="readmit"
      version={version}
      submit="Re-admit patient"
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DateField field={fields.admittedOn} label="Admission date" required />
        <SelectField field={fields.referralSource} label="Referral source" options={REFERRAL_SOURCES} required />
        <SelectField field={fields.levelOfCare} label="Level of care" options={LEVEL_LABELS} required />
        <SelectField field={fields.initialStatus} label="Status" options={INITIAL_STATUSES} required />
      </SimpleGrid>
    </ChartForm>
  );
}
