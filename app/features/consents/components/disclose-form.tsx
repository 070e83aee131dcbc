import { type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { SimpleGrid } from "@mantine/core";
import { useNavigation } from "@remix-run/react";
import { DateField, optional, SelectField, TextField, TextareaField } from "~/components/form-fields";
import { INFORMATION, PURPOSES } from "../rules";
import { disclosureSchema } from "../schemas";
import { CheckboxChoices, ConsentsPageForm } from "./consents-page-form";
import { shortDate } from "~/kernel/time";

/** One disclosure: a recipient, a purpose and the information, made only under an active consent. */
export function DiscloseForm({
  today,
  requestKey,
  recordsFrom,
  recipients,
  lastResult,
}: {
  today: string;
  requestKey: string;
  recordsFrom: string;
  recipients: string[];
  lastResult?: SubmissionResult<string[]>;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { recordsFrom, information: ["attendance", "drug_tests", "level_of_care"] },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: disclosureSchema(today) }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <ConsentsPageForm
      id="disclose-records"
      title="Disclose records"
      intro="Produces a patient summary for one recipient and purpose, with the 42 CFR § 2.32 notice on top. It is made only when an active consent covers the recipient, the purpose and every kind of information you choose, and it is logged for the patient's accounting of disclosures."
      form={form}
      requestKey={requestKey}
      errorsTitle="Not disclosed"
      submit="Disclose records"
      busy={navigation.state === "submitting"}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextField field={fields.recipient} label="Recipient" description="As named on the consent." list="consented-recipients" autoComplete="off" />
        <SelectField field={fields.purpose} label="Purpose" options={PURPOSES} />
      </SimpleGrid>
      <datalist id="consented-recipients">
        {recipients.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <TextField field={fields.purposeDetail} label={optional("Purpose, in words")} description="Needed for another purpose." />
      <CheckboxChoices
        field={fields.information}
        label="Information to include"
        description="Only what the recipient needs. Diagnoses and MAT go only where the consent names them."
        options={INFORMATION}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DateField field={fields.recordsFrom} label="Records from" description={`Through today, ${shortDate(today)}.`} max={today} />
        <TextareaField field={fields.note} label={optional("Note (not in the document)")} rows={1} />
      </SimpleGrid>
    </ConsentsPageForm>
  );
}
