import { Alert, Anchor, Button, Center, Container, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconLock } from "@tabler/icons-react";
import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";

interface Explained {
  status: number;
  title: string;
  message: string;
}

function explain(error: unknown): Explained {
  if (isRouteErrorResponse(error)) {
    const message =
      typeof error.data === "object" && error.data && "message" in error.data
        ? String((error.data as { message: unknown }).message)
        : typeof error.data === "string" && error.data
          ? error.data
          : "";
    if (error.status === 403) {
      return { status: 403, title: "You don't have access to this page", message };
    }
    if (error.status === 404) {
      return { status: 404, title: "Not found", message: message || "There is nothing at this address, or it is not yours to see." };
    }
    if (error.status === 400) {
      return { status: 400, title: "That request could not be read", message: message || "Check what was entered and try again." };
    }
    return { status: error.status, title: "Something went wrong", message: message || error.statusText };
  }
  return {
    status: 500,
    title: "Something went wrong on our side",
    message:
      "Nothing you entered was lost on purpose, but this page could not be shown. Try again; if it keeps happening, tell your admin the time it happened.",
  };
}

function ErrorContent({ explained }: { explained: Explained }) {
  const Icon = explained.status === 403 ? IconLock : IconAlertTriangle;
  return (
    <Stack gap="md" maw={640}>
      <Title order={1}>{explained.title}</Title>
      <Alert color={explained.status === 403 ? "orange" : "red"} icon={<Icon aria-hidden />} title={`Error ${explained.status}`}>
        <Text>{explained.message}</Text>
      </Alert>
      <div>
        <Button component={Link} to="/" variant="light">
          Go to the home page
        </Button>
      </div>
    </Stack>
  );
}

/** Rendered inside the app shell, in place of the page that failed. */
export function RouteErrorBoundary() {
  const error = useRouteError();
  // The server logs it once, structured, from handleError in entry.server.tsx; the browser's console shows it here.
  if (!isRouteErrorResponse(error) && typeof document !== "undefined") console.error(error);
  return <ErrorContent explained={explain(error)} />;
}

/** Rendered when even the shell could not be drawn. */
export function StandaloneErrorBoundary() {
  const error = useRouteError();
  // The server logs it once, structured, from handleError in entry.server.tsx; the browser's console shows it here.
  if (!isRouteErrorResponse(error) && typeof document !== "undefined") console.error(error);
  return (
    <Container size="sm" py="xl" component="main">
      <Center>
        <ErrorContent explained={explain(error)} />
      </Center>
      <Text ta="center" mt="xl" size="sm">
        <Anchor component={Link} to="/login">
          Sign in again
        </Anchor>
      </Text>
    </Container>
  );
}
