import { type FormMetadata, getFormProps } from "@conform-to/react";
import { Paper, Stack } from "@mantine/core";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormErrors } from "./form-errors";

/** A page's one form on its bordered sheet: the refusal of the whole form first, then its fields and buttons. */
export function FormPaper<Schema extends Record<string, unknown>>({ form, children }: { form: FormMetadata<Schema, string[]>; children: ReactNode }) {
  return (
    <Paper withBorder p="lg">
      <Form method="post" {...getFormProps(form)}>
        <Stack>
          <FormErrors errors={form.errors} />
          {children}
        </Stack>
      </Form>
    </Paper>
  );
}
