import type { DescMessage, DescMethodUnary, MessageInitShape } from "@bufbuild/protobuf";
import type { Transport, UnaryResponse } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { callUnary, type UnaryCallOptions } from "./grpc-unary-call.js";
import { H2SessionPool } from "./h2-session-pool.js";

export interface GrpcUnaryTransportOptions {
  /** `http://host:port` of the upstream (h2c, prior knowledge). */
  baseUrl: string;
  /** h2c sessions to the upstream; calls are spread over them round robin. */
  sessions?: number;
  /** Largest response message accepted. */
  readMaxBytes?: number;
}

/** A connect `Transport`, plus unary calls with the options connect's interface has no room for. */
export interface GrpcUnaryTransport extends Transport {
  call<I extends DescMessage, O extends DescMessage>(method: DescMethodUnary<I, O>, input: MessageInitShape<I>, options: UnaryCallOptions): Promise<UnaryResponse<I, O>>;
  /** Closes the connections once their calls are done. */
  close(): void;
}

/**
 * The gRPC protocol for unary calls over node:http2 sessions, with one callback per HTTP/2 event
 * and none of the generic machinery of connect's transport (async iterables, envelopes streams,
 * Headers and AbortSignals per call), which costs several times the call itself. On the wire it is
 * standard gRPC: length-prefixed binary protobuf, `grpc-timeout`, status, message and details in
 * trailers, RST_STREAM CANCEL on cancellation; errors read as connect's transport reads them.
 * Streaming calls, rare between services, go through connect's gRPC transport to the same address.
 * No compression is offered: inside the mesh, compressing costs more CPU than it saves.
 */
export function createGrpcUnaryTransport(opts: GrpcUnaryTransportOptions): GrpcUnaryTransport {
  const base = new URL(opts.baseUrl);
  const prefix = base.pathname.replace(/\/$/, "");
  const pool = new H2SessionPool(base.origin, opts.sessions ?? 1);
  const readMaxBytes = opts.readMaxBytes ?? 0xffffffff;
  let streaming: Transport | undefined;
  const call: GrpcUnaryTransport["call"] = (method, input, options) =>
    callUnary(pool, `${prefix}/${method.parent.typeName}/${method.name}`, method, input, options, readMaxBytes);
  return {
    call,
    unary(method, signal, timeoutMs, header, input) {
      // As in connect's transports, a timeout of zero or less means none.
      return call(method, input, { signal, timeoutMs: timeoutMs !== undefined && timeoutMs > 0 ? timeoutMs : undefined, header });
    },
    stream(method, signal, timeoutMs, header, input, contextValues) {
      streaming ??= createGrpcTransport({ baseUrl: opts.baseUrl });
      return streaming.stream(method, signal, timeoutMs, header, input, contextValues);
    },
    close() {
      pool.close();
    },
  };
}
