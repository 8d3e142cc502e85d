import { getOption, hasOption, type DescMethod, type DescService } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { expose_at_edge } from "../gen/cinemesh/api/v1/options_pb.js";
import { http } from "../gen/google/api/annotations_pb.js";

/**
 * The edge's allow-list, read from the contracts: an RPC is public when it has a REST route
 * (`google.api.http`) or `option (cinemesh.api.v1.expose_at_edge) = true`. Everything else is
 * internal (services call it on each other's ports), so a new RPC stays off the public door until
 * its contract says otherwise.
 */
export function isPublicRpc(method: DescMethod): boolean {
  return hasOption(method, http) || getOption(method, expose_at_edge);
}

/** `/<package>.<Service>/<Method>` of every public RPC: the paths the edge forwards. */
export function publicRpcPaths(services: DescService[]): Set<string> {
  return new Set(services.flatMap((s) => s.methods.filter(isPublicRpc).map((m) => `/${s.typeName}/${m.name}`)));
}

/**
 * Answers every internal RPC with NOT_FOUND, in whichever protocol it was called (Connect, gRPC-web,
 * gRPC). NOT_FOUND rather than PERMISSION_DENIED: no credential opens these at the edge, and the
 * answer should not suggest that another one would; it is also what REST says (404) for a path
 * that has no route.
 */
export function refuseInternalRpcs(router: ConnectRouter, services: DescService[]): void {
  for (const service of services) {
    for (const method of service.methods) {
      if (isPublicRpc(method)) continue;
      const refusal = () => new ConnectError(`${service.typeName}/${method.name} is not served at the public edge`, Code.NotFound);
      const unaryResult = method.methodKind === "unary" || method.methodKind === "client_streaming";
      router.rpc(
        method as never,
        (unaryResult
          ? async () => {
              throw refusal();
            }
          : async function* () {
              throw refusal();
            }) as never,
      );
    }
  }
}
