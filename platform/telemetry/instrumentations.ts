import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { InstrumentationBase } from "@opentelemetry/instrumentation";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";

const require = createRequire(import.meta.url);

/**
 * The standard Postgres (pg, pg-pool) and Redis (ioredis) client spans. These instrumentations
 * normally patch a module as it is `require`d, through a require hook registered before the app
 * loads; in this ESM code base the drivers are loaded by static imports before any code can run,
 * so the hook would come too late (it needs `node --import` with a loader hook on every process).
 * Instead each instrumentation's own patch is applied to the module already loaded: ESM's import
 * of a CommonJS package and `require` share one module instance, so patching its prototypes here
 * covers every pool and client the process makes, whenever it makes them.
 */
export function instrumentDrivers(): void {
  for (const instrumentation of [new PgInstrumentation({ enabled: false, requireParentSpan: true }), new IORedisInstrumentation({ enabled: false, requireParentSpan: true })]) {
    patchLoaded(instrumentation);
  }
}

function patchLoaded(instrumentation: InstrumentationBase): void {
  for (const definition of instrumentation.getModuleDefinitions()) {
    definition.patch?.(require(definition.name), packageVersion(definition.name));
  }
}

/** A package's version from the package.json above its entry point (some packages do not export `./package.json`). */
function packageVersion(name: string): string {
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version: string };
      if (pkg.name === name) return pkg.version;
    } catch {
      // No package.json at this level: keep walking up.
    }
  }
  throw new Error(`no package.json found for ${name}`);
}
