import { BrowseService } from "../../gen/cinemesh/browse/v1/browse_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";

/** The browse service. Its RPCs are not implemented yet: every one answers UNIMPLEMENTED. */
export const browseService: ServiceDefinition = {
  name: "browse",
  services: [BrowseService],
  setup: async () => ({ routes: (router) => router.service(BrowseService, {}) }),
};
