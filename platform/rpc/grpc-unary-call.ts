import http2 from "node:http2";
// protobuf-es's string encoding, tuned for Node (see the module): requests are encoded here.
import "./text-encoding.js";
import { create, fromBinary, isMessage, toBinary, type DescMessage, type DescMethodUnary, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type UnaryResponse } from "@connectrpc/connect";
import { encodeEnvelope } from "./grpc-envelope.js";
import { GrpcUnaryResponse, readUnaryResponse, type ResponseHead } from "./grpc-unary-response.js";
import { connectErrorFromStreamFailure } from "./h2-errors.js";
import type { H2SessionPool } from "./h2-session-pool.js";

type HeadersInit = ConstructorParameters<typeof Headers>[0];

/** Something that emits "close" once, such as the response to the client a call is made for. */
export interface Closable {
  once(event: "close", listener: () => void): unknown;
  off(event: "close", listener: () => void): unknown;
}

export interface UnaryCallOptions {
  signal?: AbortSignal;
  /** The call's deadline: enforced here and sent as `grpc-timeout`. */
  timeoutMs?: number;
  header?: HeadersInit;
  /**
   * Cancels the call when this closes first. It does what an AbortSignal tied to the closing would
   * do, for an EventEmitter listener: making an AbortController and listening to its signal costs
   * microseconds per call in Node 20, more than the rest of the client's own work.
   */
  cancelOnClose?: Closable;
}

const USER_AGENT = "cinemesh-grpc-unary/1";
const RESERVED = new Set([":method", ":path", ":scheme", ":authority", "content-type", "te", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding"]);

/**
 * One unary gRPC call on an HTTP/2 stream, driven by the stream's events: the request message
 * framed and sent with END_STREAM, the response headers, message and trailers collected, and the
 * outcome settled once, by whichever comes first of the stream closing, the deadline, the signal or
 * the caller going away. An abandoned call resets its stream (CANCEL), so the upstream stops too.
 */
export function callUnary<I extends DescMessage, O extends DescMessage>(
  pool: H2SessionPool,
  path: string,
  method: DescMethodUnary<I, O>,
  input: MessageInitShape<I>,
  options: UnaryCallOptions,
  readMaxBytes: number,
): Promise<UnaryResponse<I, O>> {
  const { signal, timeoutMs, cancelOnClose } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(ConnectError.from(signal.reason, Code.Canceled));
    let body: Buffer;
    let stream: http2.ClientHttp2Stream;
    try {
      body = encodeEnvelope(toBinary(method.input, isMessage(input, method.input) ? input : create(method.input, input)));
      stream = pool.request(requestHeaders(path, timeoutMs, options.header));
    } catch (err) {
      return reject(connectErrorFromStreamFailure(err, undefined));
    }
    let head: ResponseHead | undefined;
    let trailers: http2.IncomingHttpHeaders | undefined;
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (err: ConnectError | undefined, res?: UnaryResponse<I, O>) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      cancelOnClose?.off("close", onGone);
      if (err === undefined) return resolve(res!);
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
      reject(err);
    };
    const onAbort = () => settle(ConnectError.from(signal!.reason, Code.Canceled));
    const onGone = () => settle(new ConnectError("the caller went away", Code.Canceled));
    signal?.addEventListener("abort", onAbort);
    cancelOnClose?.once("close", onGone);
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => settle(new ConnectError("the operation timed out", Code.DeadlineExceeded)), timeoutMs);
    stream.on("response", (h) => (head = h));
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("trailers", (t) => (trailers = t));
    stream.on("error", (err) => settle(connectErrorFromStreamFailure(err, stream.rstCode)));
    stream.on("close", () => {
      if (settled) return;
      if (head === undefined) return settle(connectErrorFromStreamFailure(new Error("stream closed before the response"), stream.rstCode));
      try {
        const message = fromBinary(method.output, readUnaryResponse(head, trailers ?? {}, chunks, readMaxBytes));
        settle(undefined, new GrpcUnaryResponse(method, head, message, trailers ?? {}));
      } catch (err) {
        settle(ConnectError.from(err, Code.Internal));
      }
    });
    stream.end(body);
  });
}

function requestHeaders(path: string, timeoutMs: number | undefined, header: HeadersInit | undefined): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = { "user-agent": USER_AGENT };
  if (header !== undefined) {
    const add = (value: string | readonly string[], key: string) => {
      const k = key.toLowerCase();
      if (!RESERVED.has(k)) out[k] = typeof value === "string" ? value : value.join(", ");
    };
    if (header instanceof Headers) header.forEach(add);
    else if (Array.isArray(header)) for (const [k, v] of header) add(v, k);
    else for (const k of Object.keys(header)) add(header[k], k);
  }
  out[":method"] = "POST";
  out[":path"] = path;
  out["content-type"] = "application/grpc+proto";
  out.te = "trailers";
  if (timeoutMs !== undefined) out["grpc-timeout"] = grpcTimeout(timeoutMs);
  return out;
}

/** `grpc-timeout` allows at most 8 digits: milliseconds while they fit, else coarser units. */
function grpcTimeout(ms: number): string {
  const m = Math.ceil(ms);
  if (m < 1e8) return `${m}m`;
  const s = Math.ceil(m / 1000);
  return s < 1e8 ? `${s}S` : `${Math.min(Math.ceil(s / 3600), 99_999_999)}H`;
}
