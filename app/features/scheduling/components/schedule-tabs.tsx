import { Button, Group } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { Link, useLocation } from "@remix-run/react";
import { SectionTabs } from "~/components/section-tabs";

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
      <SectionTabs label="Schedule views" tabs={views.map((v) => ({ ...v, active: pathname === v.to }))} />
      {canBook ? (
        <Button component={Link} to="/schedule/book" size="sm" leftSection={<IconPlus size={16} aria-hidden />}>
          Book a session
        </Button>
      ) : null}
    </Group>
  );
}
