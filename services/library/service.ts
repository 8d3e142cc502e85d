import { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";

/** The library service. Its RPCs are not implemented yet: every one answers UNIMPLEMENTED. */
export const libraryService: ServiceDefinition = {
  name: "library",
  services: [LibraryService],
  setup: async () => ({ routes: (router) => router.service(LibraryService, {}) }),
};
