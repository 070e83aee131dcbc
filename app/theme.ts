import { createTheme } from "@mantine/core";

/**
 * Indigo at shade 7 keeps white text on buttons above WCAG AA contrast (shade 6 is 4.3:1).
 */
export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: "md",
  fontFamily:
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif",
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
