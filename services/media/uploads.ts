import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Logger } from "pino";
import type { ObjectStore } from "../../platform/storage/objects.js";
import type { Authorization, CatalogPort } from "./catalog.js";
import type { ProbeFn } from "./encoder.js";
import { formatBytes, jobNotFound, MediaError, uploadNotFound } from "./errors.js";
import type { MediaMessages } from "./events.js";
import { describeError } from "./jobs.js";
import { objectKeys, type Job, type JobStatus, type UploadSession } from "./model.js";
import { failedProgress, pendingProgress } from "./progress.js";
import type { MediaStore } from "./store.js";
import type { UploadStaging } from "./upload/staging.js";

export interface UploadDeps {
  store: MediaStore;
  objects: ObjectStore;
  catalog: CatalogPort;
  messages: MediaMessages;
  staging: UploadStaging;
  probe: ProbeFn;
  maxUploadBytes: number;
  uploadTtlMs: number;
  log: Logger;
}

export interface NewUploadRequest {
  contentId: string;
  seasonNumber?: number;
  episodeNumber?: number;
  filename: string;
  sizeBytes: number;
  contentType: string;
  title: string;
  createdBy: string;
}

/** Where the received bytes of an upload are when it completes. */
export type ReceivedSource = { kind: "local"; path: string } | { kind: "object" };

export interface Completion {
  jobId: string;
  status: JobStatus;
  failureReason: string;
}

/** Refuses a declared size over the limit, before anything is created or stored. */
export function checkDeclaredSize(sizeBytes: number, maxUploadBytes: number): void {
  if (sizeBytes > maxUploadBytes) {
    throw new MediaError("too_large", `the file is ${formatBytes(sizeBytes)}; uploads are limited to ${formatBytes(maxUploadBytes)}`, "size_bytes");
  }
}

/**
 * Registers an upload: the catalog's video slot (created when missing), a PENDING job awaiting
 * the bytes, and the session. The size limit is checked first, so an oversized declaration leaves
 * no trace anywhere.
 */
export async function createUpload(deps: UploadDeps, req: NewUploadRequest, auth: Authorization, opts: { staged: boolean }): Promise<UploadSession> {
  checkDeclaredSize(req.sizeBytes, deps.maxUploadBytes);
  const { videoId } = await deps.catalog.ensureVideo(
    { contentId: req.contentId, seasonNumber: req.seasonNumber, episodeNumber: req.episodeNumber, title: req.title },
    auth,
  );
  const jobId = randomUUID();
  const now = new Date();
  const session: UploadSession = {
    uploadId: randomUUID(),
    jobId,
    videoId,
    contentId: req.contentId,
    filename: req.filename,
    sizeBytes: req.sizeBytes,
    contentType: req.contentType,
    objectKey: objectKeys.original(videoId, jobId),
    createdBy: req.createdBy,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.uploadTtlMs),
    completedAt: undefined,
  };
  // The resumable resource first: a session row never points at a resource that is not there.
  if (opts.staged) await deps.staging.create(session);
  await deps.store.createUpload(session);
  return session;
}

/**
 * Accepts the received bytes of an upload: checks the size, probes the source (ffprobe must find
 * a decodable video stream), moves it into the object store and queues the job, with the task and
 * the VideoUploaded event committed in the same transaction. A source that is not playable fails
 * the job with the prober's reason and is deleted. Idempotent.
 */
export async function completeUpload(deps: UploadDeps, uploadId: string, source: ReceivedSource | "staged", receivedBytes?: number): Promise<Completion> {
  const session = await deps.store.getUpload(uploadId);
  if (session === undefined) throw uploadNotFound(uploadId);
  const job = await deps.store.getJob(session.jobId);
  if (job === undefined) throw jobNotFound(session.jobId);
  if (session.completedAt !== undefined || job.status !== "PENDING") return completionOf(job);

  const located: ReceivedSource & { size?: number } = source === "staged" ? await locateStaged(deps, session) : source;
  const received = receivedBytes ?? located.size;
  if (received !== undefined && received !== session.sizeBytes) {
    throw new MediaError("failed_precondition", `upload incomplete: ${received} of ${session.sizeBytes} bytes received`, "size_bytes");
  }
  const rejection = await probeReceived(deps, session, located);
  if (rejection !== undefined) return rejectUpload(deps, session, job, `not a playable video: ${rejection}`);

  if (located.kind === "local") {
    await deps.objects.put(session.objectKey, createReadStream(located.path), session.contentType || "application/octet-stream");
  }
  const completedSession = { ...session, completedAt: new Date() };
  if (!(await deps.store.markUploaded(uploadId, [deps.messages.encodeTask(job), deps.messages.videoUploaded(completedSession)]))) {
    return settledMeanwhile(deps, session, job);
  }
  // The staged copy (embedded) or the tus bookkeeping beside the original (S3) is no longer needed.
  if (source === "staged") await deps.staging.remove(session);
  deps.log.info({ jobId: job.jobId, videoId: job.videoId, bytes: session.sizeBytes }, "upload received; encoding queued");
  return { jobId: job.jobId, status: "PENDING", failureReason: "" };
}

/**
 * Fails the job of an upload that cannot be accepted and deletes whatever of it was stored. The
 * catalog's video slot is left as it was (AWAITING_UPLOAD): nothing playable was announced.
 */
export async function rejectUpload(deps: UploadDeps, session: UploadSession, job: Job, reason: string): Promise<Completion> {
  await deps.objects.deletePrefix(objectKeys.originalPrefix(session.videoId, session.jobId));
  await deps.staging.remove(session).catch((err: unknown) => deps.log.warn({ err, uploadId: session.uploadId }, "could not remove a rejected staged upload"));
  const failed = await deps.store.failJob(job.jobId, reason, failedProgress(pendingProgress(), reason), (j) => [deps.messages.videoEncodingFailed(j, reason)]);
  deps.log.info({ jobId: job.jobId, reason }, "upload rejected");
  return completionOf(failed?.job ?? job);
}

/**
 * Another request completed the upload while this one probed, or the sweep failed it as abandoned
 * (its last PATCH began before it expired). Only in the second case does what this call stored go.
 */
async function settledMeanwhile(deps: UploadDeps, session: UploadSession, job: Job): Promise<Completion> {
  const now = (await deps.store.getJob(job.jobId)) ?? job;
  if (now.status === "FAILED") {
    await deps.objects.deletePrefix(objectKeys.originalPrefix(session.videoId, session.jobId));
    await deps.staging.remove(session).catch((err: unknown) => deps.log.warn({ err, uploadId: session.uploadId }, "could not remove a staged upload of a failed job"));
  }
  return completionOf(now);
}

async function locateStaged(deps: UploadDeps, session: UploadSession): Promise<ReceivedSource & { size?: number }> {
  const received = await deps.staging.received(session);
  return received.localPath !== undefined ? { kind: "local", path: received.localPath, size: received.offset } : { kind: "object", size: received.offset };
}

/** The prober's reason when the source is not playable media; undefined when it is. */
async function probeReceived(deps: UploadDeps, session: UploadSession, source: ReceivedSource): Promise<string | undefined> {
  if (source.kind === "local") return probeReason(deps.probe, source.path);
  // The bytes are already in the bucket: ffprobe needs a seekable file (an MP4's index may sit at its end).
  const dir = await mkdtemp(path.join(tmpdir(), "cinemesh-probe-"));
  try {
    const local = path.join(dir, "source");
    const read = await deps.objects.get(session.objectKey);
    await pipeline(read.body, createWriteStream(local));
    return await probeReason(deps.probe, local);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function probeReason(probe: ProbeFn, file: string): Promise<string | undefined> {
  try {
    await probe(file);
    return undefined;
  } catch (err) {
    return describeError(err);
  }
}

function completionOf(job: Job): Completion {
  return { jobId: job.jobId, status: job.status, failureReason: job.failureReason };
}
