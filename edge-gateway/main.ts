import path from "node:path";
import { EnvReader } from "../platform/config.js";
import { exitOnSignal } from "../platform/host/run-service.js";
import { createLogger } from "../platform/logger.js";
import { readMediaSigningKey } from "../platform/media/signing-key.js";
import { EDGE_PORT } from "../platform/services.js";
import { openObjects } from "../platform/storage/select.js";
import { HTTP_MOUNTS, MESH_SERVICES } from "./contracts.js";
import { startEdgeGateway } from "./gateway.js";

const env = new EnvReader(process.env);
const config = {
  port: env.int("EDGE_PORT", EDGE_PORT, 0, 65535),
  host: env.string("BIND_HOST", "127.0.0.1"),
  logLevel: env.oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
  upstreamTimeoutMs: env.int("EDGE_UPSTREAM_TIMEOUT_MS", 15_000, 1),
  maxBodyBytes: env.int("EDGE_MAX_BODY_BYTES", 1 << 20, 1),
  corsOrigins: (env.optional("EDGE_CORS_ORIGINS") ?? "").split(",").map((s) => s.trim()).filter(Boolean),
  rateLimits: {
    perIpPerMinute: env.int("EDGE_RATE_LIMIT_PER_IP_PER_MINUTE", 6000),
    perUserPerMinute: env.int("EDGE_RATE_LIMIT_PER_USER_PER_MINUTE", 3000),
  },
};
const mediaSigningKey = readMediaSigningKey(env, path.resolve(env.string("CINEMESH_DATA_DIR", ".cinemesh")));
try {
  env.done();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const logger = createLogger("edge", config.logLevel);
openObjects(process.env)
  .then((objects) => startEdgeGateway({ ...config, logger, env: process.env, services: MESH_SERVICES, httpMounts: HTTP_MOUNTS, media: { objects, signingKey: mediaSigningKey } }))
  .then(
  (edge) => exitOnSignal(() => edge.close()),
  (err: unknown) => {
    logger.error({ err }, "edge failed to start");
    process.exit(1);
  },
);
