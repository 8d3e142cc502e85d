import path from "node:path";
import { readKeyPem, readOptionalKeyPem } from "../auth/key-env.js";
import { EnvReader, type Env } from "../config.js";
import { servicePort, type ServiceName } from "../services.js";
import { DEFAULT_LISTENER_TIMEOUTS, type ListenerTimeouts } from "./listener.js";

/** What one caller may ask of a service, so that no request or stream can exhaust it. */
export interface RpcLimits {
  /** Largest request message, after decompression (gRPC's default, 4 MiB). */
  maxRequestBytes: number;
  /** Server-streaming calls one user may hold open at once. */
  maxStreamsPerUser: number;
  /** How long a stream may live; its client reconnects after DEADLINE_EXCEEDED. */
  maxStreamLifetimeMs: number;
}

export const DEFAULT_RPC_LIMITS: RpcLimits = { maxRequestBytes: 4 * 1024 * 1024, maxStreamsPerUser: 16, maxStreamLifetimeMs: 30 * 60_000 };

export interface ServiceConfig {
  name: string;
  port: number;
  /** `/metrics`, health and reflection for operators: `<NAME>_OPERATOR_PORT`, by default port + 1000. */
  operatorPort: number;
  /** Interface to bind; 127.0.0.1 by default, 0.0.0.0 in containers. */
  host: string;
  logLevel: string;
  /** Cap on (and default for) every call's deadline. */
  maxTimeoutMs: number;
  shutdownGraceMs: number;
  /** Folder for embedded engines' data and dev keys. */
  dataDir: string;
  /** PEM of the Ed25519 key that verifies people's access tokens (signed by identity). */
  authPublicKeyPem: string;
  limits: RpcLimits;
  timeouts: ListenerTimeouts;
  /** PEM of the Ed25519 key that verifies service tokens; absent: service tokens are refused. */
  serviceTokenPublicKeyPem?: string;
  /** `FAULTS_ENABLED=true`: operators may inject faults through `PUT /faults` (drills, benchmarks). */
  faultsEnabled: boolean;
}

/**
 * The settings every process shares. `AUTH_PUBLIC_KEY` (PEM) or `AUTH_PUBLIC_KEY_FILE` name the
 * key that verifies people's tokens, `SERVICE_TOKEN_PUBLIC_KEY[_FILE]` the one that verifies
 * service tokens; by default the dev keys the launcher writes under the data dir.
 */
export function readServiceConfig(name: ServiceName | "edge", env: Env, defaultPort: number = name === "edge" ? 0 : servicePort(name, env)): ServiceConfig {
  const r = new EnvReader(env);
  const dataDir = path.resolve(r.string("CINEMESH_DATA_DIR", ".cinemesh"));
  const authPublicKeyPem = readKeyPem(r, dataDir, "identityPublic");
  const serviceTokenPublicKeyPem = readOptionalKeyPem(r, dataDir, "servicePublic");
  const port = r.int(name === "edge" ? "EDGE_PORT" : `${name.toUpperCase()}_PORT`, defaultPort, 0, 65535);
  const config: ServiceConfig = {
    name,
    port,
    operatorPort: r.int(`${name.toUpperCase()}_OPERATOR_PORT`, defaultOperatorPort(port), 0, 65535),
    host: r.string("BIND_HOST", "127.0.0.1"),
    logLevel: r.oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
    maxTimeoutMs: r.int("RPC_MAX_TIMEOUT_MS", 30_000, 1),
    shutdownGraceMs: r.int("SHUTDOWN_GRACE_MS", 4_000, 0),
    dataDir,
    authPublicKeyPem,
    limits: {
      maxRequestBytes: r.int("RPC_MAX_REQUEST_BYTES", DEFAULT_RPC_LIMITS.maxRequestBytes, 1, 0xffffffff),
      maxStreamsPerUser: r.int("RPC_MAX_STREAMS_PER_USER", DEFAULT_RPC_LIMITS.maxStreamsPerUser, 1),
      maxStreamLifetimeMs: r.int("RPC_MAX_STREAM_LIFETIME_MS", DEFAULT_RPC_LIMITS.maxStreamLifetimeMs, 1),
    },
    timeouts: readListenerTimeouts(r),
    serviceTokenPublicKeyPem,
    faultsEnabled: r.oneOf("FAULTS_ENABLED", ["true", "false"], "false") === "true",
  };
  r.done();
  return config;
}

/** Idle and headers timeouts of a listening port (services and the edge alike). */
export function readListenerTimeouts(r: EnvReader): ListenerTimeouts {
  return {
    idleMs: r.int("HTTP_IDLE_TIMEOUT_MS", DEFAULT_LISTENER_TIMEOUTS.idleMs, 1),
    // Node refuses a headers timeout above its request timeout (300 s).
    headersMs: r.int("HTTP_HEADERS_TIMEOUT_MS", DEFAULT_LISTENER_TIMEOUTS.headersMs, 1, 300_000),
  };
}

/** The operator port beside a service port: 1000 above it (catalog 7002 → 8002, edge 8080 → 9080); any free port when the service's is. */
export function defaultOperatorPort(port: number): number {
  return port === 0 ? 0 : port + 1000;
}
