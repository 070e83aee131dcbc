import { ActionIcon, useMantineColorScheme } from "@mantine/core";
import { IconMoon, IconSun } from "@tabler/icons-react";
import { useEffect } from "react";
import { takeLegacyColorScheme } from "./color-scheme-cookie";

/**
 * Two buttons, one per scheme, and CSS (Mantine's darkHidden / lightHidden, keyed on the html
 * attribute) shows the one that fits. Nothing here depends on JavaScript knowing the scheme, so
 * the server and the browser render the same markup and the icon is right on the first paint,
 * even in "auto" where only the browser knows the system's setting.
 */
export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  return (
    <>
      <ActionIcon variant="default" size="lg" darkHidden onClick={() => setColorScheme("dark")} aria-label="Switch to dark mode" title="Switch to dark mode">
        <IconMoon size={18} aria-hidden />
      </ActionIcon>
      <ActionIcon
        variant="default"
        size="lg"
        lightHidden
        onClick={() => setColorScheme("light")}
        aria-label="Switch to light mode"
        title="Switch to light mode"
      >
        <IconSun size={18} aria-hidden />
      </ActionIcon>
    </>
  );
}

/** Moves a scheme chosen before it lived in a cookie over to the cookie, once, after hydration. */
export function LegacyColorSchemeCarryOver() {
  const { setColorScheme } = useMantineColorScheme();
  useEffect(() => {
    const legacy = takeLegacyColorScheme();
    if (legacy) setColorScheme(legacy);
  }, [setColorScheme]);
  return null;
}
