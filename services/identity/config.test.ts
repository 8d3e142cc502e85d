import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAuthKeyPair } from "../../platform/auth/tokens.js";
import { ConfigError } from "../../platform/config.js";
import { readIdentityConfig } from "./config.js";

describe("identity config", () => {
  let dataDir: string;
  let privateKeyPem: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "identity-config-"));
    ({ privateKeyPem } = await generateAuthKeyPair());
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("has safe defaults: 15-minute access tokens, 30-day refresh tokens, 5/20 failures per 15 minutes, 10 sign-ups an hour, 2 hashes at once, no admin", () => {
    expect(readIdentityConfig({ AUTH_PRIVATE_KEY: privateKeyPem }, dataDir)).toEqual({
      privateKeyPem,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 30 * 24 * 3600,
      loginThrottle: { maxFailuresPerAccountAddress: 5, maxFailuresPerIp: 20, windowMs: 900_000 },
      signUpThrottle: { maxPerIp: 10, windowMs: 3_600_000 },
      hashConcurrency: 2,
      bootstrapAdmin: undefined,
      kvNamespace: "",
    });
  });

  it("keeps its throttle counters in the environment's namespace: IDENTITY_KV_NAMESPACE, else BUS_NAMESPACE", () => {
    const env = { AUTH_PRIVATE_KEY: privateKeyPem, BUS_NAMESPACE: "ci-7" };
    expect(readIdentityConfig(env, dataDir).kvNamespace).toBe("ci-7");
    expect(readIdentityConfig({ ...env, IDENTITY_KV_NAMESPACE: "tenant-a" }, dataDir).kvNamespace).toBe("tenant-a");
  });

  it("reads the signing key from the launcher's file under the data dir by default", async () => {
    await mkdir(path.join(dataDir, "keys"), { recursive: true });
    await writeFile(path.join(dataDir, "keys", "auth-private.pem"), privateKeyPem);
    expect(readIdentityConfig({}, dataDir).privateKeyPem).toBe(privateKeyPem);
  });

  it("takes overrides from the environment", () => {
    const config = readIdentityConfig(
      {
        AUTH_PRIVATE_KEY: privateKeyPem,
        IDENTITY_ACCESS_TOKEN_TTL_SECONDS: "300",
        IDENTITY_REFRESH_TOKEN_TTL_SECONDS: "3600",
        IDENTITY_LOGIN_MAX_FAILURES_PER_ACCOUNT: "3",
        IDENTITY_LOGIN_MAX_FAILURES_PER_IP: "7",
        IDENTITY_LOGIN_FAILURE_WINDOW_SECONDS: "60",
        CINEMESH_ADMIN_EMAIL: "root@example.com",
        CINEMESH_ADMIN_PASSWORD: "admin pass 1",
      },
      dataDir,
    );
    expect(config).toMatchObject({
      accessTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 3600,
      loginThrottle: { maxFailuresPerAccountAddress: 3, maxFailuresPerIp: 7, windowMs: 60_000 },
      bootstrapAdmin: { email: "root@example.com", password: "admin pass 1" },
    });
  });

  it("reports every problem at once", () => {
    let err: unknown;
    try {
      readIdentityConfig(
        { AUTH_PRIVATE_KEY_FILE: path.join(dataDir, "missing.pem"), IDENTITY_ACCESS_TOKEN_TTL_SECONDS: "0", CINEMESH_ADMIN_EMAIL: "root@example.com", CINEMESH_ADMIN_PASSWORD: "password" },
        dataDir,
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join("\n");
    expect(problems).toMatch(/no token-signing key/);
    expect(problems).toMatch(/IDENTITY_ACCESS_TOKEN_TTL_SECONDS=0/);
    expect(problems).toMatch(/CINEMESH_ADMIN_PASSWORD: password: must mix letters/);
    expect(() => readIdentityConfig({ AUTH_PRIVATE_KEY: privateKeyPem, CINEMESH_ADMIN_EMAIL: "root@example.com" }, dataDir)).toThrow(/must be set together/);
  });
});
