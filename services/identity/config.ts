import { readFileSync } from "node:fs";
import path from "node:path";
import { EnvReader, type Env } from "../../platform/config.js";
import { checkPasswordStrength } from "./password-policy.js";
import { DomainError } from "./errors.js";

/** Settings of the identity service, read once at start-up (README lists every variable). */
export interface IdentityConfig {
  /** PKCS#8 PEM of the Ed25519 key that signs access tokens. */
  privateKeyPem: string;
  accessTokenTtlSeconds: number;
  /** Lifetime of each refresh token; every rotation issues a fresh one (sliding session). */
  refreshTokenTtlSeconds: number;
  loginThrottle: LoginThrottleLimits;
  /** The first admin, created at start when both variables are set. */
  bootstrapAdmin?: { email: string; password: string };
}

export interface LoginThrottleLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  windowMs: number;
}

/**
 * `AUTH_PRIVATE_KEY` (PEM) or `AUTH_PRIVATE_KEY_FILE` (default `<data dir>/keys/auth-private.pem`,
 * written by the launcher) name the signing key; the other variables tune token lifetimes, login
 * throttling and the bootstrap admin. Every problem is reported at once.
 */
export function readIdentityConfig(env: Env, dataDir: string): IdentityConfig {
  const r = new EnvReader(env);
  const keyFile = r.string("AUTH_PRIVATE_KEY_FILE", path.join(dataDir, "keys", "auth-private.pem"));
  let privateKeyPem = r.optional("AUTH_PRIVATE_KEY") ?? "";
  if (privateKeyPem === "") {
    try {
      privateKeyPem = readFileSync(keyFile, "utf8");
    } catch {
      r.problem(`no token-signing key: set AUTH_PRIVATE_KEY or AUTH_PRIVATE_KEY_FILE (looked for ${keyFile}; \`npm start\` creates it)`);
    }
  }
  const config: IdentityConfig = {
    privateKeyPem,
    accessTokenTtlSeconds: r.int("IDENTITY_ACCESS_TOKEN_TTL_SECONDS", 15 * 60, 10, 24 * 3600),
    refreshTokenTtlSeconds: r.int("IDENTITY_REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600, 60, 365 * 24 * 3600),
    loginThrottle: {
      maxFailuresPerAccount: r.int("IDENTITY_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5, 1),
      maxFailuresPerIp: r.int("IDENTITY_LOGIN_MAX_FAILURES_PER_IP", 20, 1),
      windowMs: r.int("IDENTITY_LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60, 1, 24 * 3600) * 1000,
    },
    bootstrapAdmin: readBootstrapAdmin(r),
  };
  r.done();
  return config;
}

function readBootstrapAdmin(r: EnvReader): IdentityConfig["bootstrapAdmin"] {
  const email = r.optional("CINEMESH_ADMIN_EMAIL");
  const password = r.optional("CINEMESH_ADMIN_PASSWORD");
  if (email === undefined && password === undefined) return undefined;
  if (email === undefined || password === undefined) {
    r.problem("CINEMESH_ADMIN_EMAIL and CINEMESH_ADMIN_PASSWORD must be set together");
    return undefined;
  }
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) r.problem(`CINEMESH_ADMIN_EMAIL=${email}: not an email address`);
  try {
    checkPasswordStrength(password, email);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    r.problem(`CINEMESH_ADMIN_PASSWORD: ${err.message}`);
  }
  return { email, password };
}
