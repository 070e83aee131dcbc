import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Button, Card, Checkbox, Group, List, Paper, Radio, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { DateField, optional, SelectField, TextField, TextareaField } from "~/components/form-fields";
import { ConsentStateBadge } from "~/features/consents/components/consent-state";
import { consentsOf, type ConsentView, markConsentExpired, recordConsent, revokeConsent } from "~/features/consents/consents.server";
import { CONSENT_STATEMENTS, EXPIRY_EVENTS, INFORMATION, listLabels, PURPOSES, RECIPIENT_DESIGNATIONS, SIGNERS, type Signer } from "~/features/consents/rules";
import { consentSchema, markExpiredSchema, revokeSchema } from "~/features/consents/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { refusedReply } from "~/utils/forms.server";
import { newId } from "~/utils/ids";
import { redirectWithToast } from "~/kernel/http.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, today, header } = await requirePatient(args, "manage:consents", "consents");
  return {
    today,
    patientName: header.identity.name,
    siteName: header.identity.siteName,
    // A fresh key per form: a double submit finds the consent the first one recorded.
    requestKey: newId(),
    consents: await consentsOf(db, patientId, today),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "manage:consents", null);
  const formData = await args.request.formData();
  const siteIds = sites.map((s) => s.id);
  const done = (message: string) => redirectWithToast(`/patients/${patientId}/consents`, message);
  const intent = formData.get("intent");
  if (intent === "revoke" || intent === "expire") {
    const id = String(formData.get("consentId") ?? "");
    if (intent === "revoke") {
      const submission = parseWithZod(formData, { schema: revokeSchema(today) });
      if (submission.status !== "success") return data({ intent, id, reply: submission.reply() }, { status: 400 });
      const result = await revokeConsent(db, user, patientId, submission.value, siteIds, meta);
      if (!result.ok) return data({ intent, id, reply: refusedReply(submission, result) }, { status: result.status });
      return done(`Consent revoked as of ${submission.value.revokedOn}.`);
    }
    const submission = parseWithZod(formData, { schema: markExpiredSchema(today) });
    if (submission.status !== "success") return data({ intent, id, reply: submission.reply() }, { status: 400 });
    const result = await markConsentExpired(db, user, patientId, submission.value, siteIds, meta);
    if (!result.ok) return data({ intent, id, reply: refusedReply(submission, result) }, { status: result.status });
    return done(`Consent marked expired as of ${submission.value.expiredOn}.`);
  }
  const submission = parseWithZod(formData, { schema: consentSchema(today) });
  if (submission.status !== "success") return data({ intent: "record", id: "", reply: submission.reply() }, { status: 400 });
  const result = await recordConsent(db, user, patientId, submission.value, siteIds, meta);
  if (!result.ok) return data({ intent: "record", id: "", reply: refusedReply(submission, result) }, { status: result.status });
  return done(`Consent for ${submission.value.recipient} recorded.`);
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === "string" ? [v] : []);

function RecordConsent({
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
  const information = asList(fields.information.initialValue);
  const purposes = asList(fields.purposes.initialValue);
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="record-consent">
      <Title order={2} size="h3" mb={4} id="record-consent">
        Record a consent
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        A written consent under 42 CFR § 2.31, signed by the patient (or for them). Record it as it is on paper; keep the signed form in the chart.
      </Text>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="record" />
        <input type="hidden" name="requestKey" value={requestKey} />
        <Stack>
          <FormErrors errors={form.errors} title="Consent not recorded" />
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
          <Checkbox.Group
            label="Purposes"
            description="Treatment, payment and health-care operations together make a TPO consent."
            defaultValue={purposes}
            error={fields.purposes.errors?.join(" ")}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt={6} spacing={6}>
              {Object.entries(PURPOSES).map(([value, label]) => (
                <Checkbox key={value} name={fields.purposes.name} value={value} label={label} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <TextField field={fields.purposeOther} label={optional("Other purpose, in words")} />
          <Checkbox.Group label="Information that may be disclosed" defaultValue={information} error={fields.information.errors?.join(" ")}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt={6} spacing={6}>
              {Object.entries(INFORMATION).map(([value, label]) => (
                <Checkbox key={value} name={fields.information.name} value={value} label={label} />
              ))}
              <Checkbox name={fields.information.name} value="all" label="All of the above" />
            </SimpleGrid>
          </Checkbox.Group>
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
          <div>
            <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "record"}>
              Record consent
            </Button>
          </div>
        </Stack>
      </Form>
    </Paper>
  );
}

type ActionData = { intent: string; id: string; reply: SubmissionResult<string[]> } | undefined;

function ConsentCard({ c, today, actionData }: { c: ConsentView; today: string; actionData: ActionData }) {
  const mine = actionData && actionData.id === c.id ? actionData : undefined;
  const errors = (name: string) => mine?.reply.error?.[name]?.join(" ");
  const formError = mine?.reply.error?.[""];
  const headingId = `consent-${c.id}`;
  const signer = c.signedBy === "patient" ? "the patient" : `${c.signerName} (${SIGNERS[c.signedBy as Signer]?.toLowerCase() ?? c.signedBy})`;
  const expiry = [
    c.expiresOn ? `on ${c.expiresOn}` : null,
    c.expiryEvent === "discharge" ? "on discharge from treatment" : null,
    c.expiryEvent === "other" ? `when ${c.expiryEventText}` : null,
  ]
    .filter(Boolean)
    .join(", or ");
  return (
    <Paper
      withBorder
      p="md"
      component="section"
      aria-labelledby={headingId}
      style={c.state.active ? undefined : { borderStyle: "dashed", background: "var(--mantine-color-default-hover)" }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={3} size="h5" id={headingId} c={c.state.active ? undefined : "dimmed"}>
            {c.recipient}
            {c.recipientDesignation === "general" ? " (general designation)" : ""}
          </Title>
          <Text size="sm" c={c.state.active ? undefined : "dimmed"}>
            For {listLabels(PURPOSES, c.purposes)}
            {c.purposeOther ? ` (${c.purposeOther})` : ""} · {listLabels(INFORMATION, c.information)}
          </Text>
        </div>
        <ConsentStateBadge state={c.state} />
      </Group>
      <Text size="xs" c="dimmed" mt={6}>
        {c.disclosingParty} may disclose. Signed {c.signedOn} by {signer}; ends {expiry}. Told they may revoke: {c.revocationExplained ? "yes" : "no"}. Recorded
        by {c.recordedBy}.{c.note ? ` Note: ${c.note}` : ""}
      </Text>
      {c.revokedOn ? (
        <Text size="xs" c="dimmed" mt={4}>
          Revoked {c.revokedOn} ({c.revokedBy}): {c.revocationNote}
        </Text>
      ) : null}
      {c.expiredOn ? (
        <Text size="xs" c="dimmed" mt={4}>
          Expiry event marked {c.expiredOn} ({c.expiredBy}){c.expiryNote ? `: ${c.expiryNote}` : ""}
        </Text>
      ) : null}
      {c.state.active ? (
        <Stack gap="xs" mt="sm">
          {formError ? <FormErrors errors={formError} /> : null}
          <Form method="post">
            <input type="hidden" name="intent" value="revoke" />
            <input type="hidden" name="consentId" value={c.id} />
            <input type="hidden" name="version" value={c.version} />
            <Group gap="xs" align="flex-end">
              <TextInput
                type="date"
                size="xs"
                name="revokedOn"
                label="Revoked on"
                defaultValue={(mine?.intent === "revoke" && (mine.reply.initialValue?.revokedOn as string)) || today}
                max={today}
                error={mine?.intent === "revoke" ? errors("revokedOn") : undefined}
              />
              <TextInput
                size="xs"
                name="revocationNote"
                label="How the patient revoked it"
                placeholder="e.g. in writing, letter dated …"
                defaultValue={mine?.intent === "revoke" ? ((mine.reply.initialValue?.revocationNote as string) ?? "") : ""}
                error={mine?.intent === "revoke" ? errors("revocationNote") : undefined}
                style={{ flex: 1, minWidth: 220 }}
              />
              <Button type="submit" size="xs" color="red" variant="outline">
                Revoke consent
              </Button>
            </Group>
          </Form>
          {c.expiryEvent === "other" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="expire" />
              <input type="hidden" name="consentId" value={c.id} />
              <input type="hidden" name="version" value={c.version} />
              <Group gap="xs" align="flex-end">
                <TextInput
                  type="date"
                  size="xs"
                  name="expiredOn"
                  label="The event happened on"
                  defaultValue={today}
                  max={today}
                  error={mine?.intent === "expire" ? errors("expiredOn") : undefined}
                />
                <TextInput size="xs" name="expiryNote" label={optional("Note")} style={{ flex: 1, minWidth: 220 }} />
                <Button type="submit" size="xs" variant="default">
                  Mark expired
                </Button>
              </Group>
            </Form>
          ) : null}
        </Stack>
      ) : null}
    </Paper>
  );
}

export default function Consents() {
  const { consents, today, siteName, requestKey, patientName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData;
  const active = consents.filter((c) => c.state.active).length;
  return (
    <Stack gap="md">
      <Card withBorder>
        <Title order={2} size="h3" mb={4}>
          Part 2 consents
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {patientName}'s written consents to disclose their records (42 CFR § 2.31): {active} active of {consents.length}. Revoked and expired consents stay
          here, marked inactive.
        </Text>
        {consents.length === 0 ? (
          <Text c="dimmed">No consents recorded.</Text>
        ) : (
          <Stack gap="sm">
            {consents.map((c) => (
              <ConsentCard key={`${c.id}-${c.version}`} c={c} today={today} actionData={actionData} />
            ))}
          </Stack>
        )}
      </Card>
      <RecordConsent
        key={consents.length}
        today={today}
        siteName={siteName}
        requestKey={requestKey}
        lastResult={actionData?.intent === "record" ? actionData.reply : undefined}
      />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
