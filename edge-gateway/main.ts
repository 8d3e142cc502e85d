import path from "node:path";
import { readKeyPem, readOptionalKeyPem } from "../platform/auth/key-env.js";
import { createTokenVerifier } from "../platform/auth/tokens.js";
import { EnvReader } from "../platform/config.js";
import { exitOnSignal } from "../platform/host/run-service.js";
import { DEFAULT_RPC_LIMITS, defaultOperatorPort, readListenerTimeouts } from "../platform/host/service-config.js";
import { createLogger } from "../platform/logger.js";
import { readMediaSigningKey } from "../platform/media/signing-key.js";
import { EDGE_PORT } from "../platform/services.js";
import { readTracingConfig, startTracing } from "../platform/telemetry/tracing.js";
import { openObjects } from "../platform/storage/select.js";
import { HTTP_MOUNTS, MESH_SERVICES } from "./contracts.js";
import { startEdgeGateway } from "./gateway.js";

const env = new EnvReader(process.env);
const port = env.int("EDGE_PORT", EDGE_PORT, 0, 65535);
const config = {
  port,
  operatorPort: env.int("EDGE_OPERATOR_PORT", defaultOperatorPort(port), 0, 65535),
  host: env.string("BIND_HOST", "127.0.0.1"),
  logLevel: env.oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
  upstreamTimeoutMs: env.int("EDGE_UPSTREAM_TIMEOUT_MS", 15_000, 1),
  maxBodyBytes: env.int("EDGE_MAX_BODY_BYTES", 1 << 20, 1),
  maxRpcBodyBytes: env.int("EDGE_MAX_RPC_BODY_BYTES", DEFAULT_RPC_LIMITS.maxRequestBytes, 1),
  timeouts: readListenerTimeouts(env),
  corsOrigins: (env.optional("EDGE_CORS_ORIGINS") ?? "").split(",").map((s) => s.trim()).filter(Boolean),
  tracing: readTracingConfig(env),
  rateLimits: {
    perIpPerMinute: env.int("EDGE_RATE_LIMIT_PER_IP_PER_MINUTE", 6000),
    perUserPerMinute: env.int("EDGE_RATE_LIMIT_PER_USER_PER_MINUTE", 3000),
  },
  // Hot segments held in memory by the media origin (edge-gateway/media-cache.ts); 0 turns it off.
  mediaCacheBytes: env.int("EDGE_MEDIA_CACHE_BYTES", 256 * 1024 * 1024, 0),
};
const dataDir = path.resolve(env.string("CINEMESH_DATA_DIR", ".cinemesh"));
const mediaSigningKey = readMediaSigningKey(env, dataDir);
// The per-user rate limit buckets only tokens the edge has verified.
const tokenKeys = { identity: readKeyPem(env, dataDir, "identityPublic"), service: readOptionalKeyPem(env, dataDir, "servicePublic") };
try {
  env.done();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const logger = createLogger("edge", config.logLevel);
const tracing = startTracing("edge", config.tracing);
Promise.all([openObjects(process.env), createTokenVerifier(tokenKeys.identity, { servicePublicKeyPem: tokenKeys.service })])
  .then(([objects, verifier]) =>
    startEdgeGateway({ ...config, logger, env: process.env, services: MESH_SERVICES, httpMounts: HTTP_MOUNTS, verifier, media: { objects, signingKey: mediaSigningKey, cacheBytes: config.mediaCacheBytes } }),
  )
  .then(
  (edge) => exitOnSignal(async () => {
    await edge.close();
    await tracing.shutdown();
  }),
  (err: unknown) => {
    logger.error({ err }, "edge failed to start");
    process.exit(1);
  },
);
