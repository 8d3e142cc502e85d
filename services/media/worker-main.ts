import { EnvReader } from "../../platform/config.js";
import { exitOnSignal } from "../../platform/host/run-service.js";
import { createLogger } from "../../platform/logger.js";
import { readTracingConfig, startTracing } from "../../platform/telemetry/tracing.js";
import { startMediaWorker } from "./worker-runtime.js";

/**
 * The encoding worker process: consumes the encoding work queue until SIGTERM/SIGINT, then gives
 * the job in progress back (it goes to another worker, the attempt uncounted) and exits 0.
 */
const env = process.env;
const r = new EnvReader(env);
const logger = createLogger("media-worker", r.oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"));
const tracingConfig = readTracingConfig(r);
r.done();
const tracing = startTracing("media-worker", tracingConfig);
startMediaWorker(env, logger).then(
  (worker) => exitOnSignal(async () => {
    await worker.stop();
    await tracing.shutdown();
  }),
  (err: unknown) => {
    console.error("media worker failed to start:", err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
