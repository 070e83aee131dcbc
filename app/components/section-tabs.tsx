import { Anchor, Box, Group } from "@mantine/core";
import { Link } from "@remix-run/react";
import type { CSSProperties } from "react";

export interface SectionTab {
  to: string;
  label: string;
  active: boolean;
}

const pill = (active: boolean): CSSProperties => ({
  borderRadius: 6,
  whiteSpace: "nowrap",
  background: active ? "var(--mantine-color-indigo-light)" : undefined,
});

function TabLink({ tab }: { tab: SectionTab }) {
  return (
    <Anchor
      component={Link}
      to={tab.to}
      underline="never"
      px={{ base: "xs", md: "sm" }}
      py={6}
      aria-current={tab.active ? "page" : undefined}
      fw={tab.active ? 700 : 500}
      style={pill(tab.active)}
    >
      {tab.label}
    </Anchor>
  );
}

/**
 * A row of links between the views of one page (a chart's sections, the schedule's views), named
 * for screen readers; the one shown is marked as the current page and highlighted.
 */
export function SectionTabs({ label, tabs, className }: { label: string; tabs: SectionTab[]; className?: string }) {
  return (
    <Group gap={4} component="nav" aria-label={label} className={className}>
      {tabs.map((t) => (
        <TabLink key={t.to} tab={t} />
      ))}
    </Group>
  );
}

export interface SectionGroup {
  label: string;
  tabs: SectionTab[];
}

/** Up to this many sections sit in one row; more are grouped. */
const ONE_ROW = 6;

const scrollRow: CSSProperties = { overflowX: "auto", overflowY: "hidden", listStyle: "none", margin: 0, padding: 0 };

/**
 * The sections of a long page (a patient's chart) in a few named groups: a row of group tabs, and
 * under it the sections of the group the page belongs to. Every link is a plain link (it works
 * before the page's scripts load and with the keyboard); the page shown is marked
 * `aria-current="page"`, its group `aria-current="true"`. Neither row wraps: at widths where a row
 * cannot fit it scrolls sideways rather than breaking into ragged lines. Few sections (what staff
 * see) stay one row, as `SectionTabs`.
 */
export function GroupedSectionTabs({ label, groups, className }: { label: string; groups: SectionGroup[]; className?: string }) {
  const shown = groups.filter((g) => g.tabs.length);
  const all = shown.flatMap((g) => g.tabs);
  if (all.length <= ONE_ROW) return <SectionTabs label={label} tabs={all} className={className} />;
  const current = shown.find((g) => g.tabs.some((t) => t.active));
  return (
    <Box component="nav" aria-label={label} className={className}>
      <Group component="ul" gap={0} wrap="nowrap" style={{ ...scrollRow, borderBottom: "1px solid var(--mantine-color-default-border)" }}>
        {shown.map((g) => {
          const only = g.tabs.length === 1 ? g.tabs[0] : null;
          const active = g === current;
          return (
            <li key={g.label}>
              <Anchor
                component={Link}
                to={only ? only.to : g.tabs[0].to}
                underline="never"
                display="block"
                px={{ base: "sm", md: "md" }}
                pt={6}
                pb={4}
                fw={active ? 700 : 500}
                c={active ? undefined : "var(--mantine-color-text)"}
                aria-current={only?.active ? "page" : active ? "true" : undefined}
                style={{ whiteSpace: "nowrap", borderBottom: `3px solid ${active ? "var(--mantine-primary-color-filled)" : "transparent"}`, marginBottom: -1 }}
              >
                {g.label}
              </Anchor>
            </li>
          );
        })}
      </Group>
      {current && current.tabs.length > 1 ? (
        <Group component="ul" aria-label={`${current.label} sections`} gap={4} wrap="nowrap" mt={6} style={scrollRow}>
          {current.tabs.map((t) => (
            <li key={t.to}>
              <TabLink tab={t} />
            </li>
          ))}
        </Group>
      ) : null}
    </Box>
  );
}
