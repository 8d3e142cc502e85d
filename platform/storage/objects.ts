import type { Readable } from "node:stream";

/**
 * Object storage port: source uploads, encoded segments, playlists, thumbnails, sprites.
 *
 * Production: S3 or any S3-compatible store (`objects-s3.ts`). Embedded: files under a local
 * directory (`objects-fs.ts`). Keys are `/`-separated paths such as
 * `videos/<id>/1080p/seg_00001.m4s` (see object-key.ts for the rules).
 */
export interface ObjectStore {
  /** Stores the object, replacing any previous one; readers see the old or the new object, never a part. */
  put(key: string, body: Buffer | Readable, contentType: string): Promise<void>;
  /** Streams the object, or `range` of it. Throws ObjectNotFoundError / RangeNotSatisfiableError. */
  get(key: string, range?: ByteRange): Promise<ObjectRead>;
  /**
   * As `get`, without the content type, for readers that type objects by name (the media origin):
   * the embedded store keeps the type in a file of its own, which they need not pay to read.
   */
  getBody(key: string, range?: ByteRange): Promise<ObjectBody>;
  head(key: string): Promise<ObjectInfo | null>;
  exists(key: string): Promise<boolean>;
  /** Objects whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<ListedObject>;
  /** Deletes the object if present. */
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix` (non-empty); resolves to how many. */
  deletePrefix(prefix: string): Promise<number>;
  close(): Promise<void>;
}

/** Inclusive byte range, as in an HTTP `Range: bytes=start-end` header; `end` defaults to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface ObjectInfo {
  key: string;
  size: number;
  contentType: string;
  lastModified: Date;
  /** Changes whenever the object is replaced (put again), so a copy can be checked against it. */
  version: string;
}

export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date;
}

export interface ObjectBody {
  body: Readable;
  /** Size of the whole object (the `/total` of a Content-Range). */
  size: number;
  /** The inclusive byte range `body` carries; the whole object when no range was asked for. */
  range: { start: number; end: number };
  /** Changes whenever the object is replaced (an ETag, or the file's identity): see ObjectInfo. */
  version: string;
}

export interface ObjectRead extends ObjectBody {
  contentType: string;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
    this.name = "ObjectNotFoundError";
  }
}

export class RangeNotSatisfiableError extends Error {
  constructor(
    readonly key: string,
    readonly size: number,
  ) {
    super(`range not satisfiable for ${key} (size ${size})`);
    this.name = "RangeNotSatisfiableError";
  }
}

export class InvalidObjectKeyError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason}`);
    this.name = "InvalidObjectKeyError";
  }
}

/** Resolves a requested range against the object size; throws when nothing of it exists. */
export function resolveRange(key: string, size: number, range: ByteRange | undefined): { start: number; end: number } {
  if (!range) return { start: 0, end: size - 1 };
  const { start } = range;
  const end = Math.min(range.end ?? size - 1, size - 1);
  if (!Number.isInteger(start) || start < 0 || start >= size || end < start) throw new RangeNotSatisfiableError(key, size);
  return { start, end };
}
