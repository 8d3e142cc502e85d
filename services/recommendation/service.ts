import { ViewCountedSchema } from "../../gen/cinemesh/events/v1/analytics_events_pb.js";
import { ContentPublishedSchema, ContentRemovedSchema, ContentUpdatedSchema } from "../../gen/cinemesh/events/v1/catalog_events_pb.js";
import { MyListItemAddedSchema, MyListItemRemovedSchema, ProgressRecordedSchema, TitleCompletedSchema } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import { ContentRatedSchema } from "../../gen/cinemesh/events/v1/rating_events_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { RecommendationService } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { cachedProfileCheck } from "../../platform/rpc/profile-access.js";
import { serviceRoutes } from "../../platform/rpc/service-routes.js";
import { catalogEventHandlers } from "./catalog-events.js";
import { readRecommendationConfig } from "./config.js";
import { recommendationHandlers } from "./handlers.js";
import { PROGRESS_REFRESH_MS, Recommender } from "./recommender.js";
import { onContentRated, onMyList, onProgressRecorded, onTitleCompleted, onViewCounted } from "./signal-events.js";
import { createPostgresSignalStore } from "./store-postgres.js";

export const SCHEMA = "recommendation";

/** Events each consumer applies at once: every write is idempotent and order-safe. */
const WRITERS = { concurrency: 8 };

/**
 * The recommendation service. Durable consumers keep the signals (library's progress, completions
 * and My List, rating's stars, analytics' views) and a copy of the catalog in Postgres, schema
 * `recommendation`; the model (ranking/) is rebuilt from them periodically and on RebuildModel,
 * and each profile's lists are precomputed into kv and recomputed on its new signals.
 */
export const recommendationService: ServiceDefinition = {
  name: "recommendation",
  services: [RecommendationService],
  async setup({ env, logger, resources, upstreams }) {
    const config = readRecommendationConfig(env);
    const pool = await resources.postgres(SCHEMA, new URL("./migrations/", import.meta.url));
    const store = createPostgresSignalStore(pool, SCHEMA);
    const kv = await resources.kv();
    const recommender = new Recommender({ store, kv, kvPrefix: config.kvPrefix, logger });
    await recommender.rebuild();
    recommender.every(config.rebuildIntervalMs);
    resources.onClose(async () => recommender.stop());

    const taste = (profileId: string) => recommender.tasteChanged(profileId);
    const catalog = catalogEventHandlers(store, (contentId) => recommender.titleChanged(contentId));
    const consumers = await Promise.all([
      resources.events.subscribe("recommendation-progress", ProgressRecordedSchema, onProgressRecorded(store, (id) => recommender.tasteChanged(id, PROGRESS_REFRESH_MS)), WRITERS),
      resources.events.subscribe("recommendation-completions", TitleCompletedSchema, onTitleCompleted(store, taste), WRITERS),
      resources.events.subscribe("recommendation-ratings", ContentRatedSchema, onContentRated(store, taste), WRITERS),
      resources.events.subscribe("recommendation-my-list-added", MyListItemAddedSchema, onMyList(store, true, taste), WRITERS),
      resources.events.subscribe("recommendation-my-list-removed", MyListItemRemovedSchema, onMyList(store, false, taste), WRITERS),
      resources.events.subscribe("recommendation-views", ViewCountedSchema, onViewCounted(store), WRITERS),
      resources.events.subscribe("recommendation-published", ContentPublishedSchema, catalog.published, WRITERS),
      resources.events.subscribe("recommendation-updated", ContentUpdatedSchema, catalog.updated, WRITERS),
      resources.events.subscribe("recommendation-removed", ContentRemovedSchema, catalog.removed, WRITERS),
    ]);
    resources.onClose(async () => void (await Promise.all(consumers.map((c) => c.stop()))));

    const profiles = cachedProfileCheck({ identity: upstreams.client(IdentityService), kv, keyPrefix: config.kvPrefix });
    return { routes: serviceRoutes(RecommendationService, recommendationHandlers({ recommender, store, profiles })) };
  },
};
