import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Button, Code, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconClockPause, IconAlertCircle } from "@tabler/icons-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useMemo } from "react";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { RowsTable } from "~/components/rows-table";
import { useSchemaForm } from "~/components/schema-form";
import { getDb } from "~/db.server";
import { sessionCookie } from "~/features/auth/cookie.server";
import { optionalUser, refuseCrossSite, refuseUnreadableForm } from "~/features/auth/guard.server";
import { SignInSchema } from "~/features/auth/schemas";
import { signIn } from "~/features/auth/sign-in.server";
import { config } from "~/utils/config.server";
import { clientMeta, safeRedirectPath } from "~/utils/request.server";
import { DEMO_PASSWORD, DEMO_USERS } from "~/features/auth/demo-people";
import { SignInHeading } from "~/features/auth/components/sign-in-steps";

export const meta: MetaFunction = () => [{ title: "Sign in · IOP Dashboard" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Public page: the only loader that does not require a user. A signed-in visitor goes on.
  const url = new URL(request.url);
  if (await optionalUser(request)) throw redirect(safeRedirectPath(url.searchParams.get("redirectTo")));
  return {
    idleMinutes: Math.round(config.sessionIdleTimeoutSeconds / 60),
    demo: config.demo ? { password: DEMO_PASSWORD, users: DEMO_USERS.map((u) => ({ email: u.email, name: u.name, role: u.role })) } : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const db = await getDb();
  await refuseCrossSite(args, db);
  await refuseUnreadableForm(request);
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: SignInSchema });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const result = await signIn(db, submission.value, clientMeta(request, args.context));
  if (!result.ok) {
    return data(submission.reply({ formErrors: [result.message], hideFields: ["password"] }), { status: 401 });
  }
  const back = safeRedirectPath(submission.value.redirectTo);
  const to =
    result.secondFactor === "verify"
      ? `/login/two-factor?${new URLSearchParams({ redirectTo: back })}`
      : result.secondFactor === "enrol"
        ? `/login/two-factor-setup?${new URLSearchParams({ redirectTo: back })}`
        : result.mustChangePassword
          ? "/account/password"
          : back;
  return redirect(to, { headers: { "Set-Cookie": sessionCookie(request, result.token, result.maxAgeSeconds) } });
}

export default function LoginPage() {
  const { idleMinutes, demo } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(SignInSchema, {
    lastResult,
  });
  const reason = searchParams.get("reason");
  // A refused attempt empties the password box (the email stays), as people expect: each answer
  // from the server gives the box a new key, so it mounts again, empty.
  const passwordKey = useMemo(() => (lastResult ? Math.random().toString(36) : "before-any-answer"), [lastResult]);
  return (
    <Container size={demo ? 560 : 420} py={60} component="main">
      <Stack gap="lg">
        <SignInHeading title="IOP Dashboard">Sign in to your clinic</SignInHeading>
        {reason === "timeout" || reason === "expired" ? (
          <Alert color="indigo" icon={<IconClockPause aria-hidden />} title="You were signed out">
            {reason === "timeout"
              ? `Nothing happened for ${idleMinutes} minutes, so your session ended to protect patient information. Sign in to go back where you were.`
              : "Your session reached its maximum length. Sign in to go back where you were."}
          </Alert>
        ) : null}
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
            <Stack>
              {form.errors ? (
                <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert" id={form.errorId}>
                  {form.errors.join(" ")}
                </Alert>
              ) : null}
              <TextInput
                label="Email"
                name={fields.email.name}
                defaultValue={fields.email.initialValue as string | undefined}
                error={fields.email.errors?.join(" ")}
                type="email"
                autoComplete="username"
                required
                // eslint-disable-next-line jsx-a11y/no-autofocus -- the page exists to sign in: focus starts where everyone types first
                autoFocus
              />
              <PasswordInput
                key={passwordKey}
                label="Password"
                name={fields.password.name}
                error={fields.password.errors?.join(" ")}
                autoComplete="current-password"
                required
                visibilityToggleButtonProps={{ "aria-label": "Show or hide what you typed" }}
              />
              <Button type="submit" fullWidth loading={navigation.state === "submitting"}>
                Sign in
              </Button>
            </Stack>
          </Form>
        </Paper>
        {demo ? (
          <Paper withBorder p="md" radius="md">
            <Title order={2} size="h4" mb="xs">
              Demo clinic sign-ins
            </Title>
            <Text size="sm" mb="xs">
              Every demo account uses the password <Code>{demo.password}</Code>.
            </Text>
            <RowsTable
              rows={demo.users}
              rowKey={(u) => u.email}
              columns={[
                { title: "Name", cell: (u) => u.name },
                { title: "Email", cell: (u) => u.email },
                { title: "Role", cell: (u) => u.role },
              ]}
            />
          </Paper>
        ) : (
          <Text size="sm" ta="center" c="dimmed">
            Forgot your password? Ask your program admin to reset it.
          </Text>
        )}
      </Stack>
    </Container>
  );
}
