import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useLocation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { Shell } from "~/components/app-shell";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { navFor } from "~/features/auth/navigation";
import { requireUser } from "~/features/auth/guard.server";
import { ROLE_LABELS } from "~/features/auth/permissions";
import { config } from "~/utils/config.server";

export async function loader(args: LoaderFunctionArgs) {
  const { user, sites, site } = await requireUser(args, "read:home");
  return {
    user: { name: user.name, email: user.email, roleLabel: ROLE_LABELS[user.role] },
    nav: navFor(user.role),
    sites: sites.map((s) => ({ id: s.id, name: s.name })),
    siteId: site?.id ?? null,
    idleTimeoutSeconds: config.sessionIdleTimeoutSeconds,
  };
}

/**
 * When the inactivity time-out passes with nothing sent to the server, ask the server again:
 * it ends the session and sends the screen back to sign-in, so nothing stays on an unattended
 * screen. Any navigation restarts the clock.
 */
function useIdleSignOut(seconds: number) {
  const location = useLocation();
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (state !== "idle") return;
    const timer = window.setTimeout(() => revalidate(), seconds * 1000 + 1500);
    return () => window.clearTimeout(timer);
  }, [location.key, seconds, revalidate, state]);
}

export default function AppLayout() {
  const { user, nav, sites, siteId, idleTimeoutSeconds } = useLoaderData<typeof loader>();
  useIdleSignOut(idleTimeoutSeconds);
  return (
    <Shell user={user} nav={nav} sites={sites} siteId={siteId}>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
