import type { IncomingMessage, ServerResponse } from "node:http";
import { Server } from "@tus/server";
import type { Logger } from "pino";
import type { TokenVerifier } from "../../../platform/auth/tokens.js";
import type { UploadSession } from "../model.js";
import type { MediaStore } from "../store.js";
import type { Completion } from "../uploads.js";
import { pathOf, replyError, requireAdminHttp, type Req, type Res } from "./http-replies.js";
import type { UploadStaging } from "./staging.js";

export const UPLOADS_PATH = "/api/v1/uploads";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TusDeps {
  staging: UploadStaging;
  store: MediaStore;
  verifier: TokenVerifier;
  /** Accepts a fully received upload (probe, move, queue); see uploads.ts. */
  complete: (session: UploadSession) => Promise<Completion>;
  maxUploadBytes: number;
  log: Logger;
}

/**
 * The tus endpoint (`/api/v1/uploads/<uploadId>`, core protocol: HEAD for the offset, PATCH to
 * append). Upload resources are created by CreateVideoUpload, not by tus POST, so each one is
 * bound to a job, an admin and a declared size that the size limit has already checked. The last
 * PATCH completes the upload (probe, store, queue) before it is answered; a 422 tells the client
 * its file was rejected, with the reason. Resolves false for paths it does not own.
 */
export function tusEndpoint(deps: TusDeps): (req: Req, res: Res) => Promise<boolean> {
  /** The session each in-flight request was authorised for, found again in tus's hooks. */
  const sessions = new WeakMap<object, UploadSession>();
  const sessionOf = (req: unknown): UploadSession | undefined => {
    const node = (req as { runtime?: { node?: { req?: object } } }).runtime?.node?.req;
    return node === undefined ? undefined : sessions.get(node);
  };
  const tus = new Server({
    path: UPLOADS_PATH,
    datastore: deps.staging.datastore,
    maxSize: deps.maxUploadBytes,
    relativeLocation: true,
    getFileIdFromRequest: (req) => {
      const session = sessionOf(req);
      return session === undefined ? undefined : deps.staging.idOf(session);
    },
    async onUploadFinish(req) {
      const session = sessionOf(req);
      if (session === undefined) throw { status_code: 500, body: "upload session lost\n" };
      const done = await deps.complete(session);
      if (done.status === "FAILED") throw { status_code: 422, body: `${done.failureReason}\n` };
      return {};
    },
    onResponseError(_req, err) {
      if (err instanceof Error) deps.log.warn({ err }, "tus request failed");
      return undefined;
    },
  });

  return async (req, res) => {
    const path = pathOf(req);
    if (path !== UPLOADS_PATH && !path.startsWith(`${UPLOADS_PATH}/`)) return false;
    const id = path.slice(UPLOADS_PATH.length + 1).replace(/\/$/, "");
    if (req.method === "OPTIONS") {
      await tus.handle(req as IncomingMessage, res as ServerResponse);
      return true;
    }
    if (id === "") {
      replyError(res, 405, "unimplemented", `uploads are created by POST /api/v1/admin/content/{contentId}/video, which returns the upload URL`, { allow: "OPTIONS" });
      return true;
    }
    if (!UUID.test(id)) {
      replyError(res, 404, "not_found", `upload ${id} not found`);
      return true;
    }
    if ((await requireAdminHttp(req, res, deps.verifier)) === undefined) return true;
    const session = await deps.store.getUpload(id);
    if (session === undefined) {
      replyError(res, 404, "not_found", `upload ${id} not found`);
      return true;
    }
    const job = await deps.store.getJob(session.jobId);
    if (job?.status === "FAILED") {
      replyError(res, 410, "failed_precondition", `upload ${id} was rejected: ${job.failureReason}`);
      return true;
    }
    if (session.completedAt !== undefined) {
      answerCompleted(req, res, session);
      return true;
    }
    if (session.expiresAt.getTime() < Date.now()) {
      replyError(res, 410, "failed_precondition", `upload ${id} expired at ${session.expiresAt.toISOString()}`);
      return true;
    }
    if (req.method !== "HEAD" && req.method !== "PATCH") {
      replyError(res, 405, "unimplemented", `${req.method} is not supported on an upload; use HEAD and PATCH`, { allow: "HEAD, PATCH, OPTIONS" });
      return true;
    }
    if (req.method === "HEAD" && (await receivedInFull(deps, session))) {
      // Every byte arrived but completing failed (or the answer was lost): complete now.
      const done = await deps.complete(session);
      if (done.status === "FAILED") replyError(res, 410, "failed_precondition", `upload ${id} was rejected: ${done.failureReason}`);
      else answerCompleted(req, res, session);
      return true;
    }
    sessions.set(req, session);
    await tus.handle(req as IncomingMessage, res as ServerResponse);
    return true;
  };
}

async function receivedInFull(deps: TusDeps, session: UploadSession): Promise<boolean> {
  try {
    return (await deps.staging.received(session)).offset === session.sizeBytes;
  } catch {
    return false;
  }
}

/** tus answers for an upload that is complete: every byte is there, nothing more is accepted. */
function answerCompleted(req: Req, res: Res, session: UploadSession): void {
  const headers = {
    "tus-resumable": "1.0.0",
    "upload-offset": String(session.sizeBytes),
    "upload-length": String(session.sizeBytes),
    "cache-control": "no-store",
  };
  if (req.method === "HEAD") {
    (res as ServerResponse).writeHead(200, headers);
    res.end();
  } else {
    replyError(res, 409, "failed_precondition", "the upload is already complete", headers);
  }
}
