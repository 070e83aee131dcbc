// ESLint keeps the layers of docs/architecture.md (ADR 0009): which kind of code may import which.
// Type-aware typescript-eslint rules stay off: on two cores they cost more than they find here;
// `tsc --noEmit` in `npm run lint` already checks the types.
import js from "@eslint/js";
import boundaries from "eslint-plugin-boundaries";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Imports of a type only: they vanish at build time, so they cannot drag server code into a bundle. */
const typeOnly = { kind: "type" };

const noDoubleCast = {
  selector: "TSAsExpression > TSAsExpression[typeAnnotation.type='TSUnknownKeyword']",
  message: "`as unknown as` hides a type error: type the value at its source.",
};

/** What the database layer may see of the app: nothing. Migrations are frozen in time. */
const appAliases = ["~/*", "**/app/**"];

export default tseslint.config(
  {
    ignores: ["build/**", "public/build/**", "node_modules/**", "coverage/**", "data/**", "bench/results/**", ".react-router/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Unused names are errors, except the `_` prefix that says "deliberately unused".
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Tests forge bad values on purpose (fuzzing, tampering); the product code types them at the source.
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts", "seeds/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts"],
    rules: { "no-restricted-syntax": ["error", noDoubleCast] },
  },
  {
    // Kysely's own idiom: a migration (and the code that runs migrations or reads planner statistics)
    // works on whatever schema the database has, not on today's `Database`, so it takes `Kysely<any>`.
    files: ["db/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      // The two classic hook rules; the React Compiler rules of react-hooks 7 assume a compiler we do not run.
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: ["app/**/*.tsx"],
    ...jsxA11y.flatConfigs.recommended,
    languageOptions: { ...jsxA11y.flatConfigs.recommended.languageOptions, globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },

  // ---- Layers -------------------------------------------------------------------------------
  {
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts", "seeds/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts", "tests/**/*.ts", "server.mjs"],
    plugins: { boundaries },
    settings: {
      "import/resolver": { typescript: { alwaysTryTypes: true, project: "./tsconfig.json" }, node: true },
      "boundaries/legacy-warnings": false,
      // The first descriptor that matches gives a file its element: the more specific come first.
      "boundaries/elements": [
        { type: "feature-components", pattern: "app/features/*/components", capture: ["feature"], partialMatch: false },
        { type: "feature", pattern: "app/features/*", capture: ["feature"], partialMatch: false },
        { type: "route", pattern: "app/routes", partialMatch: false },
        { type: "components", pattern: "app/components", partialMatch: false },
        { type: "kernel", pattern: "app/kernel", partialMatch: false },
        { type: "utils", pattern: "app/utils", partialMatch: false },
        { type: "styles", pattern: "app/styles", partialMatch: false },
        // The process's own services: its database handle (db.server) and the like, outside any feature.
        { type: "process", pattern: "app/*.server.ts", mode: "file" },
        { type: "app-entry", pattern: "app/*.{ts,tsx}", mode: "file" },
        { type: "migrations", pattern: "db/migrations", partialMatch: false },
        { type: "db", pattern: "db", partialMatch: false },
        { type: "seeds", pattern: "seeds", partialMatch: false },
        { type: "scripts", pattern: "scripts", partialMatch: false },
        { type: "bench", pattern: "bench", partialMatch: false },
        { type: "test-support", pattern: "tests/support", partialMatch: false },
        { type: "tests", pattern: "tests", partialMatch: false },
        { type: "server", pattern: "server.mjs", mode: "file" },
      ],
      "boundaries/files": [
        { category: "server", pattern: "**/*.server.{ts,tsx}" },
        { category: "rules", pattern: "**/rules.ts" },
      ],
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "disallow",
          message: "{{from.element.type}} may not import {{to.element.type}} ({{dependency.source}}): see docs/architecture.md",
          policies: [
            // Routes compose: features, their components, shared UI, the kernel and utils. Never db/ or seeds/.
            {
              from: { element: { type: "route" } },
              allow: { to: { element: { types: ["feature", "feature-components", "components", "kernel", "utils", "styles"] } } },
            },
            // Public routes (sign-in, readiness, the token calendar feed) have no user to hand them the
            // database: they take the process's handle (app/db.server.ts) and pass it to a feature.
            { from: { element: { types: ["route", "feature"] } }, allow: { to: { element: { type: "process" } } } },
            // Another route only for its types (a parent's loader data).
            { from: { element: { type: "route" } }, allow: { to: { element: { type: "route" } }, dependency: typeOnly } },
            // Features: the kernel, utils, the database and other features' modules (not their components);
            // shared UI's types (a feature may describe what the shell shows), never its code.
            {
              from: { element: { type: "feature" } },
              allow: { to: { element: { types: ["feature", "kernel", "utils", "db"] } } },
            },
            { from: { element: { type: "feature" } }, allow: { to: { element: { type: "components" } }, dependency: typeOnly } },
            // Feature components: shared UI, any feature's plain modules and its components (through
            // their .tsx files: boundaries/entry-point below), the kernel and utils.
            {
              from: { element: { type: "feature-components" } },
              allow: { to: { element: { types: ["feature", "feature-components", "components", "kernel", "utils", "styles"] } } },
            },
            // Shared UI: the kernel and utils; it knows no feature.
            { from: { element: { type: "components" } }, allow: { to: { element: { types: ["kernel", "utils", "styles"] } } } },
            // The foundation: the kernel and utils use each other and the database types, and know no
            // feature, route or component.
            { from: { element: { types: ["kernel", "utils"] } }, allow: { to: { element: { types: ["kernel", "utils"] } } } },
            { from: { element: { types: ["kernel", "utils"] } }, allow: { to: { element: { type: "db" } }, dependency: typeOnly } },
            // The process's services: the database layer and the kernel.
            { from: { element: { type: "process" } }, allow: { to: { element: { types: ["process", "kernel", "utils", "db"] } } } },
            // The app's entry modules (root, entry.server, routes.ts, db.server) wire everything but seeds.
            {
              from: { element: { type: "app-entry" } },
              allow: {
                to: { element: { types: ["app-entry", "process", "route", "feature", "feature-components", "components", "kernel", "utils", "styles", "db"] } },
              },
            },
            // The database layer: itself, and the migrator lists the migrations. Migrations import only
            // their dialect helper (internal to them).
            { from: { element: { type: "db" } }, allow: { to: { element: { types: ["db", "migrations"] } } } },
            // Seeds go through the features' repositories, like the app does.
            {
              from: { element: { type: "seeds" } },
              allow: { to: { element: { types: ["seeds", "feature", "kernel", "utils", "db", "app-entry", "process"] } } },
            },
            {
              from: { element: { types: ["scripts", "bench"] } },
              allow: { to: { element: { types: ["scripts", "seeds", "feature", "kernel", "utils", "db", "app-entry", "process", "test-support"] } } },
            },
            // Tests may reach anything they test.
            { from: { element: { types: ["tests", "test-support"] } }, allow: { to: { element: { isUnknown: false } } } },
            { from: { element: { type: "server" } }, allow: { to: { element: { types: ["app-entry", "process"] } } } },

            // Vetoes that hold whatever was allowed above (later policies win).
            // UI never imports server modules, except for their types.
            {
              from: { element: { types: ["components", "feature-components"] } },
              disallow: { to: { file: { categories: "server" } }, dependency: { kind: "value" } },
              message:
                "UI code may not import a *.server module ({{dependency.source}}); import its types with `import type`, or move them to a plain .ts module",
            },
            // From outside a feature's components folder, only its components themselves (.tsx) are
            // reachable: its stylesheets and helpers are its own.
            {
              disallow: { to: { element: { type: "feature-components", fileInternalPath: ["**/*.module.css", "**/*.ts"] } } },
              message: "{{dependency.source}} is internal to its feature's components: import the component (.tsx) instead",
            },
            // Domain rules are pure: no server module, no database.
            {
              from: { file: { categories: "rules" } },
              disallow: { to: [{ file: { categories: "server" } }, { element: { types: ["db", "app-entry"] } }], dependency: { kind: "value" } },
              message: "rules.ts is pure: it may not import {{dependency.source}} (a server module or the database)",
            },
          ],
        },
      ],
    },
  },

  // ---- What boundaries cannot say ---------------------------------------------------------------
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ group: ["**/db/*", "!#db/*"], message: "Import the database schema and types through the #db/* alias." }],
        },
      ],
    },
  },
  {
    // A route runs no query: it calls a feature's repository.
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          // (db/ and seeds/ are refused by the boundaries above.)
          paths: [
            { name: "kysely", allowTypeImports: true, message: "A route runs no query: move it to the feature's repository (features/<f>/*.server.ts)." },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        noDoubleCast,
        {
          selector: "CallExpression > MemberExpression.callee[property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|transaction|executeQuery)$/]",
          message: "A route runs no query: move it to the feature's repository (features/<f>/*.server.ts).",
        },
      ],
    },
  },
  {
    // Migrations are frozen in time: Kysely, node built-ins and their dialect helper only.
    files: ["db/migrations/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: [...appAliases, "#db/*", "../*"], message: "A migration is frozen in time: it imports only Kysely, node built-ins and ./dialect." },
          ],
        },
      ],
    },
  },
);
