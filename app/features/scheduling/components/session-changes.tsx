import { useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Group, Paper, SimpleGrid, Text, Title } from "@mantine/core";
import { DateField, SelectField, TextField } from "~/components/form-fields";
import { CancelSessionSchema, MoveSessionSchema } from "../schemas";
import { IntentForm } from "./intent-form";
import type { IntentReply } from "./session-roster";

/** Moving or cancelling one occurrence; the rest of its series stays as it is. */
export function SessionChanges({
  session: s,
  rooms,
  lastResult,
}: {
  session: { version: number; date: string; start: string; end: string; roomId: string | null; telehealth: boolean };
  rooms: { value: string; label: string }[];
  lastResult: IntentReply;
}) {
  const [cancelForm, cancelFields] = useForm({
    id: `cancel-${s.version}`,
    lastResult: lastResult?.intent === "cancel" ? lastResult.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CancelSessionSchema }),
    shouldValidate: "onSubmit",
  });
  const [moveForm, moveFields] = useForm({
    id: `move-${s.version}`,
    lastResult: lastResult?.intent === "move" ? lastResult.reply : undefined,
    defaultValue: { date: s.date, startTime: s.start, endTime: s.end, roomId: s.roomId ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MoveSessionSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb="xs">
          Move this session
        </Title>
        <IntentForm form={moveForm} intent="move" version={s.version} errorsTitle="Not moved" submit="Move session" button={{ variant: "light" }}>
          <DateField field={moveFields.date} label="New date" required />
          <Group align="flex-start">
            <TextField field={moveFields.startTime} label="Starts at" type="time" required w={150} />
            <TextField field={moveFields.endTime} label="Ends at" type="time" required w={150} />
          </Group>
          {!s.telehealth ? <SelectField field={moveFields.roomId} label="Room" options={rooms} required /> : null}
          <Text size="xs" c="dimmed">
            Only this occurrence moves; the rest of the series stays as it is.
          </Text>
        </IntentForm>
      </Paper>
      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb="xs">
          Cancel this session
        </Title>
        <IntentForm
          form={cancelForm}
          intent="cancel"
          version={s.version}
          errorsTitle="Not cancelled"
          submit="Cancel session"
          button={{ color: "red", variant: "outline" }}
        >
          <TextField field={cancelFields.reason} label="Reason" placeholder="e.g. Facilitator out sick; snow closure" required />
        </IntentForm>
      </Paper>
    </SimpleGrid>
  );
}
