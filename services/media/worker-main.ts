import { EnvReader } from "../../platform/config.js";
import { exitOnSignal } from "../../platform/host/run-service.js";
import { createLogger } from "../../platform/logger.js";
import { startMediaWorker } from "./worker-runtime.js";

/**
 * The encoding worker process: consumes the encoding work queue until SIGTERM/SIGINT, then gives
 * the job in progress back (it goes to another worker, the attempt uncounted) and exits 0.
 */
const env = process.env;
const r = new EnvReader(env);
const logger = createLogger("media-worker", r.oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"));
r.done();
startMediaWorker(env, logger).then(
  (worker) => exitOnSignal(() => worker.stop()),
  (err: unknown) => {
    console.error("media worker failed to start:", err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
