/**
 * The sections of one staff account's page: who they are, their details, and what an admin can do
 * to the account (reset its password or two-factor sign-in, allow emergency access, deactivate).
 */
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Anchor, Badge, Button, Card, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormErrors } from "~/components/form-errors";
import { PasswordField } from "~/components/form-fields";
import { IntentButton } from "~/components/intent-button";
import { useSchemaForm } from "~/components/schema-form";
import type { getUser } from "~/features/admin/users.server";
import { ROLE_LABELS } from "~/features/auth/permissions";
import { ResetPasswordSchema, UpdateUserSchema } from "~/features/auth/schemas";
import { formatInstant } from "~/kernel/time";
import { SigningBadges } from "./credentials-section";
import { UserFields } from "./user-fields";

type Account = NonNullable<Awaited<ReturnType<typeof getUser>>>;
type Reply = SubmissionResult<string[]> | undefined;

/** One titled section of the page, with what sits beside its title. */
function Section({ title, beside, children }: { title: string; beside?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="lg">
      {beside ? (
        <Group gap="xs" mb="sm">
          <Title order={2} size="h3">
            {title}
          </Title>
          {beside}
        </Group>
      ) : (
        <Title order={2} size="h3" mb="sm">
          {title}
        </Title>
      )}
      {children}
    </Paper>
  );
}

export function UserHeading({ account, timeZone }: { account: Account; timeZone: string }) {
  return (
    <div>
      <Anchor component={Link} to="/admin/users" size="sm">
        ← Staff accounts
      </Anchor>
      <Group gap="sm" align="center">
        <Title order={1}>{account.name}</Title>
        {account.credentialsLabel ? (
          <Text fw={600} c="dimmed" aria-label={`Credentials: ${account.credentialsLabel}`}>
            {account.credentialsLabel}
          </Text>
        ) : null}
        <Badge variant="light">{ROLE_LABELS[account.role]}</Badge>
        <SigningBadges account={account} />
        {!account.active ? (
          <Badge color="gray" variant="filled">
            Deactivated
          </Badge>
        ) : account.must_change_password ? (
          <Badge color="yellow" variant="light">
            Must set password
          </Badge>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        Last sign-in: {account.last_sign_in_at ? formatInstant(account.last_sign_in_at, timeZone) : "never"} · Open sessions: {account.openSessions}
      </Text>
    </div>
  );
}

export function DetailsSection({
  account,
  sites,
  lastResult,
  busy,
}: {
  account: Account;
  sites: { id: string; name: string }[];
  lastResult: Reply;
  busy: boolean;
}) {
  const [form, fields] = useSchemaForm(UpdateUserSchema, {
    id: `edit-${account.id}-${account.version}`,
    lastResult,
    defaultValue: { name: account.name, email: account.email, role: account.role, siteIds: account.siteIds },
  });
  return (
    <Section title="Details">
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="version" value={account.version} />
        <Stack>
          <FormErrors errors={form.errors} />
          <UserFields fields={fields} sites={sites} />
          <Text size="sm" c="dimmed">
            Changing the role signs them out, so their next page shows what the new role allows.
          </Text>
          <div>
            <Button type="submit" loading={busy}>
              Save changes
            </Button>
          </div>
        </Stack>
      </Form>
    </Section>
  );
}

export function ResetPasswordSection({ accountId, lastResult, busy }: { accountId: string; lastResult: Reply; busy: boolean }) {
  const [form, fields] = useSchemaForm(ResetPasswordSchema, { id: `reset-${accountId}`, lastResult });
  return (
    <Section title="Reset password">
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="reset-password" />
        <Stack>
          <FormErrors errors={form.errors} />
          <PasswordField
            field={fields.temporaryPassword}
            label="New temporary password"
            description="Ends their open sessions; they must choose their own password at next sign-in."
            autoComplete="new-password"
            required
          />
          <div>
            <Button type="submit" variant="light" loading={busy}>
              Reset password
            </Button>
          </div>
        </Stack>
      </Form>
    </Section>
  );
}

export function TwoFactorSection({ account, timeZone, errors, busy }: { account: Account; timeZone: string; errors?: string[] | null; busy: boolean }) {
  return (
    <Section title="Two-factor sign-in">
      <FormErrors errors={errors} mb="sm" />
      <Text size="sm" mb="sm">
        {account.totp_enabled_at
          ? `On since ${formatInstant(account.totp_enabled_at, timeZone)}. If they lost their phone and their recovery codes, reset it: their sessions end and they set it up again at their next sign-in.`
          : account.twoFactorStarted
            ? "Set-up was started but not finished."
            : "Not set up."}
      </Text>
      {account.totp_enabled_at || account.twoFactorStarted ? (
        <IntentButton intent="reset-two-factor" color="red" variant="outline" loading={busy}>
          Reset two-factor sign-in
        </IntentButton>
      ) : null}
    </Section>
  );
}

export function EmergencyAccessSection({ account, errors, busy }: { account: Account; errors?: string[] | null; busy: boolean }) {
  const allowed = account.emergency_access;
  return (
    <Section
      title="Emergency access"
      beside={
        allowed ? (
          <Badge color="red.9" variant="filled">
            May break the glass
          </Badge>
        ) : null
      }
    >
      <FormErrors errors={errors} mb="sm" />
      <Text size="sm" mb="sm">
        Someone named here can open a chart their role or sites would not show — in an emergency, after stating why. Each access lasts one hour, every page they
        view is audited, and each one appears in the{" "}
        <Anchor component={Link} to="/admin/emergency-access">
          emergency access report
        </Anchor>
        .
      </Text>
      <IntentButton
        intent="emergency-access"
        values={{ version: account.version, allowed: allowed ? "no" : "yes" }}
        variant="outline"
        color={allowed ? "gray" : undefined}
        loading={busy}
      >
        {allowed ? "Withdraw emergency access" : "Allow emergency access"}
      </IntentButton>
    </Section>
  );
}

export function ActiveSection({ account, errors, busy }: { account: Account; errors?: string[] | null; busy: boolean }) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="sm">
        {account.active ? "Deactivate" : "Reactivate"}
      </Title>
      <FormErrors errors={errors} mb="sm" />
      <Text size="sm" mb="sm">
        {account.active
          ? "When someone leaves the clinic, deactivate their account: they are signed out at once and cannot sign in again. Their history stays in the audit log."
          : "Reactivating lets them sign in again with their current password."}
      </Text>
      <IntentButton
        intent={account.active ? "deactivate" : "reactivate"}
        values={{ version: account.version }}
        color={account.active ? "red" : "teal"}
        variant="outline"
        loading={busy}
      >
        {account.active ? "Deactivate account" : "Reactivate account"}
      </IntentButton>
    </Card>
  );
}
