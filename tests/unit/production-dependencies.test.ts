/**
 * A production install (`npm ci --omit=dev`) holds only `dependencies`: it must hold everything
 * the server and the operations commands import, and nothing that is only for building, typing or
 * testing. Every bare import reachable from the server, the app's routes and the
 * operations commands is followed through relative imports and checked against package.json.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

const OPERATIONS = ["scripts/user-create.ts", "scripts/backup.ts", "scripts/restore.ts", "scripts/audit-verify.ts", "db/migrate.ts"];
const entries = [
  "server.mjs",
  "app/root.tsx",
  "app/entry.server.tsx",
  "app/entry.client.tsx",
  ...readdirSync(join(root, "app/routes"))
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => `app/routes/${f}`),
  ...OPERATIONS,
].filter((f) => existsSync(join(root, f)));

const IMPORT = /(?:^|[;\n])\s*(?:import|export)\s+(?!type\b)(?:[^'"`;]*?\sfrom\s*)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function resolveLocal(from: string, spec: string): string | null {
  const base = spec.startsWith("~/")
    ? join(root, "app", spec.slice(2))
    : spec.startsWith("#db/")
      ? join(root, "db", spec.slice(4))
      : resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.js`, `${base}.mjs`, join(base, "index.ts"), base.replace(/\.js$/, ".ts")]) {
    if (existsSync(candidate) && !candidate.endsWith("/") && /\.(tsx?|m?js)$/.test(candidate)) return candidate;
  }
  return null;
}

/** The package every bare import reachable from the entries names, with the first file that imports it. */
function bareImports(): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const queue = entries.map((e) => join(root, e));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "");
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2]).split("?")[0];
      if (spec.startsWith(".") || spec.startsWith("~/") || spec.startsWith("#db/")) {
        const local = resolveLocal(file, spec);
        if (local) queue.push(local);
        continue;
      }
      if (spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0])) continue;
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      if (!found.has(name)) found.set(name, relative(root, file));
    }
  }
  return found;
}

describe("a production install", () => {
  it("holds no type packages, build tools or test tools", () => {
    const devOnly =
      /^(@types\/|typescript$|vitest$|vite$|vite-tsconfig-paths$|playwright|@playwright\/|@axe-core\/|fast-check$|autocannon$|@remix-run\/dev$|postcss|cli-progress$)/;
    expect(Object.keys(pkg.dependencies).filter((d) => devOnly.test(d))).toEqual([]);
  });

  it("holds every package the server, the routes and the operations commands import", () => {
    const missing = [...bareImports()].filter(([name]) => !(name in pkg.dependencies)).map(([name, file]) => `${name} (imported by ${file})`);
    expect(missing).toEqual([]);
  });

  it("runs the operations commands with tsx, which is a runtime dependency", () => {
    for (const script of ["user:create", "backup", "restore", "audit:verify", "db:migrate"]) expect(pkg.scripts[script]).toMatch(/^tsx /);
    expect(pkg.dependencies.tsx).toBeDefined();
    expect(pkg.scripts.start).toMatch(/node server\.mjs/);
  });

  it("finds the imports it checks (the check itself works)", () => {
    const found = bareImports();
    for (const name of ["kysely", "better-sqlite3", "pg", "express", "@remix-run/node", "qrcode", "@node-rs/argon2"]) expect(found.has(name)).toBe(true);
  });
});
