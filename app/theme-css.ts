import { convertCssVariables, defaultCssVariablesResolver, DEFAULT_THEME, mergeMantineTheme, type ConvertCSSVariablesInput } from "@mantine/core";
import { cssVariablesResolver, theme } from "./theme";

/**
 * The theme's CSS variables, built once per process instead of on every render.
 *
 * Mantine's provider resolves and serialises every CSS variable of the theme each time it renders
 * (about 1.7 ms of a page's server render here); the theme never changes while the process runs,
 * so root renders this string itself and tells the provider not to (withCssVariables={false}).
 * It is the provider's own output: the same resolvers, the variables equal to Mantine's defaults
 * left out (their stylesheet already declares them), the same serialisation —
 * tests/unit/theme-css.test.tsx compares the two.
 */
function build(): string {
  const merged = mergeMantineTheme(DEFAULT_THEME, theme);
  const ours = defaultCssVariablesResolver(merged);
  const extra = cssVariablesResolver(merged);
  const defaults = defaultCssVariablesResolver(DEFAULT_THEME);
  const pick = (part: keyof ConvertCSSVariablesInput) => {
    const out: Record<string, string> = {};
    const values = { ...ours[part], ...extra[part] };
    for (const [key, value] of Object.entries(values)) if (defaults[part][key as keyof (typeof defaults)[typeof part]] !== value) out[key] = value;
    return out;
  };
  return convertCssVariables({ variables: pick("variables"), light: pick("light"), dark: pick("dark") });
}

let built: string | null = null;
export function themeCss(): string {
  built ??= build();
  return built;
}
