import type { FieldMetadata } from "@conform-to/react";
import { Group } from "@mantine/core";
import { CheckboxField, SelectField, TextField, optional } from "~/components/form-fields";
import { PAYER_KINDS } from "../rules";

type F = FieldMetadata<unknown>;

/** The fields of a payer, for the add and edit forms. */
export function PayerFields({ fields }: { fields: { name: F; kind: F; payerCode: F; active: F } }) {
  return (
    <>
      <Group align="flex-start" grow>
        <TextField field={fields.name} label="Payer name" required maxLength={120} />
        <SelectField field={fields.kind} label="Kind" options={PAYER_KINDS} required />
      </Group>
      <TextField
        field={fields.payerCode}
        label={optional("Electronic payer id")}
        description="The id your clearinghouse lists for claims to this payer (the 837's payer id). Leave empty for self-pay and grants."
        maxLength={40}
      />
      <CheckboxField field={fields.active} label="Active (offered when adding a coverage)" />
    </>
  );
}
