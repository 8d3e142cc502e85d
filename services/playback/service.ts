import { PlaybackService } from "../../gen/cinemesh/playback/v1/playback_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";

/** The playback service. Its RPCs are not implemented yet: every one answers UNIMPLEMENTED. */
export const playbackService: ServiceDefinition = {
  name: "playback",
  services: [PlaybackService],
  setup: async () => ({ routes: (router) => router.service(PlaybackService, {}) }),
};
