import { type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Checkbox, Group, List, Radio, SimpleGrid } from "@mantine/core";
import { useNavigation } from "@remix-run/react";
import { DateField, optional, SelectField, TextField, TextareaField } from "~/components/form-fields";
import { CONSENT_STATEMENTS, EXPIRY_EVENTS, INFORMATION, PURPOSES, RECIPIENT_DESIGNATIONS, SIGNERS } from "../rules";
import { consentSchema } from "../schemas";
import { CheckboxChoices, ConsentsPageForm } from "./consents-page-form";

/** The written consent (42 CFR § 2.31) as it is on paper. */
export function RecordConsent({
  today,
  siteName,
  requestKey,
  lastResult,
}: {
  today: string;
  siteName: string;
  requestKey: string;
  lastResult?: SubmissionResult<string[]>;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { disclosingParty: siteName, signedOn: today, signedBy: "patient", recipientDesignation: "named", expiryEvent: "none" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: consentSchema(today) }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <ConsentsPageForm
      id="record-consent"
      title="Record a consent"
      intro="A written consent under 42 CFR § 2.31, signed by the patient (or for them). Record it as it is on paper; keep the signed form in the chart."
      form={form}
      intent="record"
      requestKey={requestKey}
      errorsTitle="Consent not recorded"
      submit="Record consent"
      busy={navigation.state === "submitting" && navigation.formData?.get("intent") === "record"}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextField field={fields.disclosingParty} label="Who may disclose" description="The program, by name." />
        <TextField
          field={fields.recipient}
          label="Recipient"
          description="The person or organization by name (e.g. Officer Dana Reyes, Kings County Probation). A TPO consent may use a general designation."
        />
      </SimpleGrid>
      <Radio.Group
        name={fields.recipientDesignation.name}
        label="The recipient is"
        defaultValue={(fields.recipientDesignation.initialValue as string) ?? "named"}
        error={fields.recipientDesignation.errors?.join(" ")}
      >
        <Group mt={6}>
          {Object.entries(RECIPIENT_DESIGNATIONS).map(([value, label]) => (
            <Radio key={value} value={value} label={label} />
          ))}
        </Group>
      </Radio.Group>
      <CheckboxChoices
        field={fields.purposes}
        label="Purposes"
        description="Treatment, payment and health-care operations together make a TPO consent."
        options={PURPOSES}
      />
      <TextField field={fields.purposeOther} label={optional("Other purpose, in words")} />
      <CheckboxChoices
        field={fields.information}
        label="Information that may be disclosed"
        options={INFORMATION}
        more={<Checkbox name={fields.information.name} value="all" label="All of the above except SUD counseling notes" />}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <DateField field={fields.expiresOn} label={optional("Expires on")} description="Not in force from this day." />
        <SelectField field={fields.expiryEvent} label="Or ends on an event" options={EXPIRY_EVENTS} />
        <TextField field={fields.expiryEventText} label={optional("The event, in words")} placeholder="e.g. when probation ends" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <DateField field={fields.signedOn} label="Signed on" max={today} />
        <SelectField field={fields.signedBy} label="Signed by" options={SIGNERS} />
        <TextField field={fields.signerName} label={optional("Name of who signed for the patient")} />
      </SimpleGrid>
      <Alert color="indigo" variant="light" title="What the patient is told">
        <List size="sm" spacing={4}>
          <List.Item>{CONSENT_STATEMENTS.revocation}</List.Item>
          <List.Item>{CONSENT_STATEMENTS.redisclosure}</List.Item>
          <List.Item>{CONSENT_STATEMENTS.refusal}</List.Item>
        </List>
      </Alert>
      <Checkbox
        name={fields.revocationExplained.name}
        value="yes"
        defaultChecked={fields.revocationExplained.initialValue === "yes"}
        label="The patient was told they may revoke this consent"
        error={fields.revocationExplained.errors?.join(" ")}
      />
      <TextareaField field={fields.note} label={optional("Note")} rows={2} />
    </ConsentsPageForm>
  );
}
