import { Stack, Title } from "@mantine/core";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { AccountSummary, PasswordCard, SessionsCard, TwoFactorCard } from "~/features/auth/components/account-sections";
import { CalendarCard } from "~/features/auth/components/calendar-card";
import { signOutEverywhere } from "~/features/auth/account.server";
import { clearSessionCookie } from "~/features/auth/cookie.server";
import { requireUser } from "~/features/auth/guard.server";
import { AccountActionSchema } from "~/features/auth/schemas";
import { openSessionCount } from "~/features/auth/own-sessions.server";
import { requiresTwoFactor, twoFactorPolicy, twoFactorStatus } from "~/features/auth/two-factor.server";
import { activeFeed, createFeed, revokeFeed } from "~/features/scheduling/calendar-feed.server";
import { invariantResponse } from "~/kernel/http.server";
import { formatInstant } from "~/kernel/time";

export const meta: MetaFunction = () => [{ title: "Your account · IOP Dashboard" }];

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
  const parsed = AccountActionSchema.safeParse({ intent: form.get("intent") });
  invariantResponse(parsed.success, "That is not something this page can do.");
  switch (parsed.data.intent) {
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

function AccountCalendar() {
  const { calendar } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const newUrl = actionData?.intent === "create-calendar" ? actionData.calendarUrl : null;
  return <CalendarCard calendar={calendar} newUrl={newUrl} justTurnedOff={actionData?.intent === "revoke-calendar" && !calendar} />;
}

export default function AccountPage() {
  const { user, sites, openSessions, twoFactor } = useLoaderData<typeof loader>();
  return (
    <Stack gap="lg" maw={720}>
      <Title order={1}>Your account</Title>
      <AccountSummary user={user} sites={sites} />
      <PasswordCard />
      <TwoFactorCard twoFactor={twoFactor} />
      <AccountCalendar />
      <SessionsCard openSessions={openSessions} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
