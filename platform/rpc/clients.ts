import type { DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import { serviceAddress, serviceOfPackage, type ServiceName } from "../services.js";
import { callScope } from "./call-scope.js";
import { createGrpcUnaryTransport } from "./grpc-unary-transport.js";
import { PROFILE_ID_HEADER } from "./context.js";

type Env = Record<string, string | undefined>;

/**
 * Typed clients for the services a process calls: one gRPC (h2c) transport per upstream, its address
 * from `<NAME>_ADDR` or the default port. Calls made inside a handler inherit the incoming call's
 * deadline, bearer token, profile and request id.
 */
export class Upstreams {
  private readonly transports = new Map<ServiceName, Transport>();

  constructor(private readonly env: Env = {}) {}

  client<T extends DescService>(service: T): Client<T> {
    const name = serviceOfPackage(service.typeName.split(".").slice(0, -1).join("."));
    if (name === undefined) throw new Error(`${service.typeName} is not a Cinemesh service`);
    return createClient(service, this.transport(name));
  }

  transport(name: ServiceName): Transport {
    let t = this.transports.get(name);
    if (t === undefined) {
      t = propagating(createGrpcUnaryTransport({ baseUrl: serviceAddress(name, this.env) }));
      this.transports.set(name, t);
    }
    return t;
  }
}

/** Wraps a transport so each call carries what the current call scope holds. */
export function propagating(inner: Transport): Transport {
  const prepare = (timeoutMs: number | undefined, header: ConstructorParameters<typeof Headers>[0]) => {
    const scope = callScope.getStore();
    if (scope === undefined) return { timeoutMs, header };
    const h = new Headers(header);
    h.set("x-request-id", scope.requestId);
    if (scope.authorization !== undefined && !h.has("authorization")) h.set("authorization", scope.authorization);
    if (scope.profileId !== undefined && !h.has(PROFILE_ID_HEADER)) h.set(PROFILE_ID_HEADER, scope.profileId);
    if (scope.deadline !== undefined) {
      const remaining = scope.deadline - Date.now();
      if (remaining <= 0) throw new ConnectError("deadline exceeded before the upstream call", Code.DeadlineExceeded);
      timeoutMs = timeoutMs === undefined ? remaining : Math.min(timeoutMs, remaining);
    }
    return { timeoutMs, header: h };
  };
  return {
    unary(method, signal, timeoutMs, header, input, contextValues) {
      const p = prepare(timeoutMs, header);
      return inner.unary(method, signal, p.timeoutMs, p.header, input, contextValues);
    },
    stream(method, signal, timeoutMs, header, input, contextValues) {
      const p = prepare(timeoutMs, header);
      return inner.stream(method, signal, p.timeoutMs, p.header, input, contextValues);
    },
  };
}
