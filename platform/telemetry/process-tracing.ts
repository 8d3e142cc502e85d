import { EnvReader, type Env } from "../config.js";
import { readTracingConfig, startTracing, type Tracing } from "./tracing.js";

/**
 * Tracing for a process whose main reads nothing else through EnvReader first: reads and
 * validates its setting, exits with the problem when it is wrong, and starts it.
 */
export function startProcessTracing(name: string, env: Env): Tracing {
  const reader = new EnvReader(env);
  const config = readTracingConfig(reader);
  try {
    reader.done();
  } catch (err) {
    console.error(`${name}: ${(err as Error).message}`);
    process.exit(1);
  }
  return startTracing(name, config);
}
