import type { DescMessage, DescMethodUnary, MessageInitShape } from "@bufbuild/protobuf";
import type { Transport, UnaryResponse } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { callUnary, type UnaryCallOptions } from "./grpc-unary-call.js";
import { traceContextInterceptor, tracedUnaryCall } from "../telemetry/client-spans.js";
import { tracingOn } from "../telemetry/tracer.js";
import { H2SessionPool } from "./h2-session-pool.js";
import { waitForReady } from "./wait-for-ready.js";

export interface GrpcUnaryTransportOptions {
  /** `http://host:port` of the upstream (h2c, prior knowledge). */
  baseUrl: string;
  /** h2c sessions to the upstream; calls are spread over them round robin. */
  sessions?: number;
  /** Largest response message accepted. */
  readMaxBytes?: number;
}

export interface TransportCallOptions extends UnaryCallOptions {
  /**
   * With a deadline, a call that finds the upstream not listening waits for it until the deadline
   * (gRPC's wait-for-ready; the default). False fails at once, as a probe wants.
   */
  waitForReady?: boolean;
}

/** A connect `Transport`, plus unary calls with the options connect's interface has no room for. */
export interface GrpcUnaryTransport extends Transport {
  call<I extends DescMessage, O extends DescMessage>(method: DescMethodUnary<I, O>, input: MessageInitShape<I>, options: TransportCallOptions): Promise<UnaryResponse<I, O>>;
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
 * A call with a deadline waits for an upstream that is not listening yet (see waitForReady); a
 * call without one fails UNAVAILABLE at once, since it could wait forever. With tracing on, each
 * call is a CLIENT span and carries its `traceparent`.
 */
export function createGrpcUnaryTransport(opts: GrpcUnaryTransportOptions): GrpcUnaryTransport {
  const base = new URL(opts.baseUrl);
  const prefix = base.pathname.replace(/\/$/, "");
  const pool = new H2SessionPool(base.origin, opts.sessions ?? 1);
  const readMaxBytes = opts.readMaxBytes ?? 0xffffffff;
  let streaming: Transport | undefined;
  const untraced: GrpcUnaryTransport["call"] = (method, input, options) => {
    const path = `${prefix}/${method.parent.typeName}/${method.name}`;
    const { timeoutMs } = options;
    if (timeoutMs === undefined || options.waitForReady === false) return callUnary(pool, path, method, input, options, readMaxBytes);
    // The first attempt takes the caller's options as they are: the common case allocates nothing more.
    const attempt = (left: number) => callUnary(pool, path, method, input, left === timeoutMs ? options : { ...options, timeoutMs: left }, readMaxBytes);
    return waitForReady(attempt, timeoutMs, options, base.origin);
  };
  const call: GrpcUnaryTransport["call"] = (method, input, options) =>
    tracingOn() ? tracedUnaryCall(method, options.header, (header) => untraced(method, input, { ...options, header })) : untraced(method, input, options);
  return {
    call,
    unary(method, signal, timeoutMs, header, input) {
      // As in connect's transports, a timeout of zero or less means none.
      return call(method, input, { signal, timeoutMs: timeoutMs !== undefined && timeoutMs > 0 ? timeoutMs : undefined, header });
    },
    stream(method, signal, timeoutMs, header, input, contextValues) {
      streaming ??= createGrpcTransport({ baseUrl: opts.baseUrl, interceptors: [traceContextInterceptor()] });
      return streaming.stream(method, signal, timeoutMs, header, input, contextValues);
    },
    close() {
      pool.close();
    },
  };
}
