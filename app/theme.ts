import { createTheme, type CSSVariablesResolver } from "@mantine/core";

/**
 * Indigo at shade 7 keeps white text on buttons above WCAG AA contrast (shade 6 is 4.3:1).
 */
export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: "md",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif",
  headings: { fontWeight: "650" },
  components: {
    Anchor: { defaultProps: { underline: "always" } },
    // Required fields are the norm here; optional ones say "(optional)" in their label. A hidden
    // asterisk would also end up in the label text that people and tests find fields by.
    InputWrapper: { defaultProps: { withAsterisk: false } },
    TextInput: { defaultProps: { withAsterisk: false } },
    PasswordInput: { defaultProps: { withAsterisk: false } },
    NativeSelect: { defaultProps: { withAsterisk: false } },
    Textarea: { defaultProps: { withAsterisk: false } },
    CheckboxGroup: { defaultProps: { withAsterisk: false } },
  },
});

const LOW_CONTRAST_HUES = new Set(["yellow", "orange", "lime"]);

/**
 * Mantine's defaults for dimmed text and "light" variants (badges, alerts, the active nav link)
 * fall under 4.5:1 on their backgrounds. These keep every such text at WCAG AA in both schemes.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-color-error": "var(--mantine-color-red-8)",
    "--mantine-color-anchor": "var(--mantine-color-indigo-8)",
  };
  const dark: Record<string, string> = {
    "--mantine-color-dimmed": "var(--mantine-color-dark-1)",
    "--mantine-color-error": "var(--mantine-color-red-4)",
    "--mantine-color-anchor": "var(--mantine-color-indigo-3)",
  };
  for (const color of Object.keys(t.colors)) {
    light[`--mantine-color-${color}-light-color`] = LOW_CONTRAST_HUES.has(color)
      ? "var(--mantine-color-dark-7)"
      : `color-mix(in srgb, var(--mantine-color-${color}-9) 80%, black)`;
    dark[`--mantine-color-${color}-light-color`] = `var(--mantine-color-${color}-2)`;
    light[`--mantine-color-${color}-outline`] = `var(--mantine-color-${color}-8)`;
    dark[`--mantine-color-${color}-outline`] = `var(--mantine-color-${color}-3)`;
  }
  return { variables: {}, light, dark };
};
