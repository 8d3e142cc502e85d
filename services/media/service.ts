import { MediaService } from "../../gen/cinemesh/media/v1/media_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";

/** The media service. Its RPCs are not implemented yet: every one answers UNIMPLEMENTED. */
export const mediaService: ServiceDefinition = {
  name: "media",
  services: [MediaService],
  setup: async () => ({ routes: (router) => router.service(MediaService, {}) }),
};
