import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { navFor } from "~/components/navigation";
import { requireUser } from "~/features/auth/guard.server";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "~/features/auth/permissions";

export const meta: MetaFunction = () => [{ title: "Home · IOP Dashboard" }];

const SECTION_TEXT: Record<string, string> = {
  "/patients": "Caseloads, intake, diagnoses, MAT, level of care and discharge. Press / anywhere to find a patient.",
  "/schedule": "The program's week: every group, where and with whom, in the site's time zone.",
  "/admin/program": "Tracks and rooms: when the program meets, at which level of care, and where.",
  "/admin/users": "Create accounts, change roles, reset passwords and deactivate people who leave.",
  "/admin/audit": "Who did what, when, to which record — filter, page and export.",
};

export async function loader(args: LoaderFunctionArgs) {
  const { user, site } = await requireUser(args, "read:home");
  const now = new Date();
  const tz = site?.time_zone ?? "UTC";
  const hour = Number(new Intl.DateTimeFormat("en-US", { hour: "numeric", hourCycle: "h23", timeZone: tz }).format(now));
  return {
    firstName: user.name.split(" ")[0],
    role: user.role,
    site: site ? { name: site.name, timeZone: site.time_zone } : null,
    today: new Intl.DateTimeFormat("en-US", { weekday: "long", month: "long", day: "numeric", year: "numeric", timeZone: tz }).format(now),
    greeting: hour < 12 ? "Good morning" : hour < 18 ? "Good afternoon" : "Good evening",
    sections: navFor(user.role).filter((s) => s.to !== "/"),
  };
}

export default function Home() {
  const { firstName, role, site, today, greeting, sections } = useLoaderData<typeof loader>();
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>
          {greeting}, {firstName}
        </Title>
        <Text c="dimmed">
          {today}
          {site ? ` · ${site.name} (${site.timeZone})` : " · You are not assigned to a site yet; ask an admin."}
        </Text>
      </div>
      <Card withBorder>
        <Text fw={600}>Signed in as {ROLE_LABELS[role]}</Text>
        <Text size="sm">{ROLE_DESCRIPTIONS[role]}</Text>
      </Card>
      {sections.length ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {sections.map((s) => (
            <Card key={s.to} withBorder>
              <Group justify="space-between">
                <Anchor component={Link} to={s.to} fw={600}>
                  {s.label}
                </Anchor>
              </Group>
              <Text size="sm" mt={4}>
                {SECTION_TEXT[s.to]}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
