/**
 * A staff account's credentials and supervision, as an admin sets them: what they hold, whether
 * they sign clinical documents on their own, whether they supervise, and who usually co-signs.
 */
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Badge, Button, Checkbox, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Form } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { CheckboxField, SelectField, optional } from "~/components/form-fields";
import { useSchemaForm } from "~/components/schema-form";
import { CREDENTIALS, type CredentialCode, needsCoSignature } from "~/features/admin/credentials";
import { CredentialsSchema } from "~/features/admin/schemas";

interface CredentialsAccount {
  id: string;
  version: number;
  credentials: CredentialCode[];
  signsIndependently: boolean;
  clinicalSupervisor: boolean;
  usualSupervisorId: string | null;
}

/** What the page says of how this person signs. */
export function SigningBadges({ account }: { account: Pick<CredentialsAccount, "credentials" | "signsIndependently" | "clinicalSupervisor"> }) {
  if (!account.credentials.length || account.credentials.includes("NONE")) return null;
  return (
    <>
      {account.clinicalSupervisor ? (
        <Badge color="teal" variant="light">
          Clinical supervisor
        </Badge>
      ) : null}
      {needsCoSignature(account) ? (
        <Badge color="orange" variant="light">
          Needs co-signature
        </Badge>
      ) : null}
    </>
  );
}

export function CredentialsSection({
  account,
  supervisors,
  lastResult,
  busy,
}: {
  account: CredentialsAccount;
  supervisors: { id: string; name: string; credentials: string }[];
  lastResult: SubmissionResult<string[]> | undefined;
  busy: boolean;
}) {
  const [form, fields] = useSchemaForm(CredentialsSchema, {
    id: `credentials-${account.id}-${account.version}`,
    lastResult,
    defaultValue: {
      credentials: account.credentials,
      signsIndependently: account.signsIndependently ? "yes" : undefined,
      clinicalSupervisor: account.clinicalSupervisor ? "yes" : undefined,
      usualSupervisorId: account.usualSupervisorId ?? "",
    },
  });
  const initial = fields.credentials.initialValue;
  const chosen = Array.isArray(initial) ? (initial as string[]) : typeof initial === "string" ? [initial] : [];
  return (
    <Paper withBorder p="lg">
      <Group gap="xs" mb="sm">
        <Title order={2} size="h3">
          Credentials and supervision
        </Title>
        <SigningBadges account={account} />
      </Group>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="credentials" />
        <input type="hidden" name="version" value={account.version} />
        <Stack>
          <FormErrors errors={form.errors} />
          <Checkbox.Group
            label="Credentials"
            description="Everything they hold; shown beside their name."
            defaultValue={chosen}
            error={fields.credentials.errors?.join(" ")}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} verticalSpacing={6} mt={6}>
              {CREDENTIALS.map((c) => (
                <Checkbox key={c.code} value={c.code} name={fields.credentials.name} label={c.name} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <CheckboxField
            field={fields.signsIndependently}
            label="May sign clinical documents independently"
            description="Otherwise a clinical supervisor co-signs their plans, assessments and notes. Never for an intern or trainee."
          />
          <CheckboxField
            field={fields.clinicalSupervisor}
            label="Clinical supervisor: may co-sign for others"
            description="A supervisor signs independently and co-signs only for people at a site they work at."
          />
          <SelectField
            field={fields.usualSupervisorId}
            label={optional("Usual co-signing supervisor")}
            description="For someone who needs a co-signature: the supervisor who normally reviews their documents."
            options={supervisors.map((s) => ({ value: s.id, label: s.credentials ? `${s.name}, ${s.credentials}` : s.name }))}
            placeholder="No usual supervisor"
            allowEmpty
          />
          {!supervisors.length ? (
            <Text size="sm" c="dimmed">
              No clinical supervisor works at their sites yet.
            </Text>
          ) : null}
          <div>
            <Button type="submit" loading={busy}>
              Save credentials
            </Button>
          </div>
        </Stack>
      </Form>
    </Paper>
  );
}
