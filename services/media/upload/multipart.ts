import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import type { Logger } from "pino";
import type { Claims, TokenVerifier } from "../../../platform/auth/tokens.js";
import { formatBytes, httpStatusOf, MediaError } from "../errors.js";
import type { UploadSession } from "../model.js";
import type { Completion, NewUploadRequest } from "../uploads.js";
import { pathOf, reply, replyError, requireAdminHttp, type Req, type Res } from "./http-replies.js";

const ROUTE = /^\/api\/v1\/admin\/content\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/video\/?$/i;
/** Room for the multipart framing and the small fields around the file. */
const FRAMING_BYTES = 1024 * 1024;

export interface MultipartDeps {
  verifier: TokenVerifier;
  /** Scratch folder for the file while it arrives. */
  uploadDir: string;
  maxUploadBytes: number;
  create: (req: NewUploadRequest, claims: Claims, authorization: string) => Promise<UploadSession>;
  complete: (session: UploadSession, localPath: string) => Promise<Completion>;
  log: Logger;
}

interface Received {
  file?: { path: string; filename: string; mimeType: string; bytes: number };
  fields: Map<string, string>;
  tooLarge: boolean;
}

/**
 * The seed's upload for small files: `POST /api/v1/admin/content/{contentId}/video` as
 * multipart/form-data with the file in field `video` and optional `seasonNumber`/`episodeNumber`
 * (and `title` for a new episode). The file goes to a scratch file (refused past the size limit,
 * declared or counted), then through the same create/complete path as a tus upload. Answers
 * 201 with the ids, or 422 with the reason when the file is not playable video.
 */
export function multipartEndpoint(deps: MultipartDeps): (req: Req, res: Res) => Promise<boolean> {
  return async (req, res) => {
    const m = ROUTE.exec(pathOf(req));
    if (m === null || req.method !== "POST" || !/^multipart\/form-data/i.test(req.headers["content-type"] ?? "")) return false;
    const claims = await requireAdminHttp(req, res, deps.verifier);
    if (claims === undefined) return true;
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (declared > deps.maxUploadBytes + FRAMING_BYTES) {
      replyError(res, 413, "invalid_argument", tooLargeMessage(declared, deps.maxUploadBytes), { connection: "close" });
      return true;
    }
    await mkdir(deps.uploadDir, { recursive: true });
    const scratch = path.join(deps.uploadDir, `multipart-${randomUUID()}`);
    try {
      const received = await receive(req, scratch, deps.maxUploadBytes);
      if (received.tooLarge) {
        replyError(res, 413, "invalid_argument", tooLargeMessage(undefined, deps.maxUploadBytes), { connection: "close" });
        return true;
      }
      const request = uploadRequest(m[1], received, claims);
      const session = await deps.create(request, claims, req.headers.authorization ?? "");
      const done = await deps.complete(session, scratch);
      const body = { videoId: session.videoId, encodingJobId: session.jobId, uploadId: session.uploadId, status: done.status };
      if (done.status === "FAILED") reply(res, 422, { code: "invalid_argument", message: done.failureReason, ...body });
      else reply(res, 201, body);
    } catch (err) {
      if (!(err instanceof MediaError)) throw err;
      replyError(res, httpStatusOf(err), err.kind, err.message);
    } finally {
      await rm(scratch, { force: true });
    }
    return true;
  };
}

function receive(req: Req, scratch: string, maxBytes: number): Promise<Received> {
  return new Promise((resolve, reject) => {
    const received: Received = { fields: new Map(), tooLarge: false };
    let writing: Promise<void> = Promise.resolve();
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers as busboy.BusboyConfig["headers"], limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 4096 } });
    } catch (err) {
      reject(new MediaError("invalid_argument", `not a multipart/form-data body: ${(err as Error).message}`));
      return;
    }
    parser.on("field", (name, value) => received.fields.set(name, value));
    parser.on("file", (name, stream, info) => {
      if (name !== "video" || received.file !== undefined) {
        stream.resume();
        return;
      }
      const file = { path: scratch, filename: info.filename || "video", mimeType: info.mimeType, bytes: 0 };
      received.file = file;
      stream.on("data", (chunk: Buffer) => (file.bytes += chunk.length));
      stream.on("limit", () => (received.tooLarge = true));
      writing = pipeline(stream, createWriteStream(scratch));
    });
    parser.on("error", (err: Error) => reject(new MediaError("invalid_argument", `malformed multipart body: ${err.message}`)));
    parser.on("close", () => writing.then(() => resolve(received), reject));
    req.on("error", reject);
    req.pipe(parser);
  });
}

function uploadRequest(contentId: string, received: Received, claims: Claims): NewUploadRequest {
  const file = received.file;
  if (file === undefined) throw new MediaError("invalid_argument", "video: the form has no file field named `video`", "video");
  if (file.bytes === 0) throw new MediaError("invalid_argument", "video: the file is empty", "video");
  const season = intField(received.fields, "seasonNumber", 1, 1000);
  const episode = intField(received.fields, "episodeNumber", 1, 10000);
  if ((season === undefined) !== (episode === undefined)) {
    throw new MediaError("invalid_argument", "seasonNumber and episodeNumber must be both set (episode) or both unset (movie)");
  }
  return {
    contentId,
    seasonNumber: season,
    episodeNumber: episode,
    filename: file.filename.slice(0, 255),
    sizeBytes: file.bytes,
    contentType: file.mimeType.slice(0, 100),
    title: (received.fields.get("title") ?? "").slice(0, 500),
    createdBy: claims.userId,
  };
}

function intField(fields: Map<string, string>, name: string, min: number, max: number): number | undefined {
  const raw = fields.get(name)?.trim();
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new MediaError("invalid_argument", `${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`, name);
  return n;
}

function tooLargeMessage(declared: number | undefined, max: number): string {
  const size = declared === undefined ? "the file is larger than" : `the request is ${formatBytes(declared)}, over`;
  return `${size} the upload limit of ${formatBytes(max)}`;
}
