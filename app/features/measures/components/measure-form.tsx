/**
 * The form that gives a measure: one question per row, each a group of radio buttons labelled by
 * their answer text, with large (44 px) targets so a patient can fill it on a tablet beside staff.
 * An unanswered question is allowed (the score is then incomplete); the form says so before saving.
 */
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Alert, Button, Group, Paper, Radio, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { DateField } from "~/components/form-fields";
import { FormErrors } from "~/components/form-errors";
import { useSchemaForm } from "~/components/schema-form";
import { MEASURES, type MeasureCode } from "../rules";
import { answerField, responseSchema } from "../schemas";
import classes from "./measure-form.module.css";

export function MeasureForm({
  code,
  today,
  requestKey,
  lastResult,
}: {
  code: MeasureCode;
  today: string;
  requestKey: string;
  lastResult?: SubmissionResult<string[]>;
}) {
  const measure = MEASURES[code];
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(responseSchema(code, today), { lastResult, defaultValue: { administeredOn: today, requestKey } });
  const all: Record<string, { initialValue?: unknown; errors?: string[] } | undefined> = fields;
  const [answered, setAnswered] = useState(() => measure.items.filter((i) => typeof all[answerField(i.n)]?.initialValue === "string").length);
  const unanswered = measure.items.length - answered;
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      onChange={(e) => {
        const data = new FormData(e.currentTarget);
        setAnswered(measure.items.filter((i) => data.get(answerField(i.n))).length);
      }}
    >
      <input type="hidden" name="requestKey" value={requestKey} />
      <Stack gap="md">
        <div>
          <Title order={2} size="h3">
            {measure.title}
          </Title>
          <Text mt={4}>{measure.prompt}</Text>
        </div>
        <FormErrors errors={form.errors} />
        <DateField field={fields.administeredOn} label="Date given" max={today} required />
        {measure.items.map((item) => {
          const field = all[answerField(item.n)];
          const initial = typeof field?.initialValue === "string" ? field.initialValue : undefined;
          return (
            <Paper key={item.n} withBorder p="sm" className={classes.question}>
              <Radio.Group
                name={answerField(item.n)}
                label={`${item.n}. ${item.text}`}
                defaultValue={initial}
                error={field?.errors?.join(" ")}
                classNames={{ label: classes.questionLabel }}
              >
                <SimpleGrid
                  cols={{ base: 1, xs: 2, sm: item.choices.length <= 4 ? item.choices.length : 3, lg: Math.min(item.choices.length, 5) }}
                  spacing="xs"
                  mt="xs"
                >
                  {item.choices.map((choice, index) => (
                    <Radio
                      key={choice.label}
                      value={String(index)}
                      label={choice.label}
                      size="md"
                      classNames={{ root: classes.choice, body: classes.choiceBody, label: classes.choiceLabel }}
                    />
                  ))}
                </SimpleGrid>
              </Radio.Group>
            </Paper>
          );
        })}
        {unanswered > 0 ? (
          <Alert color="yellow" variant="light" role="status">
            {unanswered === measure.items.length
              ? "No question is answered yet."
              : `${unanswered} ${unanswered === 1 ? "question is" : "questions are"} not answered: the ${measure.name} will be saved as incomplete, with no score.`}
          </Alert>
        ) : null}
        <Group>
          <Button type="submit" size="md" loading={navigation.state === "submitting"}>
            Save {measure.name}
          </Button>
        </Group>
      </Stack>
    </Form>
  );
}
