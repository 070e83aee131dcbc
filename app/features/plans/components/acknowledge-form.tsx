/**
 * The patient's acknowledgement, on a tablet handed to them: the plan in large type, then their
 * typed name and a box they tick to say they took part in writing it and agree. Touch targets are
 * at least 44 px.
 */
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Button, Checkbox, Stack, TextInput } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { useSchemaForm } from "~/components/schema-form";
import { acknowledgeSchema } from "../schemas";

export function AcknowledgeForm({ planId, version, lastResult }: { planId: string; version: number; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(acknowledgeSchema, { lastResult, defaultValue: { planId, version: String(version) } });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="planId" value={planId} />
      <input type="hidden" name="version" value={version} />
      <Stack gap="md" maw={560}>
        <FormErrors errors={form.errors} />
        <Checkbox
          name={fields.agree.name}
          size="lg"
          label="I took part in writing this plan, I have read it, and I agree to work on it."
          defaultChecked={fields.agree.initialValue === "on"}
          error={fields.agree.errors?.join(" ")}
        />
        <TextInput
          name={fields.typedName.name}
          size="lg"
          label="Your full name, as your signature"
          autoComplete="off"
          defaultValue={typeof fields.typedName.initialValue === "string" ? fields.typedName.initialValue : undefined}
          error={fields.typedName.errors?.join(" ")}
        />
        <Button type="submit" size="lg" h={48} loading={navigation.state !== "idle"}>
          Sign the plan
        </Button>
      </Stack>
    </Form>
  );
}
