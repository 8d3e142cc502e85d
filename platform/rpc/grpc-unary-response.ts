import type http2 from "node:http2";
import type { DescMessage, DescMethodUnary, MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type UnaryResponse } from "@connectrpc/connect";
import { validateResponseWithCompression, validateTrailer } from "@connectrpc/connect/protocol-grpc";
import { decodeEnvelopes } from "./grpc-envelope.js";
import { webHeaders } from "./h2-headers.js";

export type ResponseHead = http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader;

/**
 * The bytes of a unary gRPC response's one message; or the error that the status, headers, body
 * and trailers stand for. A plain success is recognised from the raw HTTP/2 headers; anything else
 * goes through connect's own checks, so errors read exactly as with its gRPC transport
 * (trailers-only responses, `grpc-status-details-bin`, HTTP errors, bad framing).
 */
export function readUnaryResponse(head: ResponseHead, trailers: http2.IncomingHttpHeaders, chunks: Buffer[], readMaxBytes: number): Uint8Array {
  const plainOk =
    head[":status"] === 200 &&
    (head["content-type"] === "application/grpc" || head["content-type"] === "application/grpc+proto") &&
    head["grpc-status"] === undefined &&
    head["grpc-encoding"] === undefined &&
    trailers["grpc-status"] === "0" &&
    trailers["grpc-status-details-bin"] === undefined;
  if (plainOk) {
    const messages = decodeEnvelopes(chunks, readMaxBytes);
    if (messages.length === 1 && !messages[0].compressed) return messages[0].data;
  }
  const header = webHeaders(head);
  const trailer = webHeaders(trailers);
  // No compression was offered, so any grpc-encoding is an error.
  const { headerError } = validateResponseWithCompression([], Number(head[":status"]), header);
  validateTrailer(trailer, header);
  const messages = decodeEnvelopes(chunks, readMaxBytes);
  if (messages.length > 1) throw new ConnectError("protocol error: received extra output message for unary method", Code.Unimplemented);
  if (messages.length === 0) {
    throw headerError ?? new ConnectError("protocol error: missing output message for unary method", trailer.has("grpc-status") ? Code.Unimplemented : Code.Unknown);
  }
  if (headerError) throw new ConnectError("protocol error: received output message for unary method with error status", Code.Unknown);
  if (messages[0].compressed) throw new ConnectError("protocol error: received compressed output without grpc-encoding", Code.Internal);
  return messages[0].data;
}

/** A unary response whose headers and trailers become `Headers` only when somebody reads them. */
export class GrpcUnaryResponse<I extends DescMessage, O extends DescMessage> implements UnaryResponse<I, O> {
  readonly stream = false;
  private headerCache: Headers | undefined;
  private trailerCache: Headers | undefined;

  constructor(
    readonly method: DescMethodUnary<I, O>,
    private readonly rawHeader: http2.IncomingHttpHeaders,
    readonly message: MessageShape<O>,
    private readonly rawTrailer: http2.IncomingHttpHeaders,
  ) {}

  get service() {
    return this.method.parent;
  }

  get header(): Headers {
    return (this.headerCache ??= webHeaders(this.rawHeader));
  }

  get trailer(): Headers {
    return (this.trailerCache ??= webHeaders(this.rawTrailer));
  }
}
