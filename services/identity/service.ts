import { randomBytes } from "node:crypto";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import type { AccountDeps } from "./accounts.js";
import { ensureBootstrapAdmin } from "./admin-bootstrap.js";
import { readIdentityConfig } from "./config.js";
import { IdentityEvents } from "./domain-events.js";
import { identityRoutes } from "./handlers.js";
import { createHashSlots } from "./hash-slots.js";
import { createLoginThrottle, createSignUpThrottle } from "./login-throttle.js";
import { hashPassword } from "./passwords.js";
import { createPostgresIdentityStore } from "./store-postgres.js";
import { createCheckedTokenSigner } from "./token-signer.js";

/** The Postgres schema identity owns (tables from ./migrations, plus the outbox). */
export const IDENTITY_SCHEMA = "identity";

/** The identity service: accounts, credentials, sessions, profiles and subscriptions. */
export const identityService: ServiceDefinition = {
  name: "identity",
  services: [IdentityService],
  async setup(rt) {
    const config = readIdentityConfig(rt.env, rt.config.dataDir);
    const signer = await createCheckedTokenSigner(config.privateKeyPem, rt.config.authPublicKeyPem);
    const pool = await rt.resources.postgres(IDENTITY_SCHEMA, new URL("./migrations/", import.meta.url));
    await rt.resources.startOutboxRelay(IDENTITY_SCHEMA);
    const kv = await rt.resources.kv();
    const throttleKeys = config.kvNamespace === "" ? "" : `${config.kvNamespace}:`;
    const deps: AccountDeps = {
      store: createPostgresIdentityStore(pool, IDENTITY_SCHEMA, rt.resources.events),
      events: new IdentityEvents(() => rt.resources.events.meta()),
      sessions: { signer, accessTokenTtlSeconds: config.accessTokenTtlSeconds, refreshTokenTtlSeconds: config.refreshTokenTtlSeconds },
      throttle: createLoginThrottle(kv, config.loginThrottle, throttleKeys),
      signUpThrottle: createSignUpThrottle(kv, config.signUpThrottle, throttleKeys),
      hashSlots: createHashSlots(config.hashConcurrency, 32 * config.hashConcurrency),
      dummyPasswordHash: await hashPassword(randomBytes(16).toString("hex")),
    };
    if (config.bootstrapAdmin !== undefined) {
      const outcome = await ensureBootstrapAdmin(deps, config.bootstrapAdmin);
      rt.logger.info({ outcome }, "bootstrap admin checked");
    }
    return { routes: identityRoutes(deps) };
  },
};
