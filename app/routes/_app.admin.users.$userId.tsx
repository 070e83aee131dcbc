import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Anchor, Badge, Button, Card, Group, Paper, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { UserFields } from "~/features/admin/components/user-fields";
import {
  getUser,
  listSites,
  resetUserPassword,
  resetUserTwoFactor,
  setEmergencyAccess,
  setUserActive,
  updateUser,
  userAtSites,
} from "~/features/admin/users.server";
import { requireUser } from "~/features/auth/guard.server";
import { ROLE_LABELS } from "~/features/auth/permissions";
import { ResetPasswordSchema, SetActiveSchema, UpdateUserSchema } from "~/features/auth/schemas";
import { formatInstant } from "~/kernel/time";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { FormErrors } from "~/components/form-errors";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.account.name ?? "Staff member"} · IOP Dashboard` }];

/** The one answer for an id that does not exist and for an account at a site the admin does not share. */
const notHere = () => data({ message: "There is no staff account with that id at your sites." }, { status: 404 });

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites, site } = await requireUser(args, "manage:users");
  const siteIds = sites.map((s) => s.id);
  const account = await getUser(db, args.params.userId ?? "", siteIds);
  if (!account) throw notHere();
  return { account, sites: await listSites(db, siteIds), timeZone: site?.time_zone ?? "UTC" };
}

const IntentSchema = z.object({ intent: z.enum(["update", "reset-password", "deactivate", "reactivate", "reset-two-factor", "emergency-access"]) });
const EmergencySchema = z.object({ allowed: z.enum(["yes", "no"]), version: z.coerce.number().int() });
type Intent = z.infer<typeof IntentSchema>["intent"];

export async function action(args: ActionFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "manage:users");
  const id = args.params.userId ?? "";
  const siteIds = sites.map((s) => s.id);
  // Every intent needs an account the admin shares a site with; anyone else is "no such account".
  if (!(await userAtSites(db, id, siteIds))) throw notHere();
  const formData = await args.request.formData();
  const intent = IntentSchema.safeParse({ intent: formData.get("intent") });
  if (!intent.success) throw data({ message: "That form action is not one this page knows." }, { status: 400 });
  const reply = (intent: Intent, body: SubmissionResult<string[]>, status: number) => data({ intent, reply: body }, { status });
  const done = (message: string) => redirectWithToast(`/admin/users/${id}`, message);

  if (intent.data.intent === "update") {
    const submission = parseWithZod(formData, { schema: UpdateUserSchema });
    if (submission.status !== "success") return reply("update", submission.reply(), 400);
    const result = await updateUser(db, user, id, submission.value, siteIds, meta);
    if (!result.ok) return reply("update", refusedReply(submission, result), result.status);
    return done("Changes saved.");
  }
  if (intent.data.intent === "reset-password") {
    const submission = parseWithZod(formData, { schema: ResetPasswordSchema });
    if (submission.status !== "success") return reply("reset-password", submission.reply({ hideFields: ["temporaryPassword"] }), 400);
    const result = await resetUserPassword(db, user, id, submission.value.temporaryPassword, siteIds, meta);
    if (!result.ok) return reply("reset-password", refusedReply(submission, result, { hideFields: ["temporaryPassword"] }), result.status);
    return done("Password reset. They must choose a new one when they next sign in.");
  }
  if (intent.data.intent === "reset-two-factor") {
    const result = await resetUserTwoFactor(db, user, id, siteIds, meta);
    if (!result.ok)
      return reply(
        "reset-two-factor",
        { status: "error", error: { "": [result.formError ?? "Could not reset two-factor sign-in."] } } as SubmissionResult<string[]>,
        result.status,
      );
    return done("Two-factor sign-in reset. Their sessions ended; they set it up again at their next sign-in.");
  }
  if (intent.data.intent === "emergency-access") {
    const parsed = EmergencySchema.safeParse({ allowed: formData.get("allowed"), version: formData.get("version") });
    if (!parsed.success) throw data({ message: "That form was not complete. Reload the page and try again." }, { status: 400 });
    const result = await setEmergencyAccess(db, user, id, parsed.data.allowed === "yes", parsed.data.version, siteIds, meta);
    if (!result.ok)
      return reply(
        "emergency-access",
        { status: "error", error: { "": [result.formError ?? "Could not change the account."] } } as SubmissionResult<string[]>,
        result.status,
      );
    return done(parsed.data.allowed === "yes" ? "They may now use emergency access." : "Emergency access withdrawn.");
  }
  const submission = parseWithZod(formData, { schema: SetActiveSchema });
  if (submission.status !== "success") return reply(intent.data.intent, submission.reply(), 400);
  const activate = submission.value.intent === "reactivate";
  const result = await setUserActive(db, user, id, activate, submission.value.version, siteIds, meta);
  if (!result.ok) return reply(intent.data.intent, submission.reply({ formErrors: [result.formError ?? "Could not change the account."] }), result.status);
  return done(
    activate ? "Account reactivated." : `Account deactivated; ${result.endedSessions} open ${result.endedSessions === 1 ? "session" : "sessions"} ended.`,
  );
}

export default function UserPage() {
  const { account, sites, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [editForm, editFields] = useForm({
    id: `edit-${account.id}-${account.version}`,
    lastResult: actionData?.intent === "update" ? actionData.reply : undefined,
    defaultValue: { name: account.name, email: account.email, role: account.role, siteIds: account.siteIds },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateUserSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const [resetForm, resetFields] = useForm({
    id: `reset-${account.id}`,
    lastResult: actionData?.intent === "reset-password" ? actionData.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetPasswordSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const activeError = actionData && (actionData.intent === "deactivate" || actionData.intent === "reactivate") ? actionData.reply.error?.[""] : undefined;
  const formError = (intent: string) => (actionData?.intent === intent ? actionData.reply.error?.[""]?.join(" ") : undefined);
  return (
    <Stack gap="lg" maw={640}>
      <div>
        <Anchor component={Link} to="/admin/users" size="sm">
          ← Staff accounts
        </Anchor>
        <Group gap="sm" align="center">
          <Title order={1}>{account.name}</Title>
          <Badge variant="light">{ROLE_LABELS[account.role]}</Badge>
          {!account.active ? (
            <Badge color="gray" variant="filled">
              Deactivated
            </Badge>
          ) : account.must_change_password ? (
            <Badge color="yellow" variant="light">
              Must set password
            </Badge>
          ) : null}
        </Group>
        <Text size="sm" c="dimmed">
          Last sign-in: {account.last_sign_in_at ? formatInstant(account.last_sign_in_at, timeZone) : "never"} · Open sessions: {account.openSessions}
        </Text>
      </div>

      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb="sm">
          Details
        </Title>
        <Form method="post" {...getFormProps(editForm)}>
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="version" value={account.version} />
          <Stack>
            <FormErrors errors={editForm.errors} />
            <UserFields fields={editFields} sites={sites} />
            <Text size="sm" c="dimmed">
              Changing the role signs them out, so their next page shows what the new role allows.
            </Text>
            <div>
              <Button type="submit" loading={busy}>
                Save changes
              </Button>
            </div>
          </Stack>
        </Form>
      </Paper>

      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb="sm">
          Reset password
        </Title>
        <Form method="post" {...getFormProps(resetForm)}>
          <input type="hidden" name="intent" value="reset-password" />
          <Stack>
            <FormErrors errors={resetForm.errors} />
            <PasswordInput
              label="New temporary password"
              description="Ends their open sessions; they must choose their own password at next sign-in."
              name={resetFields.temporaryPassword.name}
              error={resetFields.temporaryPassword.errors?.join(" ")}
              autoComplete="new-password"
              required
              visibilityToggleButtonProps={{ "aria-label": "Show or hide what you typed" }}
            />
            <div>
              <Button type="submit" variant="light" loading={busy}>
                Reset password
              </Button>
            </div>
          </Stack>
        </Form>
      </Paper>

      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb="sm">
          Two-factor sign-in
        </Title>
        {formError("reset-two-factor") ? (
          <Alert color="red" role="alert" mb="sm">
            {formError("reset-two-factor")}
          </Alert>
        ) : null}
        <Text size="sm" mb="sm">
          {account.totp_enabled_at
            ? `On since ${formatInstant(account.totp_enabled_at, timeZone)}. If they lost their phone and their recovery codes, reset it: their sessions end and they set it up again at their next sign-in.`
            : account.twoFactorStarted
              ? "Set-up was started but not finished."
              : "Not set up."}
        </Text>
        {account.totp_enabled_at || account.twoFactorStarted ? (
          <Form method="post">
            <input type="hidden" name="intent" value="reset-two-factor" />
            <Button type="submit" color="red" variant="outline" loading={busy}>
              Reset two-factor sign-in
            </Button>
          </Form>
        ) : null}
      </Paper>

      <Paper withBorder p="lg">
        <Group gap="xs" mb="sm">
          <Title order={2} size="h3">
            Emergency access
          </Title>
          {account.emergency_access ? (
            <Badge color="red.9" variant="filled">
              May break the glass
            </Badge>
          ) : null}
        </Group>
        {formError("emergency-access") ? (
          <Alert color="red" role="alert" mb="sm">
            {formError("emergency-access")}
          </Alert>
        ) : null}
        <Text size="sm" mb="sm">
          Someone named here can open a chart their role or sites would not show — in an emergency, after stating why. Each access lasts one hour, every page
          they view is audited, and each one appears in the{" "}
          <Anchor component={Link} to="/admin/emergency-access">
            emergency access report
          </Anchor>
          .
        </Text>
        <Form method="post">
          <input type="hidden" name="intent" value="emergency-access" />
          <input type="hidden" name="version" value={account.version} />
          <input type="hidden" name="allowed" value={account.emergency_access ? "no" : "yes"} />
          <Button type="submit" variant="outline" color={account.emergency_access ? "gray" : undefined} loading={busy}>
            {account.emergency_access ? "Withdraw emergency access" : "Allow emergency access"}
          </Button>
        </Form>
      </Paper>

      <Card withBorder>
        <Title order={2} size="h3" mb="sm">
          {account.active ? "Deactivate" : "Reactivate"}
        </Title>
        {activeError ? (
          <Alert color="red" role="alert" mb="sm">
            {activeError.join(" ")}
          </Alert>
        ) : null}
        <Text size="sm" mb="sm">
          {account.active
            ? "When someone leaves the clinic, deactivate their account: they are signed out at once and cannot sign in again. Their history stays in the audit log."
            : "Reactivating lets them sign in again with their current password."}
        </Text>
        <Form method="post">
          <input type="hidden" name="intent" value={account.active ? "deactivate" : "reactivate"} />
          <input type="hidden" name="version" value={account.version} />
          <Button type="submit" color={account.active ? "red" : "teal"} variant="outline" loading={busy}>
            {account.active ? "Deactivate account" : "Reactivate account"}
          </Button>
        </Form>
      </Card>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
