import { Alert, Button, Group, NativeSelect, TextInput } from "@mantine/core";
import { Form } from "@remix-run/react";
import { FilterSelect } from "~/components/filter-select";
import { ACTION_OPTIONS } from "~/features/audit/labels";

/**
 * The audit log's filters, kept in the URL: who acted, what they did (by its label), which patient
 * (by MRN or name, as a person knows them) and the days. They wrap onto more lines on a tablet.
 */
export function AuditFilters({
  values,
  errors,
  users,
}: {
  values: { user: string; action: string; patient: string; from: string; to: string };
  errors: Record<string, string>;
  users: { id: string; name: string }[];
}) {
  return (
    <Form method="get">
      <Group align="flex-start" gap="sm">
        <FilterSelect
          label="User"
          name="user"
          value={values.user}
          any="Anyone"
          options={users.map((u) => ({ value: u.id, label: u.name }))}
          error={errors.user}
          w={190}
        />
        <NativeSelect
          label="Action"
          name="action"
          defaultValue={values.action}
          data={[{ value: "", label: "Any action" }, ...ACTION_OPTIONS]}
          error={errors.action}
          w={250}
        />
        <TextInput label="Patient (MRN or name)" name="patient" defaultValue={values.patient} error={errors.patient} w={200} />
        <TextInput label="From" type="date" name="from" defaultValue={values.from} error={errors.from} w={150} />
        <TextInput label="To" type="date" name="to" defaultValue={values.to} error={errors.to} w={150} />
        <Button type="submit" mt={25}>
          Filter
        </Button>
      </Group>
      {Object.keys(errors).length ? (
        <Alert color="red" role="alert" mt="sm">
          Fix the filters above to see the log.
        </Alert>
      ) : null}
    </Form>
  );
}
