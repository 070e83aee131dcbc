import { AppShell, Badge, Burger, Group, Menu, NativeSelect, NavLink, Text, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import {
  IconAddressBook,
  IconBuildingCommunity,
  IconCalendarCog,
  IconCalendarWeek,
  IconChevronDown,
  IconClipboardList,
  IconHome,
  IconKey,
  IconLogout,
  IconReceipt,
  IconTestPipe,
  IconChartBar,
  IconUser,
  IconUsers,
  IconFileExport,
  IconFileCertificate,
} from "@tabler/icons-react";
import { Form, Link, NavLink as RemixNavLink, useLocation, useSubmit } from "@remix-run/react";
import type { ReactNode } from "react";
import classes from "./app-shell.module.css";
import { ColorSchemeToggle } from "./color-scheme-toggle";
import { PatientSearch } from "./patient-search";

const ICONS = {
  home: IconHome,
  users: IconUsers,
  audit: IconClipboardList,
  patients: IconAddressBook,
  program: IconCalendarCog,
  schedule: IconCalendarWeek,
  drugTests: IconTestPipe,
  reports: IconChartBar,
  sites: IconBuildingCommunity,
  charges: IconReceipt,
  claims: IconFileExport,
  authorizations: IconFileCertificate,
} as const;

/** A section in the navigation: its icon is named here, so the data says which without carrying a component. */
export type ShellIcon = keyof typeof ICONS;
export interface ShellLink {
  label: string;
  to: string;
  icon: ShellIcon;
}

export interface ShellProps {
  /** `roleLabel`: the role as people say it ("Counselor"). */
  user: { name: string; email: string; roleLabel: string };
  /** The sections this person may open, in order (see features/auth/navigation.ts). */
  nav: ShellLink[];
  sites: { id: string; name: string }[];
  siteId: string | null;
  children: ReactNode;
}

function SiteSwitcher({ sites, siteId }: { sites: ShellProps["sites"]; siteId: string | null }) {
  const submit = useSubmit();
  const location = useLocation();
  if (sites.length < 2) return null;
  return (
    <Form method="post" action="/site">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <NativeSelect
        label="Site"
        name="siteId"
        size="xs"
        value={siteId ?? undefined}
        data={sites.map((s) => ({ value: s.id, label: s.name }))}
        onChange={(e) => submit(e.currentTarget.form)}
        styles={{ root: { display: "flex", alignItems: "center", gap: 6 } }}
      />
      <noscript>
        <button type="submit">Switch site</button>
      </noscript>
    </Form>
  );
}

export function Shell({ user, nav, sites, siteId, children }: ShellProps) {
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const siteName = sites.find((s) => s.id === siteId)?.name;
  return (
    // Below laptop width (Mantine's md, 992 px: tablets) the navigation folds away behind the
    // burger, so the page gets the whole width; from md up it is always shown.
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: "md", collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header className="no-print">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="md"
              size="sm"
              aria-label={opened ? "Close navigation" : "Open navigation"}
              aria-expanded={opened}
              aria-controls="main-navigation"
            />
            <Text component={Link} to="/" fw={700} size="lg" style={{ textDecoration: "none", color: "inherit", whiteSpace: "nowrap" }}>
              IOP Dashboard
            </Text>
            {siteName && sites.length < 2 ? (
              <Text size="sm" c="dimmed" visibleFrom="lg">
                {siteName}
              </Text>
            ) : null}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {nav.some((n) => n.to === "/patients") ? <PatientSearch /> : null}
            <SiteSwitcher sites={sites} siteId={siteId} />
            <ColorSchemeToggle />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={`Account menu for ${user.name}`}>
                  <Group gap={6} wrap="nowrap">
                    <IconUser size={18} aria-hidden />
                    <Text size="sm" fw={500} className={classes.userName}>
                      {user.name}
                    </Text>
                    <Badge variant="light" size="sm" style={{ flexShrink: 0 }}>
                      {user.roleLabel}
                    </Badge>
                    <IconChevronDown size={14} aria-hidden />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{user.email}</Menu.Label>
                <Menu.Item component={Link} to="/account" leftSection={<IconUser size={16} aria-hidden />}>
                  Your account
                </Menu.Item>
                <Menu.Item component={Link} to="/account/password" leftSection={<IconKey size={16} aria-hidden />}>
                  Change password
                </Menu.Item>
                <Menu.Divider />
                <Form method="post" action="/logout">
                  <Menu.Item component="button" type="submit" leftSection={<IconLogout size={16} aria-hidden />}>
                    Sign out
                  </Menu.Item>
                </Form>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" className={`no-print ${classes.navbar}`} id="main-navigation" aria-label="Main" mod={{ folded: !opened }}>
        <VisuallyHidden>
          <h2>Sections</h2>
        </VisuallyHidden>
        {nav.map((item) => {
          const Icon = ICONS[item.icon];
          const active = item.to === "/" ? location.pathname === "/" : location.pathname.startsWith(item.to);
          return (
            <NavLink
              key={item.to}
              component={RemixNavLink}
              to={item.to}
              label={item.label}
              active={active}
              onClick={close}
              leftSection={<Icon size={18} aria-hidden />}
              aria-current={active ? "page" : undefined}
            />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
