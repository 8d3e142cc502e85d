import { NotificationService } from "../../gen/cinemesh/notification/v1/notification_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";

/** The notification service. Its RPCs are not implemented yet: every one answers UNIMPLEMENTED. */
export const notificationService: ServiceDefinition = {
  name: "notification",
  services: [NotificationService],
  setup: async () => ({ routes: (router) => router.service(NotificationService, {}) }),
};
