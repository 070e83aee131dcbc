import type { FieldMetadata } from "@conform-to/react";
import { Checkbox, NativeSelect, Stack, TextInput } from "@mantine/core";
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
  const role = (fields.role.initialValue as string | undefined) ?? "";
  return (
    <Stack>
      <TextInput
        label="Full name"
        name={fields.name.name}
        defaultValue={fields.name.initialValue as string | undefined}
        error={fields.name.errors?.join(" ")}
        required
        autoComplete="off"
      />
      <TextInput
        label="Email"
        type="email"
        name={fields.email.name}
        defaultValue={fields.email.initialValue as string | undefined}
        error={fields.email.errors?.join(" ")}
        required
        autoComplete="off"
      />
      <NativeSelect
        label="Role"
        name={fields.role.name}
        defaultValue={role}
        error={fields.role.errors?.join(" ")}
        description={ROLES.map((r) => `${ROLE_LABELS[r]}: ${ROLE_DESCRIPTIONS[r]}`).join(" ")}
        data={[{ value: "", label: "Choose a role", disabled: true }, ...ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))]}
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
