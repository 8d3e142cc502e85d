import { AnalyticsService } from "../../gen/cinemesh/analytics/v1/analytics_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";

/** The analytics service. Its RPCs are not implemented yet: every one answers UNIMPLEMENTED. */
export const analyticsService: ServiceDefinition = {
  name: "analytics",
  services: [AnalyticsService],
  setup: async () => ({ routes: (router) => router.service(AnalyticsService, {}) }),
};
