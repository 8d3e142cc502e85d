import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import { PlaybackService } from "../../gen/cinemesh/playback/v1/playback_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { readPlaybackConfig } from "./config.js";
import { playbackHandlers } from "./handlers.js";

/**
 * The playback service: entitlement (profile, subscription, maturity, encoded video) and the
 * session's signed, plan-capped media URLs, served by the edge's media origin. Stateless: its
 * only secret is the media signing key it shares with the edge.
 */
export const playbackService: ServiceDefinition = {
  name: "playback",
  services: [PlaybackService],
  async setup({ env, logger, resources, upstreams }) {
    const handlers = playbackHandlers({
      config: readPlaybackConfig(env),
      identity: upstreams.client(IdentityService),
      catalog: upstreams.client(CatalogService),
      library: upstreams.client(LibraryService),
      events: resources.events,
      logger,
    });
    return { routes: (router) => router.service(PlaybackService, handlers) };
  },
};
