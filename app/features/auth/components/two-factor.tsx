import { Alert, Button, Code, Group, Image, List, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import { Form, Link } from "@remix-run/react";

/** The key in groups of four, as people copy it into an app by hand. */
export function groupedKey(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

/** Scan-or-type set-up of an authenticator app, and the field that proves it worked. */
export function AuthenticatorSetup(props: { secret: string; qr: string; error?: string; redirectTo?: string; submitting: boolean; intent?: string }) {
  return (
    <Stack>
      <List type="ordered" spacing="xs" size="sm">
        <List.Item>Open an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password, Authy or any TOTP app).</List.Item>
        <List.Item>Scan this QR code with it, or type the key below into it.</List.Item>
        <List.Item>Enter the six-digit code the app then shows.</List.Item>
      </List>
      <Group align="flex-start" gap="lg">
        <Image src={props.qr} alt="QR code for your authenticator app" w={180} h={180} radius="sm" />
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Key for typing in by hand
          </Text>
          <Code fz="md" aria-label="Key for typing in by hand">
            {groupedKey(props.secret)}
          </Code>
          <Text size="xs" c="dimmed">
            Time-based, six digits, every 30 seconds.
          </Text>
        </Stack>
      </Group>
      <Form method="post">
        {props.intent ? <input type="hidden" name="intent" value={props.intent} /> : null}
        <input type="hidden" name="secret" value={props.secret} />
        {props.redirectTo ? <input type="hidden" name="redirectTo" value={props.redirectTo} /> : null}
        <Group align="flex-end">
          <TextInput label="Code from the app" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={12} required error={props.error} w={220} />
          <Button type="submit" loading={props.submitting}>
            Turn on two-factor sign-in
          </Button>
        </Group>
      </Form>
    </Stack>
  );
}

/** Recovery codes, shown once, with what they are for. */
export function RecoveryCodes(props: { codes: string[]; continueTo?: string }) {
  return (
    <Stack>
      <Alert color="yellow" icon={<IconAlertCircle aria-hidden />} title="Save your recovery codes now">
        Each code signs you in once if you lose your phone. They are shown only this time: print them or keep them in a password manager, not on the phone itself.
      </Alert>
      <Title order={2} size="h4">
        Recovery codes
      </Title>
      <SimpleGrid cols={2} spacing={4} component="ul" aria-label="Recovery codes" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {props.codes.map((c) => (
          <li key={c}>
            <Code fz="md">{c}</Code>
          </li>
        ))}
      </SimpleGrid>
      {props.continueTo ? (
        <Button component={Link} to={props.continueTo} w="fit-content">
          I have saved my recovery codes
        </Button>
      ) : null}
    </Stack>
  );
}
