import { type FormMetadata, getFormProps } from "@conform-to/react";
import { Button, type ButtonProps, Stack } from "@mantine/core";
import { Form } from "@remix-run/react";
import type { FormEventHandler, ReactNode } from "react";
import { FormErrors } from "~/components/form-errors";

/**
 * A page's form: posts its `intent` when the page has several forms, and the record's `version`
 * when it has one; shows its refusal above its fields and ends with its named button.
 */
export interface IntentFormProps<Schema extends Record<string, unknown>> {
  form: FormMetadata<Schema, string[]>;
  /** Left out for a page's only form. */
  intent?: string;
  version?: number;
  errorsTitle?: string;
  submit: string;
  button?: ButtonProps;
  /** Tighter spacing, for two small forms side by side. */
  compact?: boolean;
  onChange?: FormEventHandler<HTMLFormElement>;
  /** A warning to confirm, shown in place of the refusal: its button submits the form again with its confirmation. */
  confirm?: ReactNode;
  children: ReactNode;
}

export function IntentForm<Schema extends Record<string, unknown>>({
  form,
  intent,
  version,
  errorsTitle,
  submit,
  button,
  compact = false,
  onChange,
  confirm,
  children,
}: IntentFormProps<Schema>) {
  return (
    <Form method="post" {...getFormProps(form)} onChange={onChange}>
      {intent === undefined ? null : <input type="hidden" name="intent" value={intent} />}
      {version === undefined ? null : <input type="hidden" name="version" value={version} />}
      <Stack gap={compact ? "xs" : undefined}>
        {confirm ?? <FormErrors errors={form.errors} title={errorsTitle} />}
        {children}
        <div>
          <Button type="submit" {...button}>
            {submit}
          </Button>
        </div>
      </Stack>
    </Form>
  );
}
