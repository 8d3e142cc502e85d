import { Code, ConnectError } from "@connectrpc/connect";

/** One length-prefixed message of a gRPC body. */
export interface Envelope {
  /** The compressed-flag of the prefix: the bytes are in the call's `grpc-encoding`. */
  compressed: boolean;
  data: Uint8Array;
}

const PREFIX = 5;

/** Frames one serialized message: flags byte, 4-byte big-endian length, the bytes. */
export function encodeEnvelope(data: Uint8Array, compressed = false): Buffer {
  const out = Buffer.allocUnsafe(PREFIX + data.byteLength);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(data.byteLength, 1);
  out.set(data, PREFIX);
  return out;
}

/**
 * The messages of a complete gRPC body, as received in `chunks`. A truncated frame is a protocol
 * error; a message larger than `readMaxBytes` is RESOURCE_EXHAUSTED, as connect reports them.
 */
export function decodeEnvelopes(chunks: Buffer[], readMaxBytes: number): Envelope[] {
  const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  const out: Envelope[] = [];
  let at = 0;
  while (at < body.length) {
    if (body.length - at < PREFIX) throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
    const length = body.readUInt32BE(at + 1);
    if (length > readMaxBytes) {
      throw new ConnectError(`message size ${length} is larger than configured readMaxBytes ${readMaxBytes}`, Code.ResourceExhausted);
    }
    const end = at + PREFIX + length;
    if (end > body.length) throw new ConnectError(`protocol error: promised ${length} bytes in enveloped message, got ${body.length - at - PREFIX} bytes`, Code.InvalidArgument);
    out.push({ compressed: (body[at] & 1) === 1, data: body.subarray(at + PREFIX, end) });
    at = end;
  }
  return out;
}
