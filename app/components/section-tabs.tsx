import { Anchor, Group } from "@mantine/core";
import { Link } from "@remix-run/react";

export interface SectionTab {
  to: string;
  label: string;
  active: boolean;
}

/**
 * A row of links between the views of one page (a chart's sections, the schedule's views), named
 * for screen readers; the one shown is marked as the current page and highlighted.
 */
export function SectionTabs({ label, tabs, className }: { label: string; tabs: SectionTab[]; className?: string }) {
  return (
    <Group gap={4} component="nav" aria-label={label} className={className}>
      {tabs.map((t) => (
        <Anchor
          key={t.to}
          component={Link}
          to={t.to}
          underline="never"
          px="sm"
          py={6}
          aria-current={t.active ? "page" : undefined}
          fw={t.active ? 700 : 500}
          style={{ borderRadius: 6, background: t.active ? "var(--mantine-color-indigo-light)" : undefined }}
        >
          {t.label}
        </Anchor>
      ))}
    </Group>
  );
}
