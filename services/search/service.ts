import { SearchService } from "../../gen/cinemesh/search/v1/search_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";

/** The search service. Its RPCs are not implemented yet: every one answers UNIMPLEMENTED. */
export const searchService: ServiceDefinition = {
  name: "search",
  services: [SearchService],
  setup: async () => ({ routes: (router) => router.service(SearchService, {}) }),
};
