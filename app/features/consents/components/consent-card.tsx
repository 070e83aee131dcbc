import type { SubmissionResult } from "@conform-to/react";
import { Button, type ButtonProps, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormErrors } from "~/components/form-errors";
import { optional } from "~/components/form-fields";
import { type ConsentState, type ConsentTerms, INFORMATION, listLabels, PURPOSES, SIGNERS, type Signer } from "../rules";
import { ConsentStateBadge } from "./consent-state";
import { shortDate } from "~/kernel/time";

/** A recorded consent as the chart lists it. */
export interface ConsentCardView extends ConsentTerms {
  state: ConsentState;
  disclosingParty: string;
  purposeOther: string | null;
  expiryEventText: string | null;
  signedBy: string;
  signerName: string | null;
  revocationExplained: boolean;
  note: string | null;
  revocationNote: string | null;
  revokedBy: string | null;
  expiryNote: string | null;
  expiredBy: string | null;
  recordedBy: string | null;
  version: number;
}

/** The consents page's answer to a refused form: which form (intent, consent) it belongs to. */
export type ActionData = { intent: string; id: string; reply: SubmissionResult<string[]> } | undefined;

/** A form that ends one consent, naming the version it was read at: a day, a note and its button, on one line. */
function ConsentForm({
  intent,
  c,
  submit,
  button,
  children,
}: {
  intent: "revoke" | "expire";
  c: { id: string; version: number };
  submit: string;
  button: ButtonProps;
  children: ReactNode;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="consentId" value={c.id} />
      <input type="hidden" name="version" value={c.version} />
      <Group gap="xs" align="flex-end">
        {children}
        <Button type="submit" size="xs" {...button}>
          {submit}
        </Button>
      </Group>
    </Form>
  );
}

/** The day a consent ended, which cannot be after today. */
function EndedOn({ today, ...input }: { name: string; label: string; today: string; defaultValue: string; error?: string }) {
  return <TextInput type="date" size="xs" max={today} {...input} />;
}

/** The words that go with the end of a consent, taking the rest of the line. */
function EndNote(input: { name: string; label: string; placeholder?: string; defaultValue?: string; error?: string }) {
  return <TextInput size="xs" style={{ flex: 1, minWidth: 220 }} {...input} />;
}

/** One consent: its terms, its state, and while it is active the forms that end it. */
export function ConsentCard({ c, today, actionData }: { c: ConsentCardView; today: string; actionData: ActionData }) {
  const mine = actionData && actionData.id === c.id ? actionData : undefined;
  const errors = (name: string) => mine?.reply.error?.[name]?.join(" ");
  const formError = mine?.reply.error?.[""];
  const headingId = `consent-${c.id}`;
  const signer = c.signedBy === "patient" ? "the patient" : `${c.signerName} (${SIGNERS[c.signedBy as Signer]?.toLowerCase() ?? c.signedBy})`;
  const expiry = [
    c.expiresOn ? `on ${shortDate(c.expiresOn)}` : null,
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
        {c.disclosingParty} may disclose. Signed {shortDate(c.signedOn)} by {signer}; ends {expiry}. Told they may revoke:{" "}
        {c.revocationExplained ? "yes" : "no"}. Recorded by {c.recordedBy}.{c.note ? ` Note: ${c.note}` : ""}
      </Text>
      {c.revokedOn ? (
        <Text size="xs" c="dimmed" mt={4}>
          Revoked {shortDate(c.revokedOn)} ({c.revokedBy}): {c.revocationNote}
        </Text>
      ) : null}
      {c.expiredOn ? (
        <Text size="xs" c="dimmed" mt={4}>
          Expiry event marked {shortDate(c.expiredOn)} ({c.expiredBy}){c.expiryNote ? `: ${c.expiryNote}` : ""}
        </Text>
      ) : null}
      {c.state.active ? (
        <Stack gap="xs" mt="sm">
          {formError ? <FormErrors errors={formError} /> : null}
          <ConsentForm intent="revoke" c={c} submit="Revoke consent" button={{ color: "red", variant: "outline" }}>
            <EndedOn
              name="revokedOn"
              label="Revoked on"
              today={today}
              defaultValue={(mine?.intent === "revoke" && (mine.reply.initialValue?.revokedOn as string)) || today}
              error={mine?.intent === "revoke" ? errors("revokedOn") : undefined}
            />
            <EndNote
              name="revocationNote"
              label="How the patient revoked it"
              placeholder="e.g. in writing, letter dated …"
              defaultValue={mine?.intent === "revoke" ? ((mine.reply.initialValue?.revocationNote as string) ?? "") : ""}
              error={mine?.intent === "revoke" ? errors("revocationNote") : undefined}
            />
          </ConsentForm>
          {c.expiryEvent === "other" ? (
            <ConsentForm intent="expire" c={c} submit="Mark expired" button={{ variant: "default" }}>
              <EndedOn
                name="expiredOn"
                label="The event happened on"
                today={today}
                defaultValue={today}
                error={mine?.intent === "expire" ? errors("expiredOn") : undefined}
              />
              <EndNote name="expiryNote" label={optional("Note")} />
            </ConsentForm>
          ) : null}
        </Stack>
      ) : null}
    </Paper>
  );
}
