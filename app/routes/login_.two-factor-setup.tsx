import { parseWithZod } from "@conform-to/zod/v4";
import { Container, Paper, Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { type ShouldRevalidateFunction, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { sessionCookie } from "~/features/auth/cookie.server";
import { requirePendingSignIn } from "~/features/auth/guard.server";
import { AuthenticatorSetup, RecoveryCodes } from "~/features/auth/components/two-factor";
import { CancelSignIn, SignInHeading } from "~/features/auth/components/sign-in-steps";
import { ROLE_LABELS } from "~/features/auth/permissions";
import { ConfirmTwoFactorSchema } from "~/features/auth/schemas";
import { completeSignIn } from "~/features/auth/sign-in.server";
import { leaveForLoader, noteFromAction } from "~/features/auth/handoff.server";
import { confirmEnrolment, enrolmentKeyFor, isEnrolmentKey, newEnrolmentKey, twoFactorPolicy } from "~/features/auth/two-factor.server";
import { safeRedirectPath } from "~/utils/request.server";

export const meta: MetaFunction = () => [{ title: "Set up two-factor sign-in · IOP Dashboard" }];

/** What the action tells the loader that follows it in the same request (a form sent without JavaScript). */
const ENROLLED = "two-factor-setup:enrolled";

export async function loader(args: LoaderFunctionArgs) {
  // Set-up just finished in this request: the password-only session it replaced is gone, and the
  // page shows the action's recovery codes (with the new session's cookie) instead of a key.
  const enrolled = noteFromAction<{ name: string }>(args.context, ENROLLED);
  if (enrolled) return { name: enrolled.name, who: "", secret: "", qr: "" };
  const pending = await requirePendingSignIn(args, "enrol");
  const [key, policy] = await Promise.all([newEnrolmentKey(pending.user.email), twoFactorPolicy(pending.db, pending.user.id)]);
  return {
    name: pending.user.name.split(" ")[0],
    who: policy.value === "everyone" ? "everyone" : `${ROLE_LABELS[pending.user.role].toLowerCase()}s`,
    secret: key.secret,
    qr: key.qr,
  };
}

export async function action(args: ActionFunctionArgs) {
  const pending = await requirePendingSignIn(args, "enrol");
  const submission = parseWithZod(await args.request.formData(), { schema: ConfirmTwoFactorSchema });
  // After a wrong code the page shows the key that was sent, which the person's app already holds.
  const sent = String(submission.payload.secret ?? "");
  const offered = async () => (isEnrolmentKey(sent) ? await enrolmentKeyFor(pending.user.email, sent) : null);
  if (submission.status !== "success")
    return data(
      { error: submission.error?.code?.[0] ?? submission.error?.secret?.[0] ?? "Enter the code.", codes: null, continueTo: null, key: await offered() },
      { status: 400 },
    );
  const result = await confirmEnrolment(pending.db, pending.user, submission.value.secret, submission.value.code, pending.meta, new Date(), (trx) =>
    completeSignIn(trx, pending, "enrolled", pending.meta),
  );
  if (!result.ok) return data({ error: result.message, codes: null, continueTo: null, key: await offered() }, { status: result.locked ? 429 : 400 });
  const session = result.then!;
  const continueTo = pending.user.mustChangePassword ? "/account/password" : safeRedirectPath(submission.value.redirectTo);
  leaveForLoader(args.context, ENROLLED, { name: pending.user.name.split(" ")[0] });
  // The codes are answered here, on the page that carries the new session's cookie: never in a
  // redirect's URL or a cookie, and a redirect would drop them (as it did without JavaScript).
  return data(
    { error: null, codes: result.recoveryCodes, account: pending.user.email, continueTo, key: null },
    { headers: { "Set-Cookie": sessionCookie(args.request, session.token, session.maxAgeSeconds) } },
  );
}

/**
 * After a try the page keeps its data: a wrong code leaves the same key on screen (reloading would
 * offer a new one), and once set-up succeeds the recovery codes stay until they are read.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) => (actionResult ? false : defaultShouldRevalidate);

export default function TwoFactorSetupPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { name, who } = loaded;
  const { secret, qr } = result?.key ?? loaded;
  const [params] = useSearchParams();
  const navigation = useNavigation();
  return (
    <Container size={620} py={48} component="main">
      <Stack gap="lg">
        <SignInHeading title="Set up two-factor sign-in">
          {result?.codes
            ? "Two-factor sign-in is on."
            : `Welcome, ${name}. Your program requires a second step at sign-in for ${who}: a code from an app on your phone, so a stolen password alone cannot open patient records.`}
        </SignInHeading>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          {result?.codes ? (
            <RecoveryCodes codes={result.codes} account={"account" in result ? result.account : undefined} continueTo={result.continueTo ?? "/"} />
          ) : (
            <AuthenticatorSetup
              secret={secret}
              qr={qr}
              error={result?.error ?? undefined}
              redirectTo={params.get("redirectTo") ?? "/"}
              submitting={navigation.state === "submitting"}
            />
          )}
        </Paper>
        {result?.codes ? null : <CancelSignIn>Not now?</CancelSignIn>}
      </Stack>
    </Container>
  );
}
