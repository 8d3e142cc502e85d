import { createMethodImplSpec, createServiceImplSpec, type ConnectRouter, type MethodImplSpec } from "@connectrpc/connect";

/** A unary method's implementation, as connect's router holds it. */
export type UnaryImplSpec = Extract<MethodImplSpec, { kind: "unary" }>;

/**
 * Wraps a router so that, besides registering handlers as usual, it records the unary methods'
 * implementations by request path (`/pkg.Service/Method`): the methods the gRPC fast path may
 * serve itself. Methods registered with options of their own (interceptors, limits) stay with
 * connect's handlers only, which apply those options.
 */
export function recordUnaryMethods(router: ConnectRouter, into: Map<string, UnaryImplSpec>): ConnectRouter {
  const record = (spec: MethodImplSpec) => {
    if (spec.kind === "unary") into.set(`/${spec.method.parent.typeName}/${spec.method.name}`, spec);
  };
  const recording: ConnectRouter = {
    get handlers() {
      return router.handlers;
    },
    service(service, implementation, options) {
      router.service(service, implementation, options);
      if (options === undefined) Object.values(createServiceImplSpec(service, implementation).methods).forEach(record);
      return recording;
    },
    rpc(method, impl, options) {
      router.rpc(method, impl, options);
      if (options === undefined) record(createMethodImplSpec(method, impl));
      return recording;
    },
  };
  return recording;
}
