import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Anchor, Button, Group, List, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Form, Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { DateField, SelectField, TextareaField, TextField, optional } from "~/components/form-fields";
import { ConfirmAlert } from "~/features/scheduling/components/confirm-alert";
import { DETOX_STATUSES, INITIAL_STATUSES, LANGUAGES, LEVEL_LABELS, PAYER_TYPES, REFERRAL_SOURCES, SEXES } from "../rules";
import { type IntakeForm, intakeSchema } from "../schemas";
import { shortDate } from "~/kernel/time";

type Choice = { value: string; label: string };

/** A record the intake matched on name and birth date, shown before anything is saved. */
export interface PossibleDuplicate {
  id: string;
  mrn: string;
  legal_first_name: string;
  legal_last_name: string;
  date_of_birth: string;
  status: string;
  site_name: string;
}

/** One part of the intake: a bordered panel, its heading, its fields in a grid and any wider fields below. */
function IntakeSection({ title, columns, below, children }: { title: string; columns: 2 | 3; below?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="sm">
        {title}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: columns }}>{children}</SimpleGrid>
      {below ? <Stack mt="sm">{below}</Stack> : null}
    </Paper>
  );
}

/** The intake form: who they are, how to reach them, how they came and who pays. */
export function EnrollForm({
  today,
  sites,
  counselors,
  tracks,
  defaults,
  lastResult,
  duplicates,
  trackHours = null,
  confirmedDuplicate = false,
}: {
  today: string;
  sites: Choice[];
  counselors: Choice[];
  tracks: Choice[];
  defaults: Record<string, string>;
  lastResult?: SubmissionResult<string[]>;
  duplicates: PossibleDuplicate[];
  /** The chosen track's weekly hours do not fit the level of care: the warning, and the track "Enroll anyway" confirms. */
  trackHours?: { message: string; trackId: string } | null;
  /** The last submission had confirmed a possible duplicate: kept while another warning is answered. */
  confirmedDuplicate?: boolean;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm<IntakeForm>({
    lastResult,
    defaultValue: defaults as Partial<IntakeForm>,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: intakeSchema(today) }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const busy = navigation.state === "submitting";
  const hoursWarning = Boolean(form.errors && trackHours && !duplicates.length);
  return (
    <Stack gap="lg" maw={900}>
      <div>
        <Anchor component={Link} to="/patients" size="sm">
          ← Patients
        </Anchor>
        <Title order={1}>Enroll a patient</Title>
        <Text c="dimmed">Intake: who they are, how to reach them, how they came to us and who pays. Fields marked optional can wait.</Text>
      </div>
      <Form method="post" {...getFormProps(form)}>
        <Stack gap="lg">
          {confirmedDuplicate ? <input type="hidden" name="confirmDuplicate" value="yes" /> : null}
          {form.errors && !hoursWarning ? (
            <Alert color={duplicates.length ? "orange" : "red"} role="alert" title={duplicates.length ? "Possible duplicate" : "The patient was not enrolled"}>
              <Text>{form.errors.join(" ")}</Text>
              {duplicates.length ? (
                <>
                  <List size="sm" mt="xs">
                    {duplicates.map((d) => (
                      <List.Item key={d.id}>
                        <Anchor component={Link} to={`/patients/${d.id}`} target="_blank">
                          {d.legal_first_name} {d.legal_last_name}
                        </Anchor>{" "}
                        — {d.mrn}, born {shortDate(d.date_of_birth)}, {d.status.replace("_", " ")} at {d.site_name}
                      </List.Item>
                    ))}
                  </List>
                  <Button type="submit" name="confirmDuplicate" value="yes" color="orange" variant="outline" mt="sm" loading={busy}>
                    This is a different person: enroll anyway
                  </Button>
                </>
              ) : null}
            </Alert>
          ) : null}

          <IntakeSection title="Identity" columns={2}>
            <TextField field={fields.legalFirstName} label="Legal first name" required autoComplete="off" />
            <TextField field={fields.legalLastName} label="Legal last name" required autoComplete="off" />
            <TextField field={fields.preferredName} label={optional("Preferred name")} autoComplete="off" />
            <DateField
              field={fields.dateOfBirth}
              label="Date of birth"
              required
              max={today}
              description="Under 18 at admission: adolescent hour bands apply."
            />
            <SelectField field={fields.sex} label="Sex" options={SEXES} required />
            <TextField field={fields.genderIdentity} label={optional("Gender identity")} autoComplete="off" />
            <SelectField field={fields.preferredLanguage} label="Preferred language" options={LANGUAGES.map((l) => ({ value: l, label: l }))} required />
          </IntakeSection>

          <IntakeSection
            title="Contact"
            columns={2}
            below={
              <>
                <TextareaField field={fields.address} label={optional("Address")} rows={2} />
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TextField field={fields.emergencyContactName} label={optional("Emergency contact")} autoComplete="off" />
                  <TextField field={fields.emergencyContactRelationship} label={optional("Relationship")} autoComplete="off" />
                  <TextField field={fields.emergencyContactPhone} label={optional("Emergency contact phone")} type="tel" autoComplete="off" />
                </SimpleGrid>
              </>
            }
          >
            <TextField field={fields.phone} label={optional("Phone")} type="tel" autoComplete="off" />
            <TextField field={fields.email} label={optional("Email")} type="email" autoComplete="off" />
          </IntakeSection>

          <IntakeSection title="Admission" columns={2}>
            <SelectField field={fields.siteId} label="Site" options={sites} required />
            <SelectField field={fields.referralSource} label="Referral source" options={REFERRAL_SOURCES} required />
            <DateField field={fields.admittedOn} label="Admission date" required />
            <SelectField field={fields.initialStatus} label="Status" options={INITIAL_STATUSES} required />
            <SelectField field={fields.levelOfCare} label="Level of care" options={LEVEL_LABELS} required />
            <SelectField
              field={fields.trackId}
              label={optional("Track")}
              options={tracks}
              allowEmpty
              placeholder="No track yet"
              description="They join the track's groups from the admission date."
            />
            <SelectField field={fields.primaryCounselorId} label="Primary counselor" options={counselors} required />
          </IntakeSection>

          <IntakeSection title="Payer" columns={3}>
            <SelectField field={fields.payerType} label="Payer" options={PAYER_TYPES} required />
            <TextField field={fields.payerPlan} label={optional("Plan name")} autoComplete="off" />
            <TextField field={fields.payerMemberId} label="Member id" description="Required for insurance." autoComplete="off" />
          </IntakeSection>

          <IntakeSection title="Detox and confidentiality" columns={3}>
            <SelectField field={fields.detoxStatus} label="Detox before start" options={DETOX_STATUSES} required />
            <DateField field={fields.detoxCompletedOn} label="Detox completed on" description="When detox is completed." max={today} />
            <DateField
              field={fields.part2NoticeOn}
              label={optional("Part 2 notice given on")}
              description="42 CFR §2.22 notice of confidentiality."
              max={today}
            />
          </IntakeSection>

          {hoursWarning && trackHours ? (
            // Beside the button just pressed: the question is about the track chosen above.
            <ConfirmAlert
              title="Check the track's hours"
              message={trackHours.message}
              name="confirmTrackHours"
              value={trackHours.trackId}
              label="Enroll anyway"
              loading={busy}
            />
          ) : null}
          <Group>
            <Button type="submit" loading={busy}>
              Enroll patient
            </Button>
            <Button component={Link} to="/patients" variant="default">
              Cancel
            </Button>
          </Group>
        </Stack>
      </Form>
    </Stack>
  );
}
