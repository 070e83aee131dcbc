import { Button, type ButtonProps } from "@mantine/core";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * A form that is one named button: it posts the page's `intent` and any hidden values the action
 * needs with it (a record's `version`, a choice already made).
 */
export function IntentButton({
  intent,
  values = {},
  children,
  ...button
}: ButtonProps & { intent: string; values?: Record<string, string | number>; children: ReactNode }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(values).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" {...button}>
        {children}
      </Button>
    </Form>
  );
}
