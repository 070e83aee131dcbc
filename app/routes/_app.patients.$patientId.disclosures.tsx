import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Button, Card, Checkbox, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { DateField, optional, SelectField, TextField, TextareaField } from "~/components/form-fields";
import { consentsOf } from "~/features/consents/consents.server";
import { discloseRecords, disclosuresOf } from "~/features/consents/disclosures.server";
import { INFORMATION, listLabels, PURPOSES } from "~/features/consents/rules";
import { disclosureSchema } from "~/features/consents/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { addDays } from "~/kernel/time";
import { refusedReply } from "~/utils/forms.server";
import { newId } from "~/utils/ids";
import { toastHeader } from "~/kernel/toast.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, today, header } = await requirePatient(args, "disclose:records", "disclosures");
  const [consents, disclosures] = await Promise.all([consentsOf(db, patientId, today), disclosuresOf(db, patientId)]);
  return {
    patientId,
    today,
    patientName: header.identity.name,
    requestKey: newId(),
    // The records start, by default, at this episode's admission (at most a year back).
    recordsFrom: [header.clinical.admittedOn ?? today, addDays(today, -365)].sort().pop()!,
    active: consents
      .filter((c) => c.state.active)
      .map((c) => ({
        id: c.id,
        recipient: c.recipient,
        general: c.recipientDesignation === "general",
        purposes: listLabels(PURPOSES, c.purposes),
        information: listLabels(INFORMATION, c.information),
        signedOn: c.signedOn,
      })),
    disclosures,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "disclose:records", null);
  const formData = await args.request.formData();
  const submission = parseWithZod(formData, { schema: disclosureSchema(today) });
  if (submission.status !== "success") return data({ reply: submission.reply() }, { status: 400 });
  const result = await discloseRecords(
    db,
    user,
    patientId,
    submission.value,
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data({ reply: refusedReply(submission, result) }, { status: result.status });
  return redirect(`/disclosures/${result.id}`, {
    headers: {
      "Set-Cookie": await toastHeader({ kind: "success", message: `Disclosure to ${submission.value.recipient} recorded. Print it or save it as PDF.` }),
    },
  });
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === "string" ? [v] : []);

function DiscloseForm({
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

export default function Disclosures() {
  const { patientId, today, requestKey, recordsFrom, active, disclosures, patientName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const recipients = [...new Set(active.filter((c) => !c.general).map((c) => c.recipient))];
  return (
    <Stack gap="md">
      <Card withBorder>
        <Title order={2} size="h3" mb={4}>
          Active consents
        </Title>
        {active.length === 0 ? (
          <Text c="dimmed" size="sm">
            {patientName} has no active consent: nothing can be disclosed.{" "}
            <Anchor component={Link} to={`/patients/${patientId}/consents`}>
              Record a consent
            </Anchor>{" "}
            first.
          </Text>
        ) : (
          <Table fz="sm" aria-label="Active consents">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Recipient</Table.Th>
                <Table.Th>Purposes</Table.Th>
                <Table.Th>Information</Table.Th>
                <Table.Th>Signed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {active.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    {c.recipient}
                    {c.general ? " (general designation: any recipient for these purposes)" : ""}
                  </Table.Td>
                  <Table.Td>{c.purposes}</Table.Td>
                  <Table.Td>{c.information}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{c.signedOn}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <DiscloseForm
        key={disclosures.length}
        today={today}
        requestKey={requestKey}
        recordsFrom={recordsFrom}
        recipients={recipients}
        lastResult={actionData?.reply}
      />
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h3">
            Disclosures
          </Title>
          <Anchor component={Link} to={`/patients/${patientId}/accounting-of-disclosures`}>
            Print the accounting of disclosures (last 3 years)
          </Anchor>
        </Group>
        {disclosures.length === 0 ? (
          <Text c="dimmed">No disclosures made.</Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table fz="sm" striped aria-label="Disclosures">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>Recipient</Table.Th>
                  <Table.Th>Purpose</Table.Th>
                  <Table.Th>Information</Table.Th>
                  <Table.Th>Consent</Table.Th>
                  <Table.Th>By</Table.Th>
                  <Table.Th>Document</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {disclosures.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>{d.disclosedOn}</Table.Td>
                    <Table.Td>{d.recipient}</Table.Td>
                    <Table.Td>{d.purpose}</Table.Td>
                    <Table.Td>{d.information.join(", ")}</Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>Signed {d.consent.signedOn}</Table.Td>
                    <Table.Td>{d.disclosedBy}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/disclosures/${d.id}`} aria-label={`Open the disclosure to ${d.recipient} on ${d.disclosedOn}`}>
                        Open
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
