/**
 * `tsx tests/support/templates-prebuild.ts`: seeds this run's demo-clinic templates into
 * IOP_TEMPLATE_DIR ahead of the tests. .ci/run starts it beside lint and the build, so the
 * seeding is done, or under way, by the time a test wants a copy.
 */
import type { DialectName } from "./databases";
import { prebuildTemplates } from "./templates";

// IOP_TEMPLATE_PREBUILD_DIALECT=sqlite|postgres seeds one dialect's templates (npm test runs one process for each).
const only = process.env.IOP_TEMPLATE_PREBUILD_DIALECT as DialectName | undefined;
const started = Date.now();
await prebuildTemplates(only);
console.log(`[templates] ${only ?? "every dialect's"} seeded in ${Math.round((Date.now() - started) / 1000)} s`);
