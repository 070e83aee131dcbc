import { Alert, Button, Card, Checkbox, Radio, Stack, Text, TextInput } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { requireUser } from "~/features/auth/guard.server";
import { noteSettingsForm, parseNoteSettingsForm, setNoteSettings } from "~/features/notes/settings.server";
import { DEFAULT_LATE_HOURS, LATE_HOURS_RANGE, NOTE_FORMAT_CODES, NOTE_FORMATS } from "~/features/notes/rules";
import { redirectWithToast } from "~/kernel/http.server";
import { shortDate, todayIn } from "~/kernel/time";
import { billingStartForm, parseBillingStartForm, setBillingStart } from "~/features/billing/billing-start.server";
import { BillingStartCard } from "~/features/billing/components/billing-start-card";

export const meta: MetaFunction = () => [{ title: "Progress notes · IOP Dashboard" }];

/** The notes settings are the current site's own choice: they reach no other site. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const [setting, billingStart] = await Promise.all([noteSettingsForm(db, site.id), billingStartForm(db, site.id)]);
  return { setting, billingStart, site: { name: site.name } };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, meta, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const form = await args.request.formData();
  if (form.get("intent") === "billing-start") return billingStartAction({ db, user, meta, site }, form);
  const parsed = parseNoteSettingsForm(form);
  if (!parsed.ok) return data({ typed: parsed.typed, error: parsed.formError, fieldErrors: parsed.fieldErrors }, { status: 400 });
  const result = await setNoteSettings(db, user, site.id, parsed.value, meta);
  if (!result.ok)
    return data({ typed: parsed.typed, error: result.formError ?? "Not saved.", fieldErrors: {} as Record<string, string> }, { status: result.status });
  return redirectWithToast("/admin/program/notes", `Progress-note settings saved for ${site.name}.`);
}

/** "Bill days from": its own form on this page, beside the setting that makes billing wait for signed notes. */
async function billingStartAction(
  { db, user, meta, site }: Pick<Awaited<ReturnType<typeof requireUser>>, "db" | "user" | "meta"> & { site: { id: string; name: string; time_zone: string } },
  form: FormData,
) {
  const parsed = parseBillingStartForm(form, todayIn(site.time_zone));
  const start = (error: string | undefined, fieldError: string | undefined) => ({ start: { typed: parsed.typed.billFrom, error, fieldError } });
  if (!parsed.ok) return data(start(parsed.formError, parsed.fieldErrors.billFrom), { status: 400 });
  const result = await setBillingStart(db, user, site.id, parsed.value, meta);
  if (!result.ok) return data(start(result.formError, result.fieldErrors?.billFrom?.[0]), { status: result.status });
  const when = parsed.value.billFrom ? `days from ${shortDate(parsed.value.billFrom)} on are billed` : "every attended day is billed";
  return redirectWithToast("/admin/program/notes", `${site.name}: ${when} (${result.removed} unexported charges removed, ${result.created} made).`);
}

export default function NoteSettingsPage() {
  const { setting, billingStart, site } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const start = result && "start" in result ? result.start : undefined;
  const notes = result && "typed" in result ? result : undefined;
  const typed = notes?.typed;
  const v = setting.value;
  return (
    <Stack gap="lg" maw={900}>
      <PageHeading back={{ to: "/admin/program", label: "Program setup" }} title="Progress notes">
        How notes at {site.name} are written, when a note counts as late, and whether billing waits for signed notes, and from which day billing starts. Each
        site chooses its own.
      </PageHeading>
      <Card withBorder>
        <Form method="post" key={`${setting.versions.format}-${setting.versions.lateHours}-${setting.versions.billing}`}>
          <input type="hidden" name="v_format" value={setting.versions.format} />
          <input type="hidden" name="v_lateHours" value={setting.versions.lateHours} />
          <input type="hidden" name="v_billing" value={setting.versions.billing} />
          <Stack>
            {notes?.error ? (
              <Alert color="red" role="alert">
                {notes.error}
              </Alert>
            ) : null}
            <Radio.Group
              name="format"
              label="Format of new notes"
              description="The sections an individual or family note is written in. A group member's own part is always response and plan. Notes already started keep their format."
              defaultValue={typed?.format || v.format}
              error={notes?.fieldErrors?.format}
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
              error={notes?.fieldErrors?.lateHours}
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
              <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") !== "billing-start"}>
                Save settings
              </Button>
            </div>
          </Stack>
        </Form>
      </Card>
      <BillingStartCard value={billingStart.value} version={billingStart.version} typed={start?.typed} error={start?.error} fieldError={start?.fieldError} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
