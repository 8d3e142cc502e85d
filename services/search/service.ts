import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { ContentPublishedSchema, ContentRemovedSchema, ContentUpdatedSchema } from "../../gen/cinemesh/events/v1/catalog_events_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { SearchService } from "../../gen/cinemesh/search/v1/search_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { cachedProfileCheck } from "../../platform/rpc/profile-access.js";
import { serviceRoutes } from "../../platform/rpc/service-routes.js";
import { catalogEventHandlers } from "./catalog-events.js";
import { readSearchConfig } from "./config.js";
import { searchHandlers } from "./handlers.js";
import { openElasticsearchSearchIndex } from "./index-elasticsearch.js";
import { openPostgresSearchIndex } from "./index-postgres.js";
import type { SearchIndex } from "./index.js";

const SCHEMA = "search";

/**
 * The search service: SearchContent and Autocomplete over an index that follows the catalog's
 * events (published, updated, removed: durable consumers, idempotent by version), and Reindex,
 * which rebuilds it from the catalog without downtime.
 *
 * The index is Elasticsearch when ELASTICSEARCH_URL is set (index-elasticsearch.ts), else tables
 * in the shared Postgres, schema `search` (index-postgres.ts); both pass one contract suite
 * (testing/index-contract.ts), and both read text by the rules of text.ts.
 */
/** Catalog events each consumer applies at once. */
const INDEX_WRITERS = 8;

export const searchService: ServiceDefinition = {
  name: "search",
  services: [SearchService],
  async setup({ env, resources, upstreams }) {
    const config = readSearchConfig(env);
    const index: SearchIndex = config.elasticsearchUrl
      ? await openElasticsearchSearchIndex({ url: config.elasticsearchUrl, indexPrefix: `${config.indexName}-` })
      : await openPostgresSearchIndex({ pool: await resources.postgres(SCHEMA), schema: SCHEMA });
    resources.onClose(() => index.close());

    const events = catalogEventHandlers(index);
    // Writes are idempotent and ordered by version (a title's writes serialised by the engine), so
    // events may be applied several at once: an import of thousands of titles keeps up.
    const writers = { concurrency: INDEX_WRITERS };
    const consumers = await Promise.all([
      resources.events.subscribe("search-published", ContentPublishedSchema, events.published, writers),
      resources.events.subscribe("search-updated", ContentUpdatedSchema, events.updated, writers),
      resources.events.subscribe("search-removed", ContentRemovedSchema, events.removed, writers),
    ]);
    // Registered after the index, so run before it closes.
    resources.onClose(async () => void (await Promise.all(consumers.map((c) => c.stop()))));

    const identity = upstreams.client(IdentityService);
    const kv = await resources.kv();
    const handlers = searchHandlers({
      index,
      catalog: upstreams.client(CatalogService),
      profiles: cachedProfileCheck({ identity, kv, keyPrefix: config.kvPrefix }),
    });
    return { routes: serviceRoutes(SearchService, handlers) };
  },
};
