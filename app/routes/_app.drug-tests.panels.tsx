import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Badge, Button, Card, Checkbox, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { SelectField, TextField } from "~/components/form-fields";
import { requireUser } from "~/features/auth/guard.server";
import { getPanel, listPanels, NO_SUCH_PANEL, panelUses, savePanel, setPanelActive } from "~/features/drug-testing/panels.server";
import { ANALYTE_CODES, ANALYTES, analyteLabel, SPECIMENS } from "~/features/drug-testing/rules";
import { PanelActiveSchema, PanelSchema } from "~/features/drug-testing/schemas";
import { refusedReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/kernel/http.server";

export const meta: MetaFunction = () => [{ title: "Drug-test panels · IOP Dashboard" }];

/** The default set, in the order a cup reads. */
const DEFAULT_SET = ANALYTE_CODES.slice(0, 16);

/** Panels are a site's own (issue 16, 7d): this page shows and changes the current site's. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireUser(args, "manage:drug-panels");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const panels = await listPanels(db, site.id);
  const editId = new URL(args.request.url).searchParams.get("panel") ?? "";
  const editing = editId ? await getPanel(db, editId, site.id) : null;
  if (editId && !editing) throw data({ message: NO_SUCH_PANEL }, { status: 404 });
  const uses = await panelUses(db, site.id);
  return {
    site: { name: site.name },
    panels: panels.map((p) => ({ ...p, specimenLabel: SPECIMENS[p.specimen], analyteLabels: p.analytes.map(analyteLabel), tests: uses.get(p.id) ?? 0 })),
    editing,
  };
}

type Reply = { intent: string; reply: SubmissionResult<string[]> };

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "manage:drug-panels");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const formData = await args.request.formData();
  const intent = String(formData.get("intent") ?? "");
  const done = (message: string) => redirectWithToast("/drug-tests/panels", message);
  if (intent === "deactivate" || intent === "reactivate") {
    const submission = parseWithZod(formData, { schema: PanelActiveSchema });
    if (submission.status !== "success") return data({ intent, reply: submission.reply() } satisfies Reply, { status: 400 });
    const result = await setPanelActive(
      db,
      user,
      site.id,
      { panelId: submission.value.panelId, version: submission.value.version, active: intent === "reactivate" },
      meta,
    );
    if (!result.ok) return data({ intent, reply: refusedReply(submission, result) } satisfies Reply, { status: result.status });
    return done(intent === "reactivate" ? "Panel back in use." : "Panel retired; tests already recorded on it keep it.");
  }
  const submission = parseWithZod(formData, { schema: PanelSchema });
  if (submission.status !== "success") return data({ intent: "save", reply: submission.reply() } satisfies Reply, { status: 400 });
  const result = await savePanel(db, user, site.id, submission.value, meta);
  if (!result.ok) return data({ intent: "save", reply: refusedReply(submission, result) } satisfies Reply, { status: result.status });
  return done(`${submission.value.name} ${submission.value.intent === "create" ? "created" : "saved"}.`);
}

function PanelForm() {
  const { editing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const lastResult = actionData?.intent === "save" ? actionData.reply : undefined;
  const [form, fields] = useForm({
    id: `panel-${editing?.id ?? "new"}-${editing?.version ?? 0}`,
    lastResult,
    defaultValue: editing ? { name: editing.name, specimen: editing.specimen } : { specimen: "urine" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PanelSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  // What the person ticked before a refused save, else the panel being edited, else the default set.
  const typed = lastResult ? (lastResult.initialValue?.analytes as unknown) : undefined;
  const chosen = new Set<string>(
    Array.isArray(typed)
      ? typed
      : typeof typed === "string"
        ? [typed]
        : lastResult
          ? []
          : editing
            ? editing.analytes
            : DEFAULT_SET.filter((a) => a !== "breath_alcohol"),
  );
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="panel-form-heading">
      <input type="hidden" name="intent" value={editing ? "update" : "create"} />
      {editing ? (
        <>
          <input type="hidden" name="panelId" value={editing.id} />
          <input type="hidden" name="version" value={editing.version} />
        </>
      ) : null}
      <Stack>
        <Title order={2} size="h3" id="panel-form-heading">
          {editing ? `Edit ${editing.name}` : "New panel"}
        </Title>
        <FormErrors errors={form.errors} title="Not saved" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextField field={fields.name} label="Name" required placeholder="e.g. Urine — 12-panel cup" />
          <SelectField field={fields.specimen} label="Specimen" options={SPECIMENS} required />
        </SimpleGrid>
        <Checkbox.Group
          defaultValue={[...chosen]}
          label="Analytes"
          description="Breath alcohol is tested on breath only; every other analyte on urine, oral fluid or blood."
          error={fields.analytes.errors?.join(" ")}
          withAsterisk
        >
          <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} mt="xs" spacing={6}>
            {ANALYTE_CODES.map((a) => (
              <Checkbox key={a} name={fields.analytes.name} value={a} label={ANALYTES[a].label} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <Group>
          <Button type="submit" loading={navigation.state === "submitting"}>
            {editing ? "Save panel" : "Create panel"}
          </Button>
          {editing ? (
            <Anchor component={Link} to="/drug-tests/panels" size="sm">
              Cancel
            </Anchor>
          ) : null}
        </Group>
      </Stack>
    </Form>
  );
}

export default function PanelsPage() {
  const { site, panels, editing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const toggleError = actionData && actionData.intent !== "save" ? (actionData.reply.error?.[""] ?? []) : [];
  return (
    <Stack gap="md" maw={1000}>
      <div>
        <Anchor component={Link} to="/drug-tests" size="sm">
          ← Drug tests
        </Anchor>
        <Title order={1}>Drug-test panels</Title>
        <Text c="dimmed">
          What each kind of test checks for at {site.name}. Each site keeps its own panels. Results can only be entered for a panel&apos;s own analytes.
        </Text>
      </div>
      <FormErrors errors={toggleError} title="Not changed" />
      {editing ? (
        <Paper withBorder p="lg">
          <PanelForm />
        </Paper>
      ) : null}
      <Card withBorder p={0}>
        <Table fz="sm" verticalSpacing="sm" aria-label="Panels">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Panel</Table.Th>
              <Table.Th>Specimen</Table.Th>
              <Table.Th>Analytes</Table.Th>
              <Table.Th>Tests</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {panels.map((p) => (
              <Table.Tr key={p.id} style={p.active ? undefined : { opacity: 0.7 }}>
                <Table.Td fw={600}>
                  {p.name}{" "}
                  {p.active ? null : (
                    <Badge color="gray" size="xs">
                      Retired
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{p.specimenLabel}</Table.Td>
                <Table.Td>
                  <Text size="xs">{p.analyteLabels.join(", ")}</Text>
                </Table.Td>
                <Table.Td>{p.tests}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button component={Link} to={`/drug-tests/panels?panel=${p.id}`} size="xs" variant="default" aria-label={`Edit ${p.name}`}>
                      Edit
                    </Button>
                    <Form method="post">
                      <input type="hidden" name="intent" value={p.active ? "deactivate" : "reactivate"} />
                      <input type="hidden" name="panelId" value={p.id} />
                      <input type="hidden" name="version" value={p.version} />
                      <Button
                        type="submit"
                        size="xs"
                        variant="subtle"
                        color={p.active ? "red" : undefined}
                        aria-label={`${p.active ? "Retire" : "Reuse"} ${p.name}`}
                      >
                        {p.active ? "Retire" : "Reuse"}
                      </Button>
                    </Form>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      {editing ? null : (
        <Paper withBorder p="lg">
          <PanelForm />
        </Paper>
      )}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
