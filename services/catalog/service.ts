import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";

/** The catalog service. Its RPCs are not implemented yet: every one answers UNIMPLEMENTED. */
export const catalogService: ServiceDefinition = {
  name: "catalog",
  services: [CatalogService],
  setup: async () => ({ routes: (router) => router.service(CatalogService, {}) }),
};
