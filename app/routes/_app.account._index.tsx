import { ActionIcon, Alert, Badge, Button, Card, CopyButton, Group, List, Stack, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { signOutEverywhere } from "~/features/auth/account.server";
import { clearSessionCookie } from "~/features/auth/cookie.server";
import { requireUser } from "~/features/auth/guard.server";
import { openSessionCount } from "~/features/auth/own-sessions.server";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "~/features/auth/permissions";
import { requiresTwoFactor, twoFactorPolicy, twoFactorStatus } from "~/features/auth/two-factor.server";
import { activeFeed, createFeed, revokeFeed } from "~/features/scheduling/calendar-feed.server";
import { formatInstant } from "~/kernel/time";

export const meta: MetaFunction = () => [{ title: "Your account · IOP Dashboard" }];

const INTENTS = ["sign-out-everywhere", "create-calendar", "revoke-calendar"] as const;
type Intent = (typeof INTENTS)[number];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, site } = await requireUser(args, "update:own-account");
  const [openSessions, feed, twoFactor, policy] = await Promise.all([
    openSessionCount(db, user.id),
    activeFeed(db, user.id),
    twoFactorStatus(db, user.id),
    twoFactorPolicy(db, user.id),
  ]);
  const timeZone = site?.time_zone ?? "UTC";
  return {
    user,
    sites: sites.map((s) => s.name),
    openSessions,
    twoFactor: {
      ...twoFactor,
      enabledAt: twoFactor.enabledAt ? formatInstant(twoFactor.enabledAt, timeZone) : null,
      required: requiresTwoFactor(policy.value, user.role),
    },
    calendar: feed
      ? { createdAt: formatInstant(feed.createdAt, timeZone), lastUsedAt: feed.lastUsedAt ? formatInstant(feed.lastUsedAt, timeZone) : null }
      : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, meta } = await requireUser(args, "update:own-account");
  const form = await args.request.formData();
  const intent = form.get("intent");
  if (!INTENTS.includes(intent as Intent)) {
    throw data({ message: "That is not something this page can do." }, { status: 400 });
  }
  switch (intent as Intent) {
    case "sign-out-everywhere":
      await signOutEverywhere(db, user, meta);
      return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(args.request) } });
    case "create-calendar": {
      const path = await createFeed(db, user, meta);
      // Shown once: the address holds its own secret, which the server does not keep.
      return { intent: "create-calendar" as const, calendarUrl: new URL(path, args.request.url).toString() };
    }
    case "revoke-calendar":
      await revokeFeed(db, user, meta);
      return { intent: "revoke-calendar" as const, calendarUrl: null };
  }
}

function CalendarCard() {
  const { calendar } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyIntent = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;
  const newUrl = actionData?.intent === "create-calendar" ? actionData.calendarUrl : null;
  const justTurnedOff = actionData?.intent === "revoke-calendar" && !calendar;

  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        Calendar subscription
      </Title>
      <Stack gap="sm">
        <Text size="sm">
          Add the sessions you facilitate to your phone or computer calendar. The calendar address shows each session&apos;s time, room and, for groups, its
          title. It never shows patient names: individual and family sessions appear only as &quot;Individual session&quot; or &quot;Family session&quot;.
        </Text>
        <Text size="sm">Anyone who has the address can see these times, so keep it to yourself. If it may have been shared, replace it or turn it off.</Text>
        {newUrl ? (
          <Alert color="green" title="Your new address is ready">
            <Stack gap="xs">
              <Group gap="xs" align="flex-end" wrap="nowrap">
                <TextInput
                  label="Calendar address"
                  value={newUrl}
                  readOnly
                  onFocus={(e) => e.currentTarget.select()}
                  style={{ flex: 1, minWidth: 0 }}
                  styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
                />
                <CopyButton value={newUrl} timeout={2000}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? "Copied" : "Copy"} withArrow>
                      <ActionIcon
                        size={36}
                        variant={copied ? "filled" : "default"}
                        color={copied ? "teal" : undefined}
                        onClick={copy}
                        aria-label={copied ? "Copied" : "Copy the address"}
                      >
                        {copied ? <IconCheck size={18} aria-hidden /> : <IconCopy size={18} aria-hidden />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
              <Text size="sm">
                Copy it now and add it to your calendar app as a subscription (&quot;From URL&quot; or &quot;Subscribe to calendar&quot;). It will not be shown
                again; if you lose it, replace it.
              </Text>
            </Stack>
          </Alert>
        ) : null}
        {justTurnedOff ? (
          <Alert color="gray" role="status">
            Your calendar address is turned off. Calendars subscribed to it will stop updating.
          </Alert>
        ) : null}
        {calendar ? (
          <Text size="sm">
            Your calendar address was made {calendar.createdAt}.{" "}
            {calendar.lastUsedAt ? `A calendar app last read it ${calendar.lastUsedAt}.` : "No calendar app has read it yet."}
          </Text>
        ) : justTurnedOff ? null : (
          <Text size="sm">You have no calendar address.</Text>
        )}
        <Group gap="sm">
          <Form method="post">
            <input type="hidden" name="intent" value="create-calendar" />
            <Button type="submit" variant="light" loading={busyIntent === "create-calendar"} disabled={Boolean(busyIntent)}>
              {calendar ? "Replace calendar address" : "Create calendar address"}
            </Button>
          </Form>
          {calendar ? (
            <Form method="post">
              <input type="hidden" name="intent" value="revoke-calendar" />
              <Button type="submit" color="red" variant="outline" loading={busyIntent === "revoke-calendar"} disabled={Boolean(busyIntent)}>
                Turn off calendar address
              </Button>
            </Form>
          ) : null}
        </Group>
        {calendar ? (
          <Text size="xs" c="dimmed">
            Replacing the address turns the old one off: calendars subscribed to it stop updating.
          </Text>
        ) : null}
      </Stack>
    </Card>
  );
}

export default function AccountPage() {
  const { user, sites, openSessions, twoFactor } = useLoaderData<typeof loader>();
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
        <Group gap="xs" mb="xs">
          <Title order={2} size="h3">
            Two-factor sign-in
          </Title>
          <Badge color={twoFactor.enabled ? "teal.9" : "gray"} variant={twoFactor.enabled ? "filled" : "light"}>
            {twoFactor.enabled ? "On" : "Off"}
          </Badge>
        </Group>
        <Text size="sm" mb="sm">
          {twoFactor.enabled
            ? `On since ${twoFactor.enabledAt}, with ${twoFactor.recoveryCodesLeft} of 10 recovery codes unused.`
            : "A code from an app on your phone at each sign-in, so a stolen password alone cannot open patient records."}
          {twoFactor.required ? " The program requires it for your role." : ""}
        </Text>
        <Button component={Link} to="/account/two-factor" variant="light">
          {twoFactor.enabled ? "Manage two-factor sign-in" : "Set up two-factor sign-in"}
        </Button>
      </Card>
      <CalendarCard />
      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          Sessions
        </Title>
        <Text size="sm" mb="sm">
          You are signed in on {openSessions} {openSessions === 1 ? "device" : "devices"}. If you left a session open on a shared computer, or think someone
          else has used your account, sign out everywhere.
        </Text>
        <Alert color="gray" mb="sm">
          <List size="sm">
            <List.Item>Every device, including this one, returns to the sign-in page.</List.Item>
          </List>
        </Alert>
        <Form method="post">
          <input type="hidden" name="intent" value="sign-out-everywhere" />
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
