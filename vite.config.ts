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

/**
 * The browser suite runs on SQLite always, and again on PostgreSQL when TEST_DATABASE_URL names
 * a server (as .ci/run does). The PostgreSQL pass runs after everything else (groupOrder) so two
 * browser suites never share the machine's two cores at once.
 */
const e2eProjects = (process.env.TEST_DATABASE_URL?.startsWith("postgres") ? ["e2e", "e2e-postgres"] : ["e2e"]).map((name, i) => ({
  extends: true as const,
  test: {
    name,
    include: ["tests/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    sequence: { groupOrder: i },
  },
}));

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
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...e2eProjects,
    ],
  },
});
