import { backoffMs } from "../../platform/events/backoff.js";
import { isTerminal, type Job, type JobStatus } from "./model.js";

/**
 * The encoding job's state machine, as plain decisions:
 *
 *   PENDING ──upload received, probed, queued──▶ PENDING (on the work queue)
 *   PENDING ──a worker takes the task──▶ PROCESSING ──▶ COMPLETED
 *   PROCESSING ──redelivered (worker crashed, was stopped)──▶ PROCESSING (taken over, attempt + 1)
 *   PENDING | PROCESSING ──rejected input, or attempts used up──▶ FAILED
 *
 * COMPLETED and FAILED are final. Attempts are counted in the job row when a delivery starts, so a
 * worker that dies mid-job still used up an attempt: a source that crashes every worker fails
 * after MEDIA_MAX_ATTEMPTS deliveries instead of looping forever.
 */

const NEXT: Record<JobStatus, readonly JobStatus[]> = {
  PENDING: ["PROCESSING", "FAILED"],
  PROCESSING: ["PROCESSING", "COMPLETED", "FAILED"],
  COMPLETED: [],
  FAILED: [],
};

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return NEXT[from].includes(to);
}

export type DeliveryPlan =
  /** Nothing to do: the job is unknown or already final (a duplicate delivery). */
  | { kind: "skip"; why: string }
  /** Attempts are used up: fail the job with `reason`. */
  | { kind: "give-up"; reason: string }
  | { kind: "run" };

/** What a worker does with a delivery of `job`'s task. */
export function planDelivery(job: Job | undefined, maxAttempts: number): DeliveryPlan {
  if (job === undefined) return { kind: "skip", why: "unknown job" };
  if (isTerminal(job.status)) return { kind: "skip", why: `job already ${job.status}` };
  if (job.attempts >= maxAttempts) return { kind: "give-up", reason: gaveUpReason(job.attempts, job.lastError) };
  return { kind: "run" };
}

export function gaveUpReason(attempts: number, lastError: string): string {
  const cause = lastError || "the worker stopped before finishing (it crashed or was killed)";
  return `encoding gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${cause}`;
}

/** A failure the same input would hit again: no point retrying. */
export class InputRejectedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "InputRejectedError";
  }
}

export type FailurePlan = { kind: "retry"; delayMs: number } | { kind: "fail"; reason: string };

/** After attempt number `attempt` failed with `error`: retry later, or fail the job for good. */
export function planAfterFailure(attempt: number, maxAttempts: number, error: unknown): FailurePlan {
  const message = describeError(error);
  if (error instanceof InputRejectedError) return { kind: "fail", reason: message };
  if (attempt >= maxAttempts) return { kind: "fail", reason: gaveUpReason(attempt, message) };
  return { kind: "retry", delayMs: backoffMs(attempt, 1000, 60_000) };
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().slice(0, 2000) || "unknown error";
}
