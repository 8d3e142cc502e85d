import http2 from "node:http2";
// protobuf-es's string encoding, tuned for Node (see the module): the handlers' answers are encoded here.
import "../rpc/text-encoding.js";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor, type UnaryRequest, type UnaryResponse } from "@connectrpc/connect";
import {
  compressionNegotiate,
  createMethodSerializationLookup,
  envelopeCompress,
  validateUniversalHandlerOptions,
  type UniversalHandlerOptions,
} from "@connectrpc/connect/protocol";
import { headerAcceptEncoding, parseTimeout, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { decodeEnvelopes, encodeEnvelope } from "../rpc/grpc-envelope.js";
import { asServerDecodeError } from "./decode-errors.js";
import { connectErrorFromRstCode } from "../rpc/h2-errors.js";
import { addNodeHeaders, webHeaders } from "../rpc/h2-headers.js";
import type { InFlightCalls } from "./in-flight.js";
import type { H2StreamHandler } from "./listener.js";
import { UnaryCall } from "./unary-call.js";
import type { UnaryImplSpec } from "./unary-methods.js";

const { NGHTTP2_INTERNAL_ERROR, NGHTTP2_NO_ERROR } = http2.constants;
/** The gRPC message prefix: a flags byte and a 4-byte big-endian length. */
const PREFIX = 5;

export interface GrpcUnaryFastPathOptions {
  /** The unary methods to serve, by request path. */
  methods: ReadonlyMap<string, UnaryImplSpec>;
  /** The options connect's handlers are built from: interceptors, limits, compression, timeouts. */
  handlerOptions: Partial<UniversalHandlerOptions>;
  calls: InFlightCalls;
}

/** One method, ready to serve: its implementation and its binary (de)serializers with the limits applied. */
interface Method {
  spec: UnaryImplSpec;
  parse: (data: Uint8Array) => unknown;
  serialize: (message: never) => Uint8Array;
}

/**
 * Unary gRPC over HTTP/2 (the mesh's own traffic: binary protobuf, uncompressed request) served
 * straight from the HTTP/2 stream, through the same interceptors and handlers as connect's gRPC
 * handler, with the same wire behaviour: status, message and details in trailers, `grpc-timeout`,
 * response compression when the client accepts it, read/write limits. Connect's handler runs every
 * call through a pipeline of async iterables, Headers copies and AbortSignals that costs several
 * times the call itself; a unary call needs none of it. Every other request (Connect, gRPC-web,
 * streams, JSON, compressed requests) is declined and goes to connect.
 */
export function createGrpcUnaryFastPath(opts: GrpcUnaryFastPathOptions): H2StreamHandler {
  const handlerOptions = validateUniversalHandlerOptions(opts.handlerOptions);
  const methods = new Map<string, Method>();
  for (const [path, spec] of opts.methods) {
    const serialization = createMethodSerializationLookup(spec.method, handlerOptions.binaryOptions, handlerOptions.jsonOptions, handlerOptions);
    const input = serialization.getI(true);
    const output = serialization.getO(true);
    methods.set(path, { spec, parse: (data) => parseRequest(input, data), serialize: (message) => output.serialize(message) });
  }
  const readMaxBytes = handlerOptions.readMaxBytes;
  const serve = createServe(handlerOptions, opts.calls);
  return (stream, headers) => {
    if (headers[":method"] !== "POST") return false;
    const method = methods.get(headers[":path"] ?? "");
    if (method === undefined) return false;
    const type = headers["content-type"];
    if (type !== "application/grpc" && type !== "application/grpc+proto") return false;
    const encoding = headers["grpc-encoding"];
    if (encoding !== undefined && encoding !== "identity") return false;
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      // One message and its prefix at most; the prefix says how long the message will be.
      const promised = received >= PREFIX ? promisedLength(chunks) : 0;
      if (promised <= readMaxBytes && received <= readMaxBytes + PREFIX) return;
      stream.off("data", onData);
      stream.off("end", onEnd);
      chunks.length = 0;
      refuse(stream, new ConnectError(`request message of ${Math.max(promised, received - PREFIX)} bytes or more is larger than the limit of ${readMaxBytes} bytes`, Code.ResourceExhausted));
    };
    const onEnd = () => {
      // serve() answers every failure of the call itself; this is for a failure to answer at all.
      serve(stream, headers, method, chunks).catch(() => stream.close(NGHTTP2_INTERNAL_ERROR));
    };
    stream.on("data", onData);
    stream.once("end", onEnd);
    return true;
  };
}

function createServe(options: ReturnType<typeof validateUniversalHandlerOptions>, calls: InFlightCalls) {
  const interceptors: Interceptor[] = options.interceptors;

  return async function serve(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, method: Method, chunks: Buffer[]): Promise<void> {
    const timeout = parseTimeout(headerOf(headers, "grpc-timeout"), options.maxTimeoutMs);
    const deadline = timeout.timeoutMs === undefined ? undefined : Date.now() + timeout.timeoutMs;
    const call = new UnaryCall(method.spec.method, webHeaders(headers), `http://${headers[":authority"] ?? ""}${headers[":path"]}`, deadline);
    const leave = calls.enter((reason) => call.abort(reason), true);
    // A client that resets the stream (cancel, its own deadline) cancels the call.
    const onClose = () => call.abort(connectErrorFromRstCode(stream.rstCode) ?? new ConnectError("the client closed the stream", Code.Canceled));
    stream.once("close", onClose);
    const compression = compressionNegotiate(options.acceptCompression, null, headerOf(headers, "grpc-accept-encoding"), headerAcceptEncoding);
    try {
      if (timeout.error) throw timeout.error;
      const req = call.request(parseInput(chunks, method, options.readMaxBytes) as never);
      const res = await invoke(method.spec, call, interceptors, req);
      let envelope = { flags: 0, data: method.serialize(res.message as never) };
      if (compression.response) envelope = await envelopeCompress(envelope, compression.response, options.compressMinBytes);
      respond(stream, call, compression.response?.name, encodeEnvelope(envelope.data, envelope.flags === 1), undefined);
    } catch (err) {
      const error = err instanceof ConnectError ? err : new ConnectError("internal error", Code.Internal, undefined, undefined, err);
      respond(stream, call, compression.response?.name, undefined, error);
    } finally {
      stream.off("close", onClose);
      call.end();
      leave();
    }
  };
}

/** The length the first message's prefix promises. */
function promisedLength(chunks: Buffer[]): number {
  const head = chunks[0].length >= PREFIX ? chunks[0] : Buffer.concat(chunks);
  return head.readUInt32BE(1);
}

/**
 * Answers a request too large to read with its status alone (trailers-only), then resets the
 * stream with NO_ERROR, which tells the client to stop sending the rest of the body (RFC 9113
 * §8.1) and frees what the server would otherwise keep receiving.
 */
function refuse(stream: http2.ServerHttp2Stream, error: ConnectError): void {
  if (stream.destroyed || stream.closed) return;
  const head: http2.OutgoingHttpHeaders = { ":status": 200, "content-type": "application/grpc+proto" };
  addNodeHeaders(head, setTrailerStatus(new Headers(), error));
  stream.respond(head, { endStream: true });
  stream.close(NGHTTP2_NO_ERROR);
}

/** A request message that does not decode is the caller's error, INVALID_ARGUMENT, not connect's INTERNAL. */
function parseRequest(input: { parse: (data: Uint8Array) => unknown }, data: Uint8Array): unknown {
  try {
    return input.parse(data);
  } catch (err) {
    throw err instanceof ConnectError ? asServerDecodeError(err) : err;
  }
}

/** The one request message, as connect's gRPC handler reads it (same errors for none, two, or compressed). */
function parseInput(chunks: Buffer[], method: Method, readMaxBytes: number): unknown {
  const envelopes = decodeEnvelopes(chunks, readMaxBytes);
  if (envelopes.length === 0) throw new ConnectError("protocol error: missing input message for unary method", Code.Unimplemented);
  if (envelopes.length > 1) throw new ConnectError("protocol error: received extra input message for unary method", Code.Unimplemented);
  if (envelopes[0].compressed) throw new ConnectError("received compressed envelope, but do not know how to decompress", Code.Internal);
  return method.parse(envelopes[0].data);
}

/**
 * The interceptors, then the handler, composed as connect's `invokeUnaryImplementation` composes
 * them. That function itself is not used because it reads the context's signal for every call,
 * which would make the AbortSignal that UnaryCall only makes on demand.
 */
async function invoke(spec: UnaryImplSpec, call: UnaryCall, interceptors: Interceptor[], req: UnaryRequest): Promise<UnaryResponse> {
  const handler = async (r: UnaryRequest): Promise<UnaryResponse> => ({
    stream: false,
    service: spec.method.parent,
    method: spec.method,
    header: call.responseHeader,
    trailer: call.responseTrailer,
    message: create(spec.method.output, await spec.impl(r.message as never, call.handlerContext(r))),
  });
  let next = handler;
  for (let i = interceptors.length - 1; i >= 0; i--) next = interceptors[i](next as never) as typeof handler;
  const res = await next(req);
  // An interceptor may answer with headers of its own; they join the call's, as in connect.
  if (res.header !== call.responseHeader) res.header.forEach((v, k) => call.responseHeader.set(k, v));
  if (res.trailer !== call.responseTrailer) res.trailer.forEach((v, k) => call.responseTrailer.set(k, v));
  return res;
}

/** Headers, the message (if any), then trailers with the status: the shape of every gRPC response. */
function respond(stream: http2.ServerHttp2Stream, call: UnaryCall, encoding: string | undefined, body: Buffer | undefined, error: ConnectError | undefined): void {
  if (stream.destroyed || stream.closed) return;
  const head: http2.OutgoingHttpHeaders = { ":status": 200, "content-type": "application/grpc+proto" };
  addNodeHeaders(head, call.responseHeader);
  if (encoding !== undefined) head["grpc-encoding"] = encoding;
  const trailers = addNodeHeaders({}, error === undefined ? call.responseTrailer : setTrailerStatus(call.responseTrailer, error));
  if (error === undefined) trailers["grpc-status"] = "0";
  stream.respond(head, { waitForTrailers: true });
  stream.once("wantTrailers", () => stream.sendTrailers(trailers));
  stream.end(body);
}

function headerOf(headers: http2.IncomingHttpHeaders, name: string): string | null {
  const v = headers[name];
  return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
}
