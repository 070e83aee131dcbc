/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

const isVitest = Boolean(process.env.VITEST);

export default defineConfig({
  plugins: [
    !isVitest &&
      remix({
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
          v3_routeConfig: true,
        },
      }),
    tsconfigPaths(),
  ],
  optimizeDeps: { exclude: ["@node-rs/argon2"] },
  build: { target: "es2022" },
  ssr: { noExternal: [] },
  test: {
    // Test files share their worker's module cache: each file's own module is evaluated afresh, and
    // the app's modules hold no state of a file's (its database handles are the file's own). Loading
    // the app's modules again for each of some 150 files took about three and a half minutes of
    // a CI run's import time, most of it on one core.
    isolate: false,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          // This run's seeded demo clinics, copied for each file that wants one (tests/support/templates.ts).
          globalSetup: ["tests/support/templates-setup.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // On SQLite by default; E2E_DIALECT=postgres runs the same suite against a fresh
          // PostgreSQL database on the server TEST_DATABASE_URL names (.ci/run does both).
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/templates-setup.ts", "tests/e2e/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
