import { Anchor, Button, Group } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { Link, useLocation } from "@remix-run/react";

/** The schedule's views, and booking for those who may book. */
export function ScheduleTabs({ canBook }: { canBook: boolean }) {
  const { pathname } = useLocation();
  const views = [
    { to: "/schedule", label: "Week" },
    { to: "/schedule/today", label: "Today" },
    ...(canBook ? [{ to: "/schedule/mine", label: "My week" }] : []),
  ];
  return (
    <Group justify="space-between" className="no-print">
      <Group gap={4} component="nav" aria-label="Schedule views">
        {views.map((v) => {
          const active = pathname === v.to;
          return (
            <Anchor
              key={v.to}
              component={Link}
              to={v.to}
              underline="never"
              px="sm"
              py={6}
              aria-current={active ? "page" : undefined}
              fw={active ? 700 : 500}
              style={{ borderRadius: 6, background: active ? "var(--mantine-color-indigo-light)" : undefined }}
            >
              {v.label}
            </Anchor>
          );
        })}
      </Group>
      {canBook ? (
        <Button component={Link} to="/schedule/book" size="sm" leftSection={<IconPlus size={16} aria-hidden />}>
          Book a session
        </Button>
      ) : null}
    </Group>
  );
}
