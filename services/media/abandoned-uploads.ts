import type { Logger } from "pino";
import { formatBytes } from "./errors.js";
import type { UploadSession } from "./model.js";
import { rejectUpload, type UploadDeps } from "./uploads.js";

/** Sessions handled per sweep; a larger backlog is worked off by the next sweeps. */
const BATCH = 100;

/**
 * Fails and deletes the uploads that were started but not finished in time: every session past its
 * `expires_at` (created + MEDIA_UPLOAD_TTL_SECONDS) whose job still waits for its bytes. The bytes
 * received so far go (the tus file, or on S3 the multipart upload and its parts), the job becomes
 * FAILED with "upload abandoned: …", and the uploader hears of it (VideoEncodingFailed). The
 * catalog's slot stays as it was: nothing was announced for it.
 *
 * Safe on every replica at once: failing the job is guarded by its status, and deleting is
 * idempotent. The tus endpoint refuses requests to an expired upload, so only a PATCH that began
 * before the expiry can still be writing; if it completes, `completeUpload` finds the job FAILED
 * and deletes what it stored. Then the staged files of no live session (a crash between creating
 * the tus resource and its row, a multipart scratch file of a killed process) are removed once
 * older than the TTL. Resolves to the ids of the uploads it failed.
 */
export async function sweepAbandonedUploads(deps: UploadDeps, now: Date = new Date()): Promise<string[]> {
  const failed: string[] = [];
  for (const session of await deps.store.abandonedUploads(now, BATCH)) {
    const job = await deps.store.getJob(session.jobId);
    if (job?.status !== "PENDING") continue;
    const reason = await abandonReason(deps, session);
    await deps.staging.discard(session);
    const done = await rejectUpload(deps, session, job, reason);
    if (done.status === "FAILED" && done.failureReason === reason) failed.push(session.uploadId);
    deps.log.info({ uploadId: session.uploadId, jobId: job.jobId, videoId: job.videoId, reason }, "abandoned upload removed");
  }
  await deps.staging.removeOrphans(new Date(now.getTime() - deps.uploadTtlMs), async (uploadId) => isLive(deps, uploadId));
  return failed;
}

/** "upload abandoned: 3.0 MiB of 120 MiB received, none since it expired at …". */
async function abandonReason(deps: UploadDeps, session: UploadSession): Promise<string> {
  let received: string;
  try {
    received = formatBytes((await deps.staging.received(session)).offset);
  } catch {
    received = "nothing";
  }
  return `upload abandoned: ${received} of ${formatBytes(session.sizeBytes)} received; it was not completed by ${session.expiresAt.toISOString()}`;
}

async function isLive(deps: UploadDeps, uploadId: string): Promise<boolean> {
  const session = await deps.store.getUpload(uploadId);
  if (session === undefined || session.completedAt !== undefined) return false;
  return (await deps.store.getJob(session.jobId))?.status === "PENDING";
}

/** Runs the sweep every `intervalMs` (not at all when 0) until stopped; a failed sweep is logged and the next one tries again. */
export function scheduleUploadSweep(deps: UploadDeps, intervalMs: number, log: Logger): { stop: () => Promise<void> } {
  if (intervalMs <= 0) return { stop: async () => {} };
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() =>
      sweepAbandonedUploads(deps).catch((err: unknown) => log.warn({ err }, "sweeping abandoned uploads failed; the next sweep tries again")),
    );
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
