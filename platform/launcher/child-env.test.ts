import { describe, expect, it } from "vitest";
import { processEnv } from "./child-env.js";
import type { DevKeyFiles } from "./keys.js";

const keys: DevKeyFiles = {
  identityPublic: "/d/keys/auth-public.pem",
  identityPrivate: "/d/keys/auth-private.pem",
  servicePublic: "/d/keys/service-public.pem",
  servicePrivate: "/d/keys/service-private.pem",
};
const privateKeyVars = (env: NodeJS.ProcessEnv) => Object.keys(env).filter((k) => /PRIVATE_KEY/.test(k) && env[k] !== undefined).sort();

describe("the launcher's child environments", () => {
  // What an operator might have exported before `npm start`: both private keys, inline and as files.
  const shared = { CINEMESH_DATA_DIR: "/d", AUTH_PRIVATE_KEY: "-----identity-----", SERVICE_TOKEN_PRIVATE_KEY_FILE: "/vault/service.pem", LOG_LEVEL: "info" };

  it("give the identity private key to identity alone", () => {
    expect(processEnv("identity", shared, keys)).toMatchObject({ AUTH_PRIVATE_KEY: "-----identity-----" });
    expect(privateKeyVars(processEnv("identity", shared, keys))).toEqual(["AUTH_PRIVATE_KEY"]);
    for (const name of ["catalog", "media", "playback", "edge", "media-worker"]) {
      expect(privateKeyVars(processEnv(name, shared, keys)).filter((k) => k.startsWith("AUTH_PRIVATE_KEY"))).toEqual([]);
    }
  });

  it("give the service private key to the encoding worker alone", () => {
    expect(privateKeyVars(processEnv("media-worker", shared, keys))).toEqual(["SERVICE_TOKEN_PRIVATE_KEY_FILE"]);
    expect(processEnv("media-worker", shared, keys).SERVICE_TOKEN_PRIVATE_KEY_FILE).toBe("/vault/service.pem");
    expect(privateKeyVars(processEnv("media", shared, keys))).toEqual([]);
  });

  it("give every process both public keys, the development ones unless the operator named others", () => {
    for (const name of ["identity", "catalog", "edge", "media-worker"]) {
      expect(processEnv(name, { LOG_LEVEL: "info" }, keys)).toMatchObject({ AUTH_PUBLIC_KEY_FILE: keys.identityPublic, SERVICE_TOKEN_PUBLIC_KEY_FILE: keys.servicePublic, LOG_LEVEL: "info" });
    }
    expect(processEnv("catalog", { AUTH_PUBLIC_KEY_FILE: "/vault/pub.pem" }, keys).AUTH_PUBLIC_KEY_FILE).toBe("/vault/pub.pem");
    expect(processEnv("identity", {}, keys).AUTH_PRIVATE_KEY_FILE).toBe(keys.identityPrivate);
  });
});
