import { BrowseService } from "../../gen/cinemesh/browse/v1/browse_pb.js";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { notBuiltYet, serviceRoutes } from "../../platform/rpc/service-routes.js";

/**
 * The browse service: the pages a member browses, assembled from the other services. Category pages
 * come from the catalog, which applies the caller's profile maturity cap (the profile-id metadata
 * travels with the call). The home page (GetHome) is not built yet and says so (UNIMPLEMENTED).
 */
export const browseService: ServiceDefinition = {
  name: "browse",
  services: [BrowseService],
  setup: async ({ upstreams }) => {
    const catalog = upstreams.client(CatalogService);
    return {
      routes: serviceRoutes(BrowseService, {
        getHome: () => notBuiltYet("GetHome"),
        async getCategoryPage(req) {
          const page = await catalog.listByCategory({ category: req.category, page: req.page, limit: req.limit, sortBy: req.sortBy });
          return { content: page.content, totalCount: page.totalCount, category: req.category };
        },
      }),
    };
  },
};
