import "@mantine/core/styles.layer.css";
import "@mantine/dates/styles.layer.css";
import "@mantine/charts/styles.layer.css";
import "@mantine/notifications/styles.layer.css";
import "@mantine/spotlight/styles.layer.css";
import "mantine-datatable/styles.layer.css";
import "./styles/app.css";

import { ColorSchemeScript, MantineProvider, mantineHtmlProps } from "@mantine/core";
import { Notifications, notifications } from "@mantine/notifications";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData } from "@remix-run/react";
import { type ReactNode, useEffect } from "react";
import { StandaloneErrorBoundary } from "./components/error-boundary";
import { cssVariablesResolver, theme } from "./theme";
import { useNonce } from "./utils/nonce";
import { readToast } from "./kernel/toast.server";

export const meta: MetaFunction = () => [
  { title: "IOP Dashboard" },
  { name: "description", content: "Run an Intensive Outpatient Program: caseloads, groups, attendance and drug tests." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  // The root only carries a one-time message; every page below checks who is asking itself.
  const { toast, clear } = await readToast(request);
  return data({ toast }, clear ? { headers: { "Set-Cookie": clear } } : undefined);
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en" {...mantineHtmlProps}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
        <ColorSchemeScript nonce={nonce} defaultColorScheme="auto" />
      </head>
      <body>
        <MantineProvider theme={theme} defaultColorScheme="auto" cssVariablesResolver={cssVariablesResolver}>
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
