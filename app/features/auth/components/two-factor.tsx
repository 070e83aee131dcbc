import { Alert, Button, Code, CopyButton, Group, Image, List, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMounted } from "@mantine/hooks";
import { IconAlertCircle, IconCheck, IconCopy, IconDownload, IconPrinter } from "@tabler/icons-react";
import { Form, Link } from "@remix-run/react";
import { AuthenticatorCodeInput } from "./sign-in-steps";
import classes from "./recovery-codes.module.css";
import { shortDate } from "~/kernel/time";

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
          <AuthenticatorCodeInput error={props.error} w={220} />
          <Button type="submit" loading={props.submitting}>
            Turn on two-factor sign-in
          </Button>
        </Group>
      </Form>
    </Stack>
  );
}

export const RECOVERY_CODES_FILENAME = "iop-dashboard-recovery-codes.txt";

/** The text file a person keeps: whose codes, from where, and the codes one a line. */
export function recoveryCodesText(codes: string[], account: string | undefined, madeOn: string): string {
  return [
    `IOP Dashboard recovery codes${account ? ` for ${account}` : ""}`,
    `Made ${shortDate(madeOn)}. Each code signs you in once if you lose your phone; making new codes ends these.`,
    "",
    ...codes,
    "",
  ].join("\n");
}

/** Saves the text as a file, made in the browser (nothing is sent anywhere; no URL holds the codes). */
function downloadText(text: string, filename: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Recovery codes, shown once, with what they are for, and ways to keep them: copy, download as a
 * text file, print (only the codes reach the paper). The buttons need JavaScript, so they appear
 * once the page has it; without it the codes are plain text to select, save or print.
 */
export function RecoveryCodes(props: { codes: string[]; account?: string; continueTo?: string }) {
  const withScript = useMounted();
  const asLines = props.codes.join("\n");
  return (
    <Stack className={classes.sheet}>
      <Alert className={classes.screenOnly} color="yellow" icon={<IconAlertCircle aria-hidden />} title="Save your recovery codes now">
        Each code signs you in once if you lose your phone. They are shown only this time: print them or keep them in a password manager, not on the phone
        itself.
      </Alert>
      <Title order={2} size="h4">
        Recovery codes
      </Title>
      <Text className={classes.printOnly} size="sm">
        IOP Dashboard{props.account ? ` · ${props.account}` : ""}. Each code signs you in once if you lose your phone. Keep this page somewhere safe, away from
        the phone.
      </Text>
      <SimpleGrid cols={2} spacing={4} component="ul" aria-label="Recovery codes" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {props.codes.map((c) => (
          <li key={c}>
            <Code fz="md">{c}</Code>
          </li>
        ))}
      </SimpleGrid>
      {withScript ? (
        <Group gap="xs" className={classes.screenOnly}>
          <CopyButton value={asLines} timeout={3000}>
            {({ copied, copy }) => (
              <Button
                variant="light"
                onClick={copy}
                leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                aria-live="polite"
              >
                {copied ? "Copied" : "Copy codes"}
              </Button>
            )}
          </CopyButton>
          <Button
            variant="light"
            leftSection={<IconDownload size={16} aria-hidden />}
            onClick={() => downloadText(recoveryCodesText(props.codes, props.account, new Date().toISOString().slice(0, 10)), RECOVERY_CODES_FILENAME)}
          >
            Download codes
          </Button>
          <Button variant="light" leftSection={<IconPrinter size={16} aria-hidden />} onClick={() => window.print()}>
            Print codes
          </Button>
        </Group>
      ) : null}
      {props.continueTo ? (
        <Button className={classes.screenOnly} component={Link} to={props.continueTo} w="fit-content">
          I have saved my recovery codes
        </Button>
      ) : null}
    </Stack>
  );
}
