/** What the steps of signing in share: the centred heading, the code field, and the way out. */
import { Button, Text, TextInput, type TextInputProps, Title } from "@mantine/core";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

export function SignInHeading({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div>
      <Title order={1} ta="center">
        {title}
      </Title>
      <Text ta="center" c="dimmed">
        {children}
      </Text>
    </div>
  );
}

/** The six digits an authenticator app shows (room for a few more, so spaces typed with them fit). */
export function AuthenticatorCodeInput({ label = "Code from the app", ...props }: Omit<TextInputProps, "name" | "inputMode" | "autoComplete" | "maxLength">) {
  return <TextInput label={label} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={12} required {...props} />;
}

/** Ends a half-finished sign-in, after a line on why someone would. */
export function CancelSignIn({ children }: { children: ReactNode }) {
  return (
    <Form method="post" action="/logout">
      <Text size="sm" ta="center" c="dimmed">
        {children}{" "}
        <Button type="submit" variant="subtle" size="compact-sm">
          Cancel sign-in
        </Button>
      </Text>
    </Form>
  );
}
