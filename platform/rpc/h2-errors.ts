import http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";

const H2 = http2.constants;

/** RST_STREAM codes as gRPC reads them (PROTOCOL-HTTP2.md, "Errors"); NO_ERROR and STREAM_CLOSED are not errors. */
const RST_CODES = new Map<number, Code>([
  [H2.NGHTTP2_PROTOCOL_ERROR, Code.Internal],
  [H2.NGHTTP2_INTERNAL_ERROR, Code.Internal],
  [H2.NGHTTP2_FLOW_CONTROL_ERROR, Code.Internal],
  [H2.NGHTTP2_SETTINGS_TIMEOUT, Code.Internal],
  [H2.NGHTTP2_FRAME_SIZE_ERROR, Code.Internal],
  [H2.NGHTTP2_COMPRESSION_ERROR, Code.Internal],
  [H2.NGHTTP2_CONNECT_ERROR, Code.Internal],
  [H2.NGHTTP2_REFUSED_STREAM, Code.Unavailable],
  [H2.NGHTTP2_CANCEL, Code.Canceled],
  [H2.NGHTTP2_ENHANCE_YOUR_CALM, Code.ResourceExhausted],
  [H2.NGHTTP2_INADEQUATE_SECURITY, Code.PermissionDenied],
  [H2.NGHTTP2_HTTP_1_1_REQUIRED, Code.PermissionDenied],
]);

/** The error a stream reset by the peer stands for, if the reset code is one. */
export function connectErrorFromRstCode(rstCode: number | undefined): ConnectError | undefined {
  const code = rstCode === undefined ? undefined : RST_CODES.get(rstCode);
  return code === undefined ? undefined : new ConnectError(`http/2 stream closed with error code 0x${rstCode!.toString(16)}`, code);
}

/** Failures of the connection itself: the peer is down, unreachable or went away mid-call. */
const TRANSPORT_FAILURES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ERR_HTTP2_STREAM_CANCEL",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_INVALID_SESSION",
]);

/**
 * A client-side stream failure as an RPC error: UNAVAILABLE when the connection failed (what every
 * gRPC client reports, so callers may retry elsewhere), else the peer's reset code when it sent
 * one, else INTERNAL.
 */
export function connectErrorFromStreamFailure(err: unknown, rstCode: number | undefined): ConnectError {
  if (err instanceof ConnectError) return err;
  // First the connection: streams of a session that failed carry a local reset code as well.
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && TRANSPORT_FAILURES.has(code)) return new ConnectError(e.message, Code.Unavailable, undefined, undefined, err);
    if (e.cause === e) break;
  }
  return connectErrorFromRstCode(rstCode) ?? ConnectError.from(err, Code.Internal);
}

/**
 * True when a call failed because its connection was never made (refused, or the name did not
 * resolve): the request never left this process, so sending it again cannot run it twice. Any
 * failure after the connection was up (a reset, GOAWAY, a timeout) may have reached the service.
 */
export function failedBeforeConnecting(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const syscall = (e as NodeJS.ErrnoException).syscall;
    if (syscall === "connect" || syscall === "getaddrinfo") return true;
    if (e.cause === e) break;
  }
  return false;
}
