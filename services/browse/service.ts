import { ContentRatedSchema } from "../../gen/cinemesh/events/v1/rating_events_pb.js";
import { MyListItemAddedSchema, MyListItemRemovedSchema, ProgressRecordedSchema, TitleCompletedSchema } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import { BrowseService } from "../../gen/cinemesh/browse/v1/browse_pb.js";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import { RecommendationService } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { cachedProfileCheck } from "../../platform/rpc/profile-access.js";
import { serviceRoutes } from "../../platform/rpc/service-routes.js";
import { readBrowseConfig } from "./config.js";
import { homePages } from "./home.js";
import { PageCopies } from "./page-copies.js";
import { SharedRows } from "./shared-rows.js";

/**
 * The browse service: the pages a member browses, assembled from the other services. The home page
 * (home.ts) fans out to library, recommendation and catalog with deadlines and degrades instead of
 * failing; each profile's page is kept in kv and assembled afresh after the profile's own events
 * (progress, completions, My List, ratings), which durable consumers watch. Category pages come
 * from the catalog, which applies the caller's profile maturity cap (the profile-id metadata
 * travels with the call).
 */
export const browseService: ServiceDefinition = {
  name: "browse",
  services: [BrowseService],
  setup: async ({ env, logger, resources, upstreams }) => {
    const config = readBrowseConfig(env);
    const kv = await resources.kv();
    const catalog = upstreams.client(CatalogService);
    const copies = new PageCopies(kv, config.kvPrefix, config.personalTtlMs, config.eventSettleMs);
    const getHome = homePages({
      library: upstreams.client(LibraryService),
      recommendation: upstreams.client(RecommendationService),
      catalog,
      profiles: cachedProfileCheck({ identity: upstreams.client(IdentityService), kv, keyPrefix: config.kvPrefix }),
      copies,
      shared: new SharedRows(kv, `${config.kvPrefix}shared:`, config.sharedTtlMs, logger),
      config,
      logger,
    });

    const changed = async (event: { profileId: string }) => {
      if (event.profileId !== "") await copies.changed(event.profileId);
    };
    const consumers = await Promise.all([
      resources.events.subscribe("browse-progress", ProgressRecordedSchema, changed),
      resources.events.subscribe("browse-completions", TitleCompletedSchema, changed),
      resources.events.subscribe("browse-ratings", ContentRatedSchema, changed),
      resources.events.subscribe("browse-my-list-added", MyListItemAddedSchema, changed),
      resources.events.subscribe("browse-my-list-removed", MyListItemRemovedSchema, changed),
    ]);
    resources.onClose(async () => void (await Promise.all(consumers.map((c) => c.stop()))));

    return {
      routes: serviceRoutes(BrowseService, {
        getHome,
        async getCategoryPage(req) {
          const page = await catalog.listByCategory({ category: req.category, page: req.page, limit: req.limit, sortBy: req.sortBy });
          return { content: page.content, totalCount: page.totalCount, category: req.category };
        },
      }),
    };
  },
};
