import type { DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, type ServiceImpl } from "@connectrpc/connect";

/**
 * The routes of one gRPC service with its complete implementation. connect's router accepts a
 * partial one, and a method left out silently answers UNIMPLEMENTED; here the compiler refuses it.
 * An RPC that is not built yet says so in its own handler (notBuiltYet).
 */
export function serviceRoutes<S extends DescService>(service: S, impl: ServiceImpl<S>): (router: ConnectRouter) => void {
  return (router) => {
    router.service(service, impl);
  };
}

/** The honest answer of an RPC whose contract exists but whose implementation does not yet. */
export function notBuiltYet(rpc: string): never {
  throw new ConnectError(`${rpc} is not built yet`, Code.Unimplemented);
}
