import { RatingService } from "../../gen/cinemesh/rating/v1/rating_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";

/** The rating service. Its RPCs are not implemented yet: every one answers UNIMPLEMENTED. */
export const ratingService: ServiceDefinition = {
  name: "rating",
  services: [RatingService],
  setup: async () => ({ routes: (router) => router.service(RatingService, {}) }),
};
