/**
 * `tsx tests/support/templates-prebuild.ts`: seeds this run's demo-clinic templates into
 * IOP_TEMPLATE_DIR ahead of the tests. .ci/run starts it beside lint and the build, so the
 * seeding is done, or under way, by the time a test wants a copy.
 */
import { prebuildTemplates } from "./templates";

const started = Date.now();
await prebuildTemplates();
console.log(`[templates] seeded in ${Math.round((Date.now() - started) / 1000)} s`);
