import { pipeline } from "node:stream/promises";
import type { Logger } from "pino";
import type { NodeReq, NodeRes } from "../platform/host/listener.js";
import { verifyMediaToken } from "../platform/media/media-token.js";
import { capDashMpd, capHlsMaster, renditionShortSideOf } from "../platform/media/quality-cap.js";
import { contentTypeOf } from "../platform/storage/content-type.js";
import { ObjectNotFoundError, RangeNotSatisfiableError, resolveRange, type ByteRange, type ObjectStore } from "../platform/storage/objects.js";
import { MediaCache } from "./media-cache.js";
import { sendJson } from "./rest/transcoder.js";

/** Where signed media is served: `/media/<token>/<object key>`. */
export const MEDIA_PREFIX = "/media/";

export interface MediaOriginOptions {
  objects: ObjectStore;
  signingKey: Buffer;
  logger: Logger;
  /** Bytes of whole objects (not playlists) kept in memory, see media-cache.ts; 0 or absent keeps none. */
  cacheBytes?: number;
  now?: () => number;
}

// Segments never change once written (a re-encode writes under a new job folder); playlists are
// cut per session and a master gains subtitles later, so caches keep them briefly.
const IMMUTABLE = "public, max-age=31536000, immutable";
const PLAYLIST = "public, max-age=10";

/**
 * The media origin: playlists, segments, subtitles and artwork from object storage, for a URL whose
 * token (platform/media/media-token.ts) is valid, unexpired, opens the key's folder and allows the
 * key's rendition. Masters and MPDs are cut to the session's quality cap on the way out. Any
 * origin may read (the signature is the credential, as on a CDN), so players on other sites work.
 */
export function createMediaOrigin(opts: MediaOriginOptions): (req: NodeReq, res: NodeRes, path: string) => Promise<void> {
  const now = opts.now ?? (() => Date.now() / 1000);
  const cache = opts.cacheBytes ? new MediaCache({ objects: opts.objects, maxBytes: opts.cacheBytes, now }) : undefined;
  return async (req, res, path) => {
    res.setHeader("access-control-allow-origin", "*");
    res.setHeader("access-control-expose-headers", "content-length, content-range, accept-ranges");
    if (req.method === "OPTIONS") {
      res.writeHead(204, { "access-control-allow-methods": "GET, HEAD, OPTIONS", "access-control-allow-headers": "range", "access-control-max-age": "86400" });
      res.end();
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD, OPTIONS");
      sendJson(res, 405, { code: "unimplemented", message: `${req.method} is not allowed on media`, details: [] });
      return;
    }
    const target = parseMediaPath(path);
    if (target === undefined) return deny(res, 404, "not_found", "no such media object");
    const check = verifyMediaToken(opts.signingKey, target.token, now());
    if (!check.ok) return deny(res, 403, "permission_denied", check.reason === "expired" ? "media URL expired: start playback again" : "media URL signature is invalid");
    const { grant } = check;
    if (!target.key.startsWith(grant.prefix)) return deny(res, 403, "permission_denied", "media URL does not open this object");
    const rendition = renditionShortSideOf(target.key);
    if (rendition !== undefined && rendition > grant.maxShortSide) return deny(res, 403, "permission_denied", `${rendition}p is above this session's plan (up to ${grant.maxShortSide}p)`);

    try {
      if (/\.(m3u8|mpd)$/i.test(target.key)) await sendPlaylist(req, res, opts.objects, target.key, grant.maxShortSide);
      else await sendObject(req, res, opts.objects, cache, target.key);
    } catch (err) {
      if (err instanceof ObjectNotFoundError) return deny(res, 404, "not_found", "no such media object");
      if (err instanceof RangeNotSatisfiableError) {
        res.setHeader("content-range", `bytes */${err.size}`);
        return deny(res, 416, "out_of_range", "requested range not satisfiable");
      }
      if (res.headersSent) {
        // The client went away mid-body, or the store failed mid-stream: nothing more to say to it.
        if (!res.destroyed) opts.logger.warn({ err, key: target.key }, "media body cut short");
        res.destroy();
        return;
      }
      throw err;
    }
  };
}

/**
 * Token and object key from `/media/<token>/<key>`, or undefined when the key is not a clean
 * relative path: empty, `.` or `..` segments, encoded slashes or backslashes, NUL. (The URL
 * parser has already folded `..`; this also refuses what it leaves, such as `%2F`.)
 */
export function parseMediaPath(path: string): { token: string; key: string } | undefined {
  if (!path.startsWith(MEDIA_PREFIX)) return undefined;
  const [token, ...raw] = path.slice(MEDIA_PREFIX.length).split("/");
  if (!token || raw.length === 0) return undefined;
  const segments: string[] = [];
  for (const s of raw) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      return undefined;
    }
    if (decoded === "" || decoded === "." || decoded === ".." || /[/\\\0]/.test(decoded)) return undefined;
    segments.push(decoded);
  }
  return { token, key: segments.join("/") };
}

async function sendPlaylist(req: NodeReq, res: NodeRes, objects: ObjectStore, key: string, maxShortSide: number): Promise<void> {
  // Playlists are not cached: they are small, and a master gains subtitles in place.
  const read = await objects.getBody(key);
  const chunks: Buffer[] = [];
  for await (const chunk of read.body) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  const body = Buffer.from(key.endsWith(".mpd") ? capDashMpd(text, maxShortSide) : capHlsMaster(text, maxShortSide));
  res.writeHead(200, { "content-type": contentTypeOf(key), "content-length": body.length, "cache-control": PLAYLIST });
  if (req.method === "HEAD") res.end();
  else res.end(body);
}

async function sendObject(req: NodeReq, res: NodeRes, objects: ObjectStore, cache: MediaCache | undefined, key: string): Promise<void> {
  const requested = parseRange(req.headers.range);
  const bytes = await cache?.get(key);
  if (bytes !== undefined) {
    const range = requested === undefined ? undefined : resolveRange(key, bytes.length, "suffix" in requested ? suffixRange(key, bytes.length, requested.suffix) : requested);
    writeObjectHead(res, key, bytes.length, range);
    if (req.method === "HEAD") res.end();
    else res.end(range === undefined ? bytes : bytes.subarray(range.start, range.end + 1));
    return;
  }
  let range: ByteRange | undefined;
  if (requested !== undefined && "suffix" in requested) {
    const info = await objects.head(key);
    if (info === null) throw new ObjectNotFoundError(key);
    range = suffixRange(key, info.size, requested.suffix);
  } else range = requested;
  const read = await objects.getBody(key, range);
  writeObjectHead(res, key, read.size, range === undefined ? undefined : read.range);
  if (req.method === "HEAD") {
    read.body.destroy();
    res.end();
    return;
  }
  await pipeline(read.body, res);
}

/** The last `suffix` bytes (`Range: bytes=-n`); none of an empty object, nor zero of any. */
function suffixRange(key: string, size: number, suffix: number): ByteRange {
  if (suffix === 0 || size === 0) throw new RangeNotSatisfiableError(key, size);
  return { start: Math.max(0, size - suffix) };
}

/** 200 for the whole object, 206 with its Content-Range for `range` (resolved, inclusive). */
function writeObjectHead(res: NodeRes, key: string, size: number, range: { start: number; end: number } | undefined): void {
  const headers: Record<string, string | number> = {
    "content-type": contentTypeOf(key),
    "content-length": size === 0 ? 0 : range === undefined ? size : range.end - range.start + 1,
    "accept-ranges": "bytes",
    "cache-control": IMMUTABLE,
  };
  if (range !== undefined) headers["content-range"] = `bytes ${range.start}-${range.end}/${size}`;
  res.writeHead(range !== undefined ? 206 : 200, headers);
}

/**
 * One `bytes=` range (`a-b`, `a-`, `-n`). Several ranges, or a unit other than bytes, are served
 * as the whole object, which RFC 9110 allows; a syntactically broken header is ignored likewise.
 */
export function parseRange(header: string | undefined): ByteRange | { suffix: number } | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") return { suffix: Number(m[2]) };
  const start = Number(m[1]);
  if (m[2] === "") return { start };
  const end = Number(m[2]);
  return end < start ? undefined : { start, end };
}

function deny(res: NodeRes, status: number, code: string, message: string): void {
  res.setHeader("cache-control", "no-store");
  sendJson(res, status, { code, message, details: [] });
}
