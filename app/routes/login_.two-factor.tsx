import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Button, Container, Divider, Group, Paper, Stack, TextInput } from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { clearSessionCookie, sessionCookie } from "~/features/auth/cookie.server";
import { requirePendingSignIn } from "~/features/auth/guard.server";
import { SecondFactorSchema } from "~/features/auth/schemas";
import { verifySecondFactor } from "~/features/auth/sign-in.server";
import { AuthenticatorCodeInput, CancelSignIn, SignInHeading } from "~/features/auth/components/sign-in-steps";
import { safeRedirectPath } from "~/utils/request.server";

export const meta: MetaFunction = () => [{ title: "Two-factor sign-in · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const pending = await requirePendingSignIn(args, "verify");
  return { name: pending.user.name.split(" ")[0] };
}

export async function action(args: ActionFunctionArgs) {
  const pending = await requirePendingSignIn(args, "verify");
  const submission = parseWithZod(await args.request.formData(), { schema: SecondFactorSchema });
  if (submission.status !== "success")
    return data(
      { intent: String(submission.payload.intent ?? ""), error: Object.values(submission.error ?? {}).flat()[0] ?? "Enter a code." },
      { status: 400 },
    );
  const v = submission.value;
  const result = await verifySecondFactor(
    pending.db,
    pending,
    v.intent === "authenticator" ? { kind: "authenticator", code: v.code } : { kind: "recovery_code", code: v.recoveryCode },
    pending.meta,
  );
  if (!result.ok) {
    // A paused second factor also ends the half-finished sign-in: the person starts again later.
    return data(
      { intent: v.intent, error: result.message },
      { status: result.locked ? 429 : 401, headers: result.locked ? { "Set-Cookie": clearSessionCookie(args.request) } : {} },
    );
  }
  const to = pending.user.mustChangePassword ? "/account/password" : safeRedirectPath(v.redirectTo);
  return redirect(to, { headers: { "Set-Cookie": sessionCookie(args.request, result.token, result.maxAgeSeconds) } });
}

export default function TwoFactorPage() {
  const { name } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const redirectTo = params.get("redirectTo") ?? "/";
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <Container size={440} py={60} component="main">
      <Stack gap="lg">
        <SignInHeading title="Two-factor sign-in">Your password was right, {name}. Now the code from your phone.</SignInHeading>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Stack>
            <Form method="post">
              <input type="hidden" name="intent" value="authenticator" />
              <input type="hidden" name="redirectTo" value={redirectTo} />
              <Stack>
                <AuthenticatorCodeInput
                  label="Authentication code"
                  description="The six digits your authenticator app shows for IOP Dashboard."
                  // eslint-disable-next-line jsx-a11y/no-autofocus -- the page exists for this one code: focus starts in the field everyone fills
                  autoFocus
                  error={result?.intent === "authenticator" ? result.error : undefined}
                />
                <Button type="submit" fullWidth loading={busy("authenticator")}>
                  Verify
                </Button>
              </Stack>
            </Form>
            <Divider label="Lost your phone?" labelPosition="center" />
            <Form method="post">
              <input type="hidden" name="intent" value="recovery_code" />
              <input type="hidden" name="redirectTo" value={redirectTo} />
              <Group align="flex-start" wrap="nowrap">
                <TextInput
                  label="Recovery code"
                  description="One of the ten codes you saved when you set this up. Each works once."
                  name="recoveryCode"
                  autoComplete="off"
                  maxLength={40}
                  required
                  style={{ flex: 1 }}
                  error={result?.intent === "recovery_code" ? result.error : undefined}
                />
              </Group>
              <Button type="submit" variant="default" mt="sm" fullWidth loading={busy("recovery_code")}>
                Use recovery code
              </Button>
            </Form>
            {result && !["authenticator", "recovery_code"].includes(result.intent) ? (
              <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
                {result.error}
              </Alert>
            ) : null}
          </Stack>
        </Paper>
        <CancelSignIn>No phone and no recovery codes? Ask your program admin to reset your two-factor sign-in.</CancelSignIn>
      </Stack>
    </Container>
  );
}
