import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { cachedProfileCheck } from "../../platform/rpc/profile-access.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { serviceRoutes } from "../../platform/rpc/service-routes.js";
import { CatalogCache } from "./cache.js";
import { readCatalogConfig } from "./config.js";
import { catalogEventWriter } from "./events.js";
import { catalogHandlers } from "./handlers.js";
import { createPostgresStore } from "./store-postgres.js";

/** The service's Postgres schema, which also holds its outbox. */
export const CATALOG_SCHEMA = "catalog";

/**
 * The catalog: titles, seasons, episodes and videos in Postgres, read through a cache (Redis, or
 * in-process when embedded), content events through the transactional outbox, profile caps
 * checked with identity.
 */
export const catalogService: ServiceDefinition = {
  name: "catalog",
  services: [CatalogService],
  async setup({ env, logger, resources, upstreams }) {
    const config = readCatalogConfig(env);
    const pool = await resources.postgres(CATALOG_SCHEMA, new URL("./migrations/", import.meta.url));
    await resources.startOutboxRelay(CATALOG_SCHEMA);
    const store = createPostgresStore({ pool, schema: CATALOG_SCHEMA, writeEvent: catalogEventWriter(resources.events, CATALOG_SCHEMA) });
    const kv = await resources.kv();
    const cache = new CatalogCache({ kv, ttlMs: config.cacheTtlMs, namespace: config.cacheNamespace, log: logger });
    // Browse and library name the viewer's profile on most reads: its check is remembered, not asked each time.
    const profiles = cachedProfileCheck({ identity: upstreams.client(IdentityService), kv, keyPrefix: `${config.cacheNamespace ? `${config.cacheNamespace}:` : ""}catalog:` });
    const handlers = catalogHandlers({ store, cache, profiles });
    return { routes: serviceRoutes(CatalogService, handlers) };
  },
};
