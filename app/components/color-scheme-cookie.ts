import { isMantineColorScheme, type MantineColorScheme, type MantineColorSchemeManager } from "@mantine/core";

/**
 * The colour scheme someone chose with the header toggle lives in a cookie, not in localStorage,
 * so the server renders the page in that scheme: the first paint, the html attribute and every
 * component agree with what the browser then hydrates (a scheme only the browser knew made React
 * throw the server HTML away on every page load). No cookie means "auto": the system's setting.
 */
export const COLOR_SCHEME_COOKIE = "iop_color_scheme";

/** Where Mantine's default manager kept the choice before it moved to the cookie. */
const LEGACY_STORAGE_KEY = "mantine-color-scheme-value";
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The scheme a request's Cookie header (or document.cookie) names; "auto" when none or garbage. */
export function colorSchemeFromCookie(cookieHeader: string | null | undefined): MantineColorScheme {
  const match = new RegExp(`(?:^|;\\s*)${COLOR_SCHEME_COOKIE}=([^;]*)`).exec(cookieHeader ?? "");
  const value = match?.[1];
  return isMantineColorScheme(value) ? value : "auto";
}

function writeCookie(value: MantineColorScheme | null) {
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie =
    value === null
      ? `${COLOR_SCHEME_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax${secure}`
      : `${COLOR_SCHEME_COOKIE}=${value}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax${secure}`;
}

/**
 * A Mantine colour-scheme manager that starts from the scheme the server rendered (so the browser's
 * first render is the server's) and writes every change to the cookie the server reads next time.
 */
export function cookieColorSchemeManager(serverScheme: MantineColorScheme): MantineColorSchemeManager {
  let current = serverScheme;
  return {
    get: () => current,
    set: (value) => {
      current = value;
      writeCookie(value);
    },
    subscribe: () => {},
    unsubscribe: () => {},
    clear: () => {
      current = "auto";
      writeCookie(null);
    },
  };
}

/**
 * A choice made before the cookie existed (kept by Mantine in localStorage), or null. It is moved
 * to the cookie once, after hydration, so nobody loses the scheme they picked.
 */
export function takeLegacyColorScheme(): "light" | "dark" | null {
  if (colorSchemeFromCookie(document.cookie) !== "auto") return null;
  try {
    const stored = window.localStorage.getItem(LEGACY_STORAGE_KEY);
    window.localStorage.removeItem(LEGACY_STORAGE_KEY);
    return stored === "light" || stored === "dark" ? stored : null;
  } catch {
    return null;
  }
}

/**
 * For "auto" the server cannot know the system's setting: this runs before the first paint and
 * sets the html attribute Mantine's styles key on. For light or dark the server already set it.
 */
export const AUTO_COLOR_SCHEME_SCRIPT = `try{document.documentElement.setAttribute("data-mantine-color-scheme",window.matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light")}catch(e){}`;
