import { RecommendationService } from "../../gen/cinemesh/recommendation/v1/recommendation_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";

/** The recommendation service. Its RPCs are not implemented yet: every one answers UNIMPLEMENTED. */
export const recommendationService: ServiceDefinition = {
  name: "recommendation",
  services: [RecommendationService],
  setup: async () => ({ routes: (router) => router.service(RecommendationService, {}) }),
};
