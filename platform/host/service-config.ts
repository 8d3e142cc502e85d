import { readFileSync } from "node:fs";
import path from "node:path";
import { EnvReader, type Env } from "../config.js";
import { servicePort, type ServiceName } from "../services.js";

export interface ServiceConfig {
  name: string;
  port: number;
  /** Interface to bind; 127.0.0.1 by default, 0.0.0.0 in containers. */
  host: string;
  logLevel: string;
  /** Cap on (and default for) every call's deadline. */
  maxTimeoutMs: number;
  shutdownGraceMs: number;
  /** Folder for embedded engines' data and dev keys. */
  dataDir: string;
  /** PEM of the Ed25519 key that verifies access tokens. */
  authPublicKeyPem: string;
}

/**
 * The settings every process shares. `AUTH_PUBLIC_KEY` (PEM) or `AUTH_PUBLIC_KEY_FILE` name the
 * token-verifying key; by default the dev key the launcher writes under the data dir.
 */
export function readServiceConfig(name: ServiceName | "edge", env: Env, defaultPort: number = name === "edge" ? 0 : servicePort(name, env)): ServiceConfig {
  const r = new EnvReader(env);
  const dataDir = path.resolve(r.string("CINEMESH_DATA_DIR", ".cinemesh"));
  const keyFile = r.string("AUTH_PUBLIC_KEY_FILE", path.join(dataDir, "keys", "auth-public.pem"));
  let authPublicKeyPem = r.optional("AUTH_PUBLIC_KEY") ?? "";
  if (authPublicKeyPem === "") {
    try {
      authPublicKeyPem = readFileSync(keyFile, "utf8");
    } catch {
      r.problem(`no token-verifying key: set AUTH_PUBLIC_KEY or AUTH_PUBLIC_KEY_FILE (looked for ${keyFile}; \`npm start\` creates it)`);
    }
  }
  const config: ServiceConfig = {
    name,
    port: r.int(name === "edge" ? "EDGE_PORT" : `${name.toUpperCase()}_PORT`, defaultPort, 0, 65535),
    host: r.string("BIND_HOST", "127.0.0.1"),
    logLevel: r.oneOf("LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
    maxTimeoutMs: r.int("RPC_MAX_TIMEOUT_MS", 30_000, 1),
    shutdownGraceMs: r.int("SHUTDOWN_GRACE_MS", 4_000, 0),
    dataDir,
    authPublicKeyPem,
  };
  r.done();
  return config;
}
