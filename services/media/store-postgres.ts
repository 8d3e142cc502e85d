import type pg from "pg";
import { enqueueEvent, type OutboxEvent } from "../../platform/events/outbox.js";
import { quoteSchema } from "../../platform/storage/schema-name.js";
import { withTransaction } from "../../platform/storage/postgres.js";
import type { EncodingOutcome, Job, JobProgress, JobStatus, RenditionStatus, SubtitleFile, UploadSession } from "./model.js";
import type { MediaStore, NewUpload } from "./store.js";

interface JobRow {
  job_id: string;
  video_id: string;
  content_id: string;
  status: JobStatus;
  source_object_key: string;
  created_by: string;
  attempts: number;
  progress: number;
  renditions: RenditionStatus[];
  eta_seconds: number;
  failure_reason: string;
  last_error: string;
  duration_seconds: number;
  outcome: EncodingOutcome | null;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

interface UploadRow {
  upload_id: string;
  job_id: string;
  video_id: string;
  content_id: string;
  filename: string;
  size_bytes: string;
  content_type: string;
  object_key: string;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  completed_at: Date | null;
}

export function createPostgresStore(pool: pg.Pool, schema: string): MediaStore {
  const s = quoteSchema(schema);
  const enqueueAll = async (tx: pg.ClientBase, messages: OutboxEvent[]) => {
    for (const m of messages) await enqueueEvent(tx, schema, m);
  };
  const progressParams = (p: JobProgress) => [p.percent, JSON.stringify(p.renditions), p.etaSeconds];

  return {
    async createUpload(u: NewUpload) {
      await withTransaction(pool, async (tx) => {
        await tx.query(
          `INSERT INTO ${s}.jobs (job_id, video_id, content_id, status, source_object_key, created_by) VALUES ($1, $2, $3, 'PENDING', $4, $5)`,
          [u.jobId, u.videoId, u.contentId, u.objectKey, u.createdBy],
        );
        await tx.query(
          `INSERT INTO ${s}.uploads (upload_id, job_id, video_id, content_id, filename, size_bytes, content_type, object_key, created_by, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [u.uploadId, u.jobId, u.videoId, u.contentId, u.filename, u.sizeBytes, u.contentType, u.objectKey, u.createdBy, u.expiresAt],
        );
      });
    },

    async getUpload(uploadId) {
      const { rows } = await pool.query<UploadRow>(`SELECT * FROM ${s}.uploads WHERE upload_id = $1`, [uploadId]);
      return rows[0] === undefined ? undefined : uploadOf(rows[0]);
    },

    async abandonedUploads(now, limit) {
      const { rows } = await pool.query<UploadRow>(
        `SELECT u.* FROM ${s}.uploads u JOIN ${s}.jobs j USING (job_id)
         WHERE u.completed_at IS NULL AND u.expires_at < $1 AND j.status = 'PENDING'
         ORDER BY u.expires_at LIMIT $2`,
        [now, limit],
      );
      return rows.map(uploadOf);
    },

    async getJob(jobId) {
      const { rows } = await pool.query<JobRow>(`SELECT * FROM ${s}.jobs WHERE job_id = $1`, [jobId]);
      return rows[0] === undefined ? undefined : jobOf(rows[0]);
    },

    async markUploaded(uploadId, messages) {
      return withTransaction(pool, async (tx) => {
        const { rows } = await tx.query(
          `UPDATE ${s}.uploads u SET completed_at = now() FROM ${s}.jobs j
           WHERE u.upload_id = $1 AND u.completed_at IS NULL AND j.job_id = u.job_id AND j.status = 'PENDING'
           RETURNING u.upload_id`,
          [uploadId],
        );
        if (rows.length === 0) return false;
        await enqueueAll(tx, messages);
        return true;
      });
    },

    async failJob(jobId, reason, progress, messages) {
      return withTransaction(pool, async (tx) => {
        const { rows } = await tx.query<JobRow>(
          `UPDATE ${s}.jobs SET status = 'FAILED', failure_reason = $2, progress = $3, renditions = $4, eta_seconds = 0,
             completed_at = now(), updated_at = now()
           WHERE job_id = $1 AND status IN ('PENDING', 'PROCESSING') RETURNING *`,
          [jobId, reason, progress.percent, JSON.stringify(progress.renditions)],
        );
        if (rows[0] !== undefined) {
          const job = jobOf(rows[0]);
          await enqueueAll(tx, messages(job));
          return { job, changed: true };
        }
        const current = await tx.query<JobRow>(`SELECT * FROM ${s}.jobs WHERE job_id = $1`, [jobId]);
        return current.rows[0] === undefined ? undefined : { job: jobOf(current.rows[0]), changed: false };
      });
    },

    async startAttempt(jobId, workerId, progress) {
      const { rows } = await pool.query<JobRow>(
        `UPDATE ${s}.jobs SET status = 'PROCESSING', attempts = attempts + 1, worker_id = $2,
           progress = $3, renditions = $4, eta_seconds = $5, started_at = coalesce(started_at, now()), updated_at = now()
         WHERE job_id = $1 AND status IN ('PENDING', 'PROCESSING') RETURNING *`,
        [jobId, workerId, ...progressParams(progress)],
      );
      return rows[0] === undefined ? undefined : jobOf(rows[0]);
    },

    async recordAttemptError(jobId, error) {
      await pool.query(`UPDATE ${s}.jobs SET last_error = $2, updated_at = now() WHERE job_id = $1`, [jobId, error]);
    },

    async releaseAttempt(jobId, workerId) {
      await pool.query(
        `UPDATE ${s}.jobs SET status = 'PENDING', attempts = greatest(attempts - 1, 0), worker_id = '', updated_at = now()
         WHERE job_id = $1 AND status = 'PROCESSING' AND worker_id = $2`,
        [jobId, workerId],
      );
    },

    async saveProgress(jobId, workerId, progress) {
      await pool.query(
        `UPDATE ${s}.jobs SET progress = $3, renditions = $4, eta_seconds = $5, updated_at = now()
         WHERE job_id = $1 AND worker_id = $2 AND status = 'PROCESSING'`,
        [jobId, workerId, ...progressParams(progress)],
      );
    },

    async completeJob(jobId, workerId, outcome, progress, messages) {
      return withTransaction(pool, async (tx) => {
        const { rowCount } = await tx.query(
          `UPDATE ${s}.jobs SET status = 'COMPLETED', outcome = $3, duration_seconds = $4, progress = 100, renditions = $5,
             eta_seconds = 0, completed_at = now(), updated_at = now()
           WHERE job_id = $1 AND worker_id = $2 AND status = 'PROCESSING'`,
          [jobId, workerId, JSON.stringify(outcome), Math.round(outcome.durationSeconds), JSON.stringify(progress.renditions)],
        );
        if (rowCount === 0) return false;
        await enqueueAll(tx, messages);
        return true;
      });
    },

    async latestCompletedJob(videoId) {
      const { rows } = await pool.query<JobRow>(
        `SELECT * FROM ${s}.jobs WHERE video_id = $1 AND status = 'COMPLETED' ORDER BY completed_at DESC LIMIT 1`,
        [videoId],
      );
      return rows[0] === undefined ? undefined : jobOf(rows[0]);
    },

    async upsertSubtitle(videoId, sub) {
      await pool.query(
        `INSERT INTO ${s}.subtitles (video_id, language, closed_captions, label, object_key) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (video_id, language, closed_captions) DO UPDATE SET label = excluded.label, object_key = excluded.object_key, updated_at = now()`,
        [videoId, sub.language, sub.closedCaptions, sub.label, sub.objectKey],
      );
    },

    async listSubtitles(videoId) {
      const { rows } = await pool.query<{ language: string; closed_captions: boolean; label: string; object_key: string }>(
        `SELECT language, closed_captions, label, object_key FROM ${s}.subtitles WHERE video_id = $1 ORDER BY language, closed_captions`,
        [videoId],
      );
      return rows.map((r) => ({ language: r.language, closedCaptions: r.closed_captions, label: r.label, objectKey: r.object_key }));
    },

    async withVideoLock(videoId, fn) {
      // A transaction-scoped advisory lock on a dedicated connection, released on commit.
      return withTransaction(pool, async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`media.video.${videoId}`]);
        return fn();
      });
    },
  };
}

function jobOf(r: JobRow): Job {
  return {
    jobId: r.job_id,
    videoId: r.video_id,
    contentId: r.content_id,
    status: r.status,
    sourceObjectKey: r.source_object_key,
    createdBy: r.created_by,
    attempts: r.attempts,
    percent: r.progress,
    renditions: r.renditions,
    etaSeconds: r.eta_seconds,
    failureReason: r.failure_reason,
    lastError: r.last_error,
    durationSeconds: r.duration_seconds,
    outcome: r.outcome ?? undefined,
    createdAt: r.created_at,
    startedAt: r.started_at ?? undefined,
    completedAt: r.completed_at ?? undefined,
  };
}

function uploadOf(r: UploadRow): UploadSession {
  return {
    uploadId: r.upload_id,
    jobId: r.job_id,
    videoId: r.video_id,
    contentId: r.content_id,
    filename: r.filename,
    sizeBytes: Number(r.size_bytes),
    contentType: r.content_type,
    objectKey: r.object_key,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    completedAt: r.completed_at ?? undefined,
  };
}
