import type { FieldMetadata } from "@conform-to/react";
import { Checkbox, Stack } from "@mantine/core";
import { SelectField, TextField } from "~/components/form-fields";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from "~/features/auth/permissions";

interface UserFieldsProps {
  fields: {
    name: FieldMetadata<string>;
    email: FieldMetadata<string>;
    role: FieldMetadata<string>;
    siteIds: FieldMetadata<string[]>;
  };
  sites: { id: string; name: string }[];
}

/** Name, email, role and sites: the part of a staff account an admin edits. */
export function UserFields({ fields, sites }: UserFieldsProps) {
  const initialSites = fields.siteIds.initialValue;
  const siteDefault = Array.isArray(initialSites) ? (initialSites as string[]) : typeof initialSites === "string" ? [initialSites] : [];
  return (
    <Stack>
      <TextField field={fields.name} label="Full name" required autoComplete="off" />
      <TextField field={fields.email} label="Email" type="email" required autoComplete="off" />
      <SelectField
        field={fields.role}
        label="Role"
        description={ROLES.map((r) => `${ROLE_LABELS[r]}: ${ROLE_DESCRIPTIONS[r]}`).join(" ")}
        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        placeholder="Choose a role"
        required
      />
      <Checkbox.Group
        label="Works at"
        defaultValue={siteDefault.length ? siteDefault : sites.length === 1 ? [sites[0].id] : []}
        error={fields.siteIds.errors?.join(" ")}
      >
        <Stack gap={6} mt={6}>
          {sites.map((s) => (
            <Checkbox key={s.id} value={s.id} name={fields.siteIds.name} label={s.name} />
          ))}
        </Stack>
      </Checkbox.Group>
    </Stack>
  );
}
