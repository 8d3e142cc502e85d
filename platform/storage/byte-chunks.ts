import type { Readable } from "node:stream";

/** Re-cuts a byte stream into chunks of exactly `size` bytes (the last one may be shorter, never empty). */
export async function* byteChunks(source: Readable, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let buffered = 0;
  for await (const chunk of source) {
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array | string);
    while (buffered + data.length >= size) {
      const take = size - buffered;
      parts.push(data.subarray(0, take));
      yield Buffer.concat(parts, size);
      data = data.subarray(take);
      parts = [];
      buffered = 0;
    }
    if (data.length > 0) {
      parts.push(data);
      buffered += data.length;
    }
  }
  if (buffered > 0) yield Buffer.concat(parts, buffered);
}
