import { Code, ConnectError } from "@connectrpc/connect";
import { encodeEnvelope, type UniversalHandler, type UniversalServerResponse } from "@connectrpc/connect/protocol";
import { codeToHttpStatus, createEndStreamSerialization, endStreamFlag, errorFromJsonBytes, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { findTrailerError, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import { trailerFlag, trailerParse, trailerSerialize } from "@connectrpc/connect/protocol-grpc-web";

/**
 * The prefix of connect's error for a binary message that does not decode. Connect makes it
 * INTERNAL because the same serializer reads responses on a client, where a bad message is the
 * server's fault; on a server it is the caller's, so it is INVALID_ARGUMENT (HTTP 400).
 */
const PARSE_BINARY = "parse binary: ";

/** The error a server answers for `err`: a request that does not decode is INVALID_ARGUMENT. */
export function asServerDecodeError(err: ConnectError): ConnectError {
  if (err.code !== Code.Internal || !err.rawMessage.startsWith(PARSE_BINARY)) return err;
  return new ConnectError(err.rawMessage, Code.InvalidArgument, err.metadata, undefined, err.cause);
}

/**
 * Wraps one of connect's handlers so that a request that does not decode is reported as
 * INVALID_ARGUMENT, in each protocol's own shape. Connect parses the request before the
 * interceptors run and offers no hook for the error's code, so the answer is corrected on its way
 * out: the Connect unary JSON error, the gRPC trailers, the gRPC-web trailer message, the Connect
 * end-of-stream message. Nothing else in the response is touched.
 */
export function withServerDecodeErrors(handler: UniversalHandler): UniversalHandler {
  const endStream = createEndStreamSerialization(undefined);
  const wrapped = async (req: Parameters<UniversalHandler>[0]): Promise<UniversalServerResponse> => {
    const res = await handler(req);
    const type = req.header.get("content-type") ?? "";
    const body = res.body;
    if (body === undefined) return res;
    if (type.startsWith("application/grpc-web")) {
      return { ...res, body: mapLastFlagged(body, trailerFlag, (data) => {
        const trailer = trailerParse(data);
        const err = findTrailerError(trailer);
        if (err === undefined || asServerDecodeError(err) === err) return undefined;
        setTrailerStatus(trailer, asServerDecodeError(err));
        return trailerSerialize(trailer);
      }) };
    }
    if (type.startsWith("application/grpc")) {
      const trailer = res.trailer;
      if (trailer === undefined) return res;
      return { ...res, body: thenFix(body, () => {
        const err = findTrailerError(trailer);
        if (err !== undefined) setTrailerStatus(trailer, asServerDecodeError(err));
      }) };
    }
    if (type.startsWith("application/connect+")) {
      return { ...res, body: mapLastFlagged(body, endStreamFlag, (data) => {
        const end = endStream.parse(data);
        if (end.error === undefined || asServerDecodeError(end.error) === end.error) return undefined;
        return endStream.serialize({ ...end, error: asServerDecodeError(end.error) });
      }) };
    }
    return res.status === codeToHttpStatus(Code.Internal) ? fixConnectUnary(res, body) : res;
  };
  return Object.assign(wrapped, handler);
}

/** A Connect unary error is a JSON body with the status that matches its code. */
async function fixConnectUnary(res: UniversalServerResponse, body: AsyncIterable<Uint8Array>): Promise<UniversalServerResponse> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const compressed = res.header?.has("content-encoding") === true;
  const err = compressed ? undefined : errorFromJsonBytes(bytes, undefined, new ConnectError("", Code.Internal));
  const fixed = err === undefined ? err : asServerDecodeError(err);
  if (fixed === undefined || fixed === err) return { ...res, body: once(bytes) };
  const out = errorToJsonBytes(fixed, undefined);
  res.header?.set("content-length", String(out.byteLength));
  return { ...res, status: codeToHttpStatus(fixed.code), body: once(out) };
}

/** Passes envelopes through; an envelope with `flag` set, uncompressed, is replaced by `fix`'s bytes when it returns some. */
async function* mapLastFlagged(body: AsyncIterable<Uint8Array>, flag: number, fix: (data: Uint8Array) => Uint8Array | undefined): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    // connect yields one envelope per chunk (transformJoinEnvelopes); bit 0 is compression.
    const flags = chunk[0];
    if (chunk.byteLength >= 5 && flags === flag) {
      const replaced = fix(chunk.subarray(5));
      yield replaced === undefined ? chunk : encodeEnvelope(flags, replaced);
    } else {
      yield chunk;
    }
  }
}

/** gRPC's trailers are complete once the body has been read: `fix` runs then, before the adapter writes them. */
async function* thenFix(body: AsyncIterable<Uint8Array>, fix: () => void): AsyncIterable<Uint8Array> {
  yield* body;
  fix();
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
