import { readKeyPem } from "../../platform/auth/key-env.js";
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
  signUpThrottle: SignUpThrottleLimits;
  /** Prefix of the throttles' kv keys (IDENTITY_KV_NAMESPACE, default BUS_NAMESPACE), when environments share a Redis. */
  kvNamespace: string;
  /** Password hashes running at once; more wait (up to 32 per slot), then are refused. */
  hashConcurrency: number;
  /** The first admin, created at start when both variables are set. */
  bootstrapAdmin?: { email: string; password: string };
}

export interface LoginThrottleLimits {
  /** Failed logins to one account from one client address. */
  maxFailuresPerAccountAddress: number;
  /** Failed logins from one client address, whatever the account. */
  maxFailuresPerIp: number;
  windowMs: number;
}

export interface SignUpThrottleLimits {
  maxPerIp: number;
  windowMs: number;
}

/**
 * `AUTH_PRIVATE_KEY` (PEM) or `AUTH_PRIVATE_KEY_FILE` (default `<data dir>/keys/auth-private.pem`,
 * written by the launcher) name the signing key; the other variables tune token lifetimes, login
 * and sign-up throttling, password-hash concurrency and the bootstrap admin. Every problem is reported at once.
 */
export function readIdentityConfig(env: Env, dataDir: string): IdentityConfig {
  const r = new EnvReader(env);
  const privateKeyPem = readKeyPem(r, dataDir, "identityPrivate");
  const config: IdentityConfig = {
    privateKeyPem,
    accessTokenTtlSeconds: r.int("IDENTITY_ACCESS_TOKEN_TTL_SECONDS", 15 * 60, 10, 24 * 3600),
    refreshTokenTtlSeconds: r.int("IDENTITY_REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600, 60, 365 * 24 * 3600),
    loginThrottle: {
      maxFailuresPerAccountAddress: r.int("IDENTITY_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5, 1),
      maxFailuresPerIp: r.int("IDENTITY_LOGIN_MAX_FAILURES_PER_IP", 20, 1),
      windowMs: r.int("IDENTITY_LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60, 1, 24 * 3600) * 1000,
    },
    signUpThrottle: {
      maxPerIp: r.int("IDENTITY_SIGNUP_MAX_PER_IP", 10, 1),
      windowMs: r.int("IDENTITY_SIGNUP_WINDOW_SECONDS", 3600, 1, 24 * 3600) * 1000,
    },
    hashConcurrency: r.int("IDENTITY_PASSWORD_HASH_CONCURRENCY", 2, 1, 64),
    kvNamespace: r.string("IDENTITY_KV_NAMESPACE", r.string("BUS_NAMESPACE", "")),
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
