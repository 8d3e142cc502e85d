import type { OutboxEvent } from "../../platform/events/outbox.js";
import type { EncodingOutcome, Job, JobProgress, SubtitleFile, UploadSession } from "./model.js";

/** An upload session as created: the store stamps `createdAt`; `completedAt` comes later. */
export type NewUpload = Omit<UploadSession, "createdAt" | "completedAt">;

/**
 * Storage of jobs, uploads and subtitles. Every state change that others must hear of takes the
 * outbox messages (events, work-queue tasks) to commit with it.
 */
export interface MediaStore {
  /** Creates the PENDING job and its upload session together. */
  createUpload(upload: NewUpload): Promise<void>;
  getUpload(uploadId: string): Promise<UploadSession | undefined>;
  /** Up to `limit` uploads not completed by `now` although they expired, whose job still waits for the bytes; oldest first. */
  abandonedUploads(now: Date, limit: number): Promise<UploadSession[]>;
  getJob(jobId: string): Promise<Job | undefined>;
  /**
   * Marks the upload received and commits `messages` (the task and the uploaded event), unless it
   * was already; resolves to whether this call did it.
   */
  markUploaded(uploadId: string, messages: OutboxEvent[]): Promise<boolean>;
  /** Fails a job that is not final yet; resolves to the job as it now is, undefined when unknown. */
  failJob(jobId: string, reason: string, progress: JobProgress, messages: (job: Job) => OutboxEvent[]): Promise<{ job: Job; changed: boolean } | undefined>;
  /**
   * Starts a delivery: PENDING or PROCESSING becomes PROCESSING, attempts + 1, progress reset.
   * Undefined when the job is unknown or final.
   */
  startAttempt(jobId: string, workerId: string, progress: JobProgress): Promise<Job | undefined>;
  recordAttemptError(jobId: string, error: string): Promise<void>;
  /**
   * A worker gives a job back unfinished (it is shutting down): PENDING again, and the attempt is
   * not counted. Only the worker that holds the job can.
   */
  releaseAttempt(jobId: string, workerId: string): Promise<void>;
  /** Latest progress of a job `workerId` is processing (throttled by the caller). */
  saveProgress(jobId: string, workerId: string, progress: JobProgress): Promise<void>;
  /**
   * PROCESSING by `workerId` becomes COMPLETED with its outcome; false when the job is not that
   * worker's any more (taken over after its heartbeats stopped) or not PROCESSING.
   */
  completeJob(jobId: string, workerId: string, outcome: EncodingOutcome, progress: JobProgress, messages: OutboxEvent[]): Promise<boolean>;
  latestCompletedJob(videoId: string): Promise<Job | undefined>;
  upsertSubtitle(videoId: string, subtitle: SubtitleFile): Promise<void>;
  listSubtitles(videoId: string): Promise<SubtitleFile[]>;
  /** Runs `fn` holding a lock on the video across every media process (serialises playlist rewrites). */
  withVideoLock<T>(videoId: string, fn: () => Promise<T>): Promise<T>;
}
