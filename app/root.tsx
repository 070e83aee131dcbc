import "@mantine/core/styles.layer.css";
import "@mantine/dates/styles.layer.css";
import "@mantine/charts/styles.layer.css";
import "@mantine/notifications/styles.layer.css";
import "@mantine/spotlight/styles.layer.css";
import "mantine-datatable/styles.layer.css";
import "./styles/app.css";
import "./styles/badges.css";

import { MantineProvider, mantineHtmlProps } from "@mantine/core";
import { Notifications, notifications } from "@mantine/notifications";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { type ReactNode, useEffect, useState } from "react";
import { AUTO_COLOR_SCHEME_SCRIPT, colorSchemeFromCookie, cookieColorSchemeManager } from "./components/color-scheme-cookie";
import { LegacyColorSchemeCarryOver } from "./components/color-scheme-toggle";
import { StandaloneErrorBoundary } from "./components/error-boundary";
import { theme } from "./theme";
import { themeCss } from "./theme-css";
import { useNonce } from "./utils/nonce";
import { readToast } from "./kernel/toast.server";

export const meta: MetaFunction = () => [
  { title: "IOP Dashboard" },
  { name: "description", content: "Run an Intensive Outpatient Program: caseloads, groups, attendance and drug tests." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  // The root only carries a one-time message and the colour scheme someone chose; every page
  // below checks who is asking itself.
  const { toast, clear } = await readToast(request);
  const colorScheme = colorSchemeFromCookie(request.headers.get("Cookie"));
  return data({ toast, colorScheme }, clear ? { headers: { "Set-Cookie": clear } } : undefined);
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  // Absent only when the root loader itself failed: the system's scheme then.
  const colorScheme = useRouteLoaderData<typeof loader>("root")?.colorScheme ?? "auto";
  const [colorSchemeManager] = useState(() => cookieColorSchemeManager(colorScheme));
  return (
    // The server names the chosen scheme on html, so the first paint is already in it; for
    // "auto" the script below corrects it to the system's before anything is painted.
    <html lang="en" {...mantineHtmlProps} data-mantine-color-scheme={colorScheme === "dark" ? "dark" : "light"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
        {colorScheme === "auto" ? <script nonce={nonce} dangerouslySetInnerHTML={{ __html: AUTO_COLOR_SCHEME_SCRIPT }} /> : null}
      </head>
      <body>
        {/* The theme's variables, built once per process (app/theme-css.ts) rather than by the provider on every render. */}
        <style data-mantine-styles="true" dangerouslySetInnerHTML={{ __html: themeCss() }} />
        <MantineProvider theme={theme} defaultColorScheme={colorScheme} colorSchemeManager={colorSchemeManager} withCssVariables={false}>
          <LegacyColorSchemeCarryOver />
          <Notifications position="top-right" />
          {children}
        </MantineProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { toast } = useLoaderData<typeof loader>();
  useEffect(() => {
    // Lets end-to-end tests (and anyone curious) tell a hydrated page from server HTML.
    document.body.dataset.hydrated = "true";
  }, []);
  useEffect(() => {
    if (!toast) return;
    notifications.show({
      message: toast.message,
      color: toast.kind === "error" ? "red" : toast.kind === "success" ? "teal" : "indigo",
      withBorder: true,
    });
  }, [toast]);
  return <Outlet />;
}

export function ErrorBoundary() {
  return <StandaloneErrorBoundary />;
}
