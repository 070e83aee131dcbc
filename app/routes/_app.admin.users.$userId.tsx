import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { setCredentials, supervisorChoices } from "~/features/admin/credentials.server";
import { CredentialsSection } from "~/features/admin/components/credentials-section";
import { CredentialsSchema } from "~/features/admin/schemas";
import {
  ActiveSection,
  DetailsSection,
  EmergencyAccessSection,
  ResetPasswordSection,
  TwoFactorSection,
  UserHeading,
} from "~/features/admin/components/user-account-sections";
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
import { ResetPasswordSchema, SetActiveSchema, UpdateUserSchema } from "~/features/auth/schemas";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.account.name ?? "Staff member"} · IOP Dashboard` }];

/** The one answer for an id that does not exist and for an account at a site the admin does not share. */
const notHere = () => data({ message: "There is no staff account with that id at your sites." }, { status: 404 });

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites, site } = await requireUser(args, "manage:users");
  const siteIds = sites.map((s) => s.id);
  const account = await getUser(db, args.params.userId ?? "", siteIds);
  if (!account) throw notHere();
  const supervisors = await supervisorChoices(db, account.id, siteIds);
  return { account, supervisors, sites: await listSites(db, siteIds), timeZone: site?.time_zone ?? "UTC" };
}

const IntentSchema = z.object({
  intent: z.enum(["update", "credentials", "reset-password", "deactivate", "reactivate", "reset-two-factor", "emergency-access"]),
});
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
  // A button with no fields of its own is answered with one message for its section.
  const refused = (intent: Intent, message: string, status: number) => reply(intent, { status: "error", error: { "": [message] } }, status);
  const done = (message: string) => redirectWithToast(`/admin/users/${id}`, message);

  if (intent.data.intent === "update") {
    const submission = parseWithZod(formData, { schema: UpdateUserSchema });
    if (submission.status !== "success") return reply("update", submission.reply(), 400);
    const result = await updateUser(db, user, id, submission.value, siteIds, meta);
    if (!result.ok) return reply("update", refusedReply(submission, result), result.status);
    return done("Changes saved.");
  }
  if (intent.data.intent === "credentials") {
    const submission = parseWithZod(formData, { schema: CredentialsSchema });
    if (submission.status !== "success") return reply("credentials", submission.reply(), 400);
    const result = await setCredentials(db, user, id, submission.value, siteIds, meta);
    if (!result.ok) return reply("credentials", refusedReply(submission, result), result.status);
    return done("Credentials saved.");
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
    if (!result.ok) return refused("reset-two-factor", result.formError ?? "Could not reset two-factor sign-in.", result.status);
    return done("Two-factor sign-in reset. Their sessions ended; they set it up again at their next sign-in.");
  }
  if (intent.data.intent === "emergency-access") {
    const parsed = EmergencySchema.safeParse({ allowed: formData.get("allowed"), version: formData.get("version") });
    if (!parsed.success) throw data({ message: "That form was not complete. Reload the page and try again." }, { status: 400 });
    const result = await setEmergencyAccess(db, user, id, parsed.data.allowed === "yes", parsed.data.version, siteIds, meta);
    if (!result.ok) return refused("emergency-access", result.formError ?? "Could not change the account.", result.status);
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
  const { account, supervisors, sites, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const replyTo = (...intents: Intent[]) => (actionData && intents.includes(actionData.intent) ? actionData.reply : undefined);
  return (
    <Stack gap="lg" maw={640}>
      <UserHeading account={account} timeZone={timeZone} />
      <DetailsSection account={account} sites={sites} lastResult={replyTo("update")} busy={busy} />
      <CredentialsSection account={account} supervisors={supervisors} lastResult={replyTo("credentials")} busy={busy} />
      <ResetPasswordSection accountId={account.id} lastResult={replyTo("reset-password")} busy={busy} />
      <TwoFactorSection account={account} timeZone={timeZone} errors={replyTo("reset-two-factor")?.error?.[""]} busy={busy} />
      <EmergencyAccessSection account={account} errors={replyTo("emergency-access")?.error?.[""]} busy={busy} />
      <ActiveSection account={account} errors={replyTo("deactivate", "reactivate")?.error?.[""]} busy={busy} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
