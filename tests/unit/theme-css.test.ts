import { MantineProvider } from "@mantine/core";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { cssVariablesResolver, theme } from "~/theme";
import { themeCss } from "~/theme-css";

/** The CSS variables Mantine's provider itself writes for the theme, read from its server render. */
function providerCss(): string {
  const html = renderToString(createElement(MantineProvider, { theme, cssVariablesResolver, withGlobalClasses: false }, createElement("p", null, "page")));
  const found = /<style data-mantine-styles="true">([\s\S]*?)<\/style>/.exec(html);
  if (!found) throw new Error("the provider wrote no theme variables");
  // React escapes nothing inside dangerouslySetInnerHTML, so this is the provider's string as is.
  return found[1];
}

describe("the theme's CSS variables built once per process", () => {
  it("are exactly what Mantine's provider writes for the same theme and resolver", () => {
    expect(themeCss()).toBe(providerCss());
  });

  it("carry the program's own contrast fixes and primary colour", () => {
    const css = themeCss();
    expect(css).toContain("--mantine-color-dimmed: var(--mantine-color-gray-7)");
    expect(css).toContain("--mantine-color-anchor: var(--mantine-color-indigo-8)");
    expect(css).toContain("--mantine-primary-color-filled: var(--mantine-color-indigo-filled)");
  });

  it("are built once and then reused", () => {
    expect(themeCss()).toBe(themeCss());
  });
});
