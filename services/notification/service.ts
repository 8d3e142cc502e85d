import { VideoEncodedSchema, VideoEncodingFailedSchema } from "../../gen/cinemesh/events/v1/media_events_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { NotificationService } from "../../gen/cinemesh/notification/v1/notification_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { serviceRoutes } from "../../platform/rpc/service-routes.js";
import { videoEncodedNotification, videoEncodingFailedNotification } from "./encoding-events.js";
import { notificationHandlers } from "./handlers.js";
import { LiveFeed } from "./live-feed.js";
import { createNotification, type NotificationDeps } from "./notifications.js";
import { createPostgresNotificationStore } from "./store-postgres.js";

export const NOTIFICATION_SCHEMA = "notification";

/**
 * The notification service: per-profile notifications in Postgres (schema `notification`), a live
 * stream of new ones fed across replicas by the bus's live messages, and notifications for the
 * media service's encoding results.
 */
export const notificationService: ServiceDefinition = {
  name: "notification",
  services: [NotificationService],
  async setup({ resources, upstreams, logger }) {
    const pool = await resources.postgres(NOTIFICATION_SCHEMA, new URL("./migrations/", import.meta.url));
    const deps: NotificationDeps = {
      store: createPostgresNotificationStore(pool, NOTIFICATION_SCHEMA),
      feed: new LiveFeed(await resources.bus()),
      logger,
    };
    const encoded = await resources.events.subscribe("notification-video-encoded", VideoEncodedSchema, async (event) => {
      await createNotification(deps, videoEncodedNotification(event));
    });
    resources.onClose(() => encoded.stop());
    const failed = await resources.events.subscribe("notification-video-encoding-failed", VideoEncodingFailedSchema, async (event) => {
      await createNotification(deps, videoEncodingFailedNotification(event));
    });
    resources.onClose(() => failed.stop());
    const handlers = notificationHandlers({ ...deps, identity: upstreams.client(IdentityService) });
    return { routes: serviceRoutes(NotificationService, handlers) };
  },
};
