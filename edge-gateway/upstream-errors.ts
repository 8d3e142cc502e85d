import { Code, ConnectError } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { GrpcUnaryTransport } from "../platform/rpc/grpc-unary-transport.js";
import type { ServiceName } from "../platform/services.js";

/**
 * A transport to `service` whose failures to reach it read, to the client, "the catalog service is
 * unavailable": the transport's own text (addresses, ports, errno codes) says how the mesh is laid
 * out and is no use to a client, so it goes to the log with the request id instead. Errors the
 * service itself answered, UNAVAILABLE ones included, pass unchanged.
 */
export function withPublicTransportErrors(inner: GrpcUnaryTransport, service: ServiceName, logger: Logger): GrpcUnaryTransport {
  return {
    ...inner,
    call: (method, input, options) =>
      inner.call(method, input, options).catch((err: unknown) => {
        // An error read from the service's status has no cause; one the transport made has the failure it stands for.
        if (!(err instanceof ConnectError) || err.code !== Code.Unavailable || err.cause === undefined) throw err;
        const requestId = new Headers(options.header).get("x-request-id") ?? undefined;
        logger.warn({ requestId, service, rpc: `${method.parent.typeName}/${method.name}`, err: err.rawMessage }, "upstream unavailable");
        throw new ConnectError(`the ${service} service is unavailable`, Code.Unavailable);
      }),
  };
}
