import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";

/** The identity service. Its RPCs are not implemented yet: every one answers UNIMPLEMENTED. */
export const identityService: ServiceDefinition = {
  name: "identity",
  services: [IdentityService],
  setup: async () => ({ routes: (router) => router.service(IdentityService, {}) }),
};
