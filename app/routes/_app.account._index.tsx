import { Alert, Badge, Button, Card, Group, List, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { signOutEverywhere } from "~/features/auth/account.server";
import { clearSessionCookie } from "~/features/auth/cookie.server";
import { requireUser } from "~/features/auth/guard.server";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "~/features/auth/permissions";

export const meta: MetaFunction = () => [{ title: "Your account · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites } = await requireUser(args, "update:own-account");
  const sessions = await db
    .selectFrom("user_sessions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", user.id)
    .executeTakeFirstOrThrow();
  return { user, sites: sites.map((s) => s.name), openSessions: Number(sessions.n) };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, meta } = await requireUser(args, "update:own-account");
  await signOutEverywhere(db, user, meta);
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(args.request) } });
}

export default function AccountPage() {
  const { user, sites, openSessions } = useLoaderData<typeof loader>();
  return (
    <Stack gap="lg" maw={720}>
      <Title order={1}>Your account</Title>
      <Card withBorder>
        <Stack gap={4}>
          <Group gap="xs">
            <Text fw={600}>{user.name}</Text>
            <Badge variant="light">{ROLE_LABELS[user.role]}</Badge>
          </Group>
          <Text size="sm">{user.email}</Text>
          <Text size="sm">{ROLE_DESCRIPTIONS[user.role]}</Text>
          <Text size="sm">Works at: {sites.length ? sites.join(", ") : "no site yet"}</Text>
        </Stack>
      </Card>
      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          Password
        </Title>
        <Button component={Link} to="/account/password" variant="light">
          Change password
        </Button>
      </Card>
      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          Sessions
        </Title>
        <Text size="sm" mb="sm">
          You are signed in on {openSessions} {openSessions === 1 ? "device" : "devices"}. If you left a session open on a shared
          computer, or think someone else has used your account, sign out everywhere.
        </Text>
        <Alert color="gray" mb="sm">
          <List size="sm">
            <List.Item>Every device, including this one, returns to the sign-in page.</List.Item>
          </List>
        </Alert>
        <Form method="post">
          <Button type="submit" color="red" variant="outline">
            Sign out everywhere
          </Button>
        </Form>
      </Card>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
