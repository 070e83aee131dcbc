import { Alert, Button, Card, Checkbox, Radio, Stack, Text, TextInput } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { requireUser } from "~/features/auth/guard.server";
import { noteSettingsForm, parseNoteSettingsForm, setNoteSettings } from "~/features/notes/settings.server";
import { DEFAULT_LATE_HOURS, LATE_HOURS_RANGE, NOTE_FORMAT_CODES, NOTE_FORMATS } from "~/features/notes/rules";
import { redirectWithToast } from "~/kernel/http.server";

export const meta: MetaFunction = () => [{ title: "Progress notes · IOP Dashboard" }];

/** The notes settings are the current site's own choice: they reach no other site. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  return { setting: await noteSettingsForm(db, site.id), site: { name: site.name } };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, meta, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const parsed = parseNoteSettingsForm(await args.request.formData());
  if (!parsed.ok) return data({ typed: parsed.typed, error: parsed.formError, fieldErrors: parsed.fieldErrors }, { status: 400 });
  const result = await setNoteSettings(db, user, site.id, parsed.value, meta);
  if (!result.ok)
    return data({ typed: parsed.typed, error: result.formError ?? "Not saved.", fieldErrors: {} as Record<string, string> }, { status: result.status });
  return redirectWithToast("/admin/program/notes", `Progress-note settings saved for ${site.name}.`);
}

export default function NoteSettingsPage() {
  const { setting, site } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const typed = result?.typed;
  const v = setting.value;
  return (
    <Stack gap="lg" maw={900}>
      <PageHeading back={{ to: "/admin/program", label: "Program setup" }} title="Progress notes">
        How notes at {site.name} are written, when a note counts as late, and whether billing waits for signed notes. Each site chooses its own.
      </PageHeading>
      <Card withBorder>
        <Form method="post" key={`${setting.versions.format}-${setting.versions.lateHours}-${setting.versions.billing}`}>
          <input type="hidden" name="v_format" value={setting.versions.format} />
          <input type="hidden" name="v_lateHours" value={setting.versions.lateHours} />
          <input type="hidden" name="v_billing" value={setting.versions.billing} />
          <Stack>
            {result?.error ? (
              <Alert color="red" role="alert">
                {result.error}
              </Alert>
            ) : null}
            <Radio.Group
              name="format"
              label="Format of new notes"
              description="The sections an individual or family note is written in. A group member's own part is always response and plan. Notes already started keep their format."
              defaultValue={typed?.format || v.format}
              error={result?.fieldErrors?.format}
            >
              <Stack mt="xs" gap="xs">
                {NOTE_FORMAT_CODES.map((code) => (
                  <Radio key={code} value={code} label={`${NOTE_FORMATS[code].label}: ${NOTE_FORMATS[code].sections.map((s) => s.label).join(", ")}`} />
                ))}
              </Stack>
            </Radio.Group>
            <TextInput
              name="lateHours"
              label="Hours before a note is a late entry"
              description={`A whole number from ${LATE_HOURS_RANGE.min} to ${LATE_HOURS_RANGE.max} (${DEFAULT_LATE_HOURS} unless changed). A note signed later than this after its session ended is marked a late entry, and shows as overdue on its facilitator's Home until then.`}
              inputMode="numeric"
              defaultValue={typed?.lateHours ?? String(v.lateHours)}
              error={result?.fieldErrors?.lateHours}
              styles={{ input: { maxWidth: 200 } }}
            />
            <Checkbox
              name="billingNeedsNotes"
              label="A day is billable only when its sessions have signed notes"
              description="When on, a patient's day counts as billable only when every session they attended that day has a signed note with their part (a note waiting for a supervisor's co-signature counts). The chart's attendance and the billable-days report say so."
              defaultChecked={typed ? typed.billingNeedsNotes : v.billingNeedsNotes}
            />
            <Text size="sm" c="dimmed">
              Changes apply from now on. Every change is recorded in the audit log.
            </Text>
            <div>
              <Button type="submit" loading={navigation.state === "submitting"}>
                Save settings
              </Button>
            </div>
          </Stack>
        </Form>
      </Card>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
