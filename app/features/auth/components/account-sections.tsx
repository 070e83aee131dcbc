/** The sections of a person's own account page: who they are, their password, two-factor sign-in and open sessions. */
import { Alert, Badge, Button, Card, Group, List, Stack, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { IntentButton } from "~/components/intent-button";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from "~/features/auth/permissions";
import { SectionCard } from "~/components/section-card";

export function AccountSummary({ user, sites }: { user: { name: string; email: string; role: Role }; sites: string[] }) {
  return (
    <Card withBorder>
      <Stack gap={4}>
        <Group gap="xs">
          <Text fw={600}>{user.name}</Text>
          <Badge variant="light">{ROLE_LABELS[user.role]}</Badge>
        </Group>
        <Text size="sm">{user.email}</Text>
        <Text size="sm">{ROLE_DESCRIPTIONS[user.role]}</Text>
        <Text size="sm">Works at: {sites.length ? sites.join(", ") : "no site yet"}</Text>
      </Stack>
    </Card>
  );
}

export function PasswordCard() {
  return (
    <SectionCard title="Password">
      <Button component={Link} to="/account/password" variant="light">
        Change password
      </Button>
    </SectionCard>
  );
}

interface TwoFactorSummary {
  enabled: boolean;
  /** Already formatted in the site's zone. */
  enabledAt: string | null;
  recoveryCodesLeft: number;
  /** The program requires it for this person's role. */
  required: boolean;
}

export function TwoFactorCard({ twoFactor }: { twoFactor: TwoFactorSummary }) {
  return (
    <Card withBorder>
      <Group gap="xs" mb="xs">
        <Title order={2} size="h3">
          Two-factor sign-in
        </Title>
        <Badge color={twoFactor.enabled ? "teal.9" : "gray"} variant={twoFactor.enabled ? "filled" : "light"}>
          {twoFactor.enabled ? "On" : "Off"}
        </Badge>
      </Group>
      <Text size="sm" mb="sm">
        {twoFactor.enabled
          ? `On since ${twoFactor.enabledAt}, with ${twoFactor.recoveryCodesLeft} of 10 recovery codes unused.`
          : "A code from an app on your phone at each sign-in, so a stolen password alone cannot open patient records."}
        {twoFactor.required ? " The program requires it for your role." : ""}
      </Text>
      <Button component={Link} to="/account/two-factor" variant="light">
        {twoFactor.enabled ? "Manage two-factor sign-in" : "Set up two-factor sign-in"}
      </Button>
    </Card>
  );
}

/** How many devices the person is signed in on, and the way to sign out on all of them. */
export function SessionsCard({ openSessions }: { openSessions: number }) {
  return (
    <SectionCard title="Sessions">
      <Text size="sm" mb="sm">
        You are signed in on {openSessions} {openSessions === 1 ? "device" : "devices"}. If you left a session open on a shared computer, or think someone else
        has used your account, sign out everywhere.
      </Text>
      <Alert color="gray" mb="sm">
        <List size="sm">
          <List.Item>Every device, including this one, returns to the sign-in page.</List.Item>
        </List>
      </Alert>
      <IntentButton intent="sign-out-everywhere" color="red" variant="outline">
        Sign out everywhere
      </IntentButton>
    </SectionCard>
  );
}
