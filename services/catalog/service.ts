import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
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
    const cache = new CatalogCache({ kv: await resources.kv(), ttlMs: config.cacheTtlMs, namespace: config.cacheNamespace, log: logger });
    const handlers = catalogHandlers({ store, cache, identity: upstreams.client(IdentityService) });
    return { routes: serviceRoutes(CatalogService, handlers) };
  },
};
