/**
 * Global setup for the integration and end-to-end projects: a folder for this run's seeded
 * templates (tests/support/templates.ts), dropped with its PostgreSQL databases at the end. When
 * IOP_TEMPLATE_DIR is already set (.ci/run sets it for both of its vitest runs, or another
 * project's setup in this run did), the folder is someone else's to drop.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { dropTemplates, prebuildTemplates } from "./templates";

export default async function setup(project: TestProject) {
  const owned = !process.env.IOP_TEMPLATE_DIR;
  const dir = process.env.IOP_TEMPLATE_DIR || mkdtempSync(join(tmpdir(), "iop-templates-"));
  process.env.IOP_TEMPLATE_DIR = dir;
  // With IOP_TEMPLATE_PREBUILD=1 (.ci/run) the integration suite starts once the templates its
  // files copy are seeded, so no file's hook waits for them inside its time-out.
  if (process.env.IOP_TEMPLATE_PREBUILD === "1" && project.name === "integration") await prebuildTemplates();
  if (!owned) return;
  return async () => {
    delete process.env.IOP_TEMPLATE_DIR;
    await dropTemplates(dir);
  };
}
