import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Button, Checkbox, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { DateField, optional, SelectField, TextField, TextareaField } from "~/components/form-fields";
import { INFORMATION, PURPOSES } from "../rules";
import { disclosureSchema } from "../schemas";
import { asList } from "./record-consent";

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
  const information = asList(fields.information.initialValue);
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="disclose-records">
      <Title order={2} size="h3" mb={4} id="disclose-records">
        Disclose records
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Produces a patient summary for one recipient and purpose, with the 42 CFR § 2.32 notice on top. It is made only when an active consent covers the
        recipient, the purpose and every kind of information you choose, and it is logged for the patient's accounting of disclosures.
      </Text>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="requestKey" value={requestKey} />
        <Stack>
          <FormErrors errors={form.errors} title="Not disclosed" />
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
          <Checkbox.Group
            label="Information to include"
            description="Only what the recipient needs. Diagnoses and MAT go only where the consent names them."
            defaultValue={information}
            error={fields.information.errors?.join(" ")}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt={6} spacing={6}>
              {Object.entries(INFORMATION).map(([value, label]) => (
                <Checkbox key={value} name={fields.information.name} value={value} label={label} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DateField field={fields.recordsFrom} label="Records from" description={`Through today, ${today}.`} max={today} />
            <TextareaField field={fields.note} label={optional("Note (not in the document)")} rows={1} />
          </SimpleGrid>
          <div>
            <Button type="submit" loading={navigation.state === "submitting"}>
              Disclose records
            </Button>
          </div>
        </Stack>
      </Form>
    </Paper>
  );
}
