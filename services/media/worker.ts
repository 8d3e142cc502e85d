import { fromBinary } from "@bufbuild/protobuf";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Logger } from "pino";
import { EncodingTaskSchema } from "../../gen/cinemesh/media/v1/media_types_pb.js";
import { ack, nak, term, type Bus, type BusMessage, type Consumer, type Disposition } from "../../platform/events/bus.js";
import { keepWorking } from "../../platform/events/keep-working.js";
import type { ObjectStore } from "../../platform/storage/objects.js";
import type { Authorization, CatalogPort } from "./catalog.js";
import type { Encoder, EncoderSubtitle } from "./encoder.js";
import { encodeTaskSubject, type MediaMessages } from "./events.js";
import { describeError, InputRejectedError, planAfterFailure, planDelivery } from "./jobs.js";
import type { LiveProgress } from "./live.js";
import { objectKeys, type Job, type JobProgress } from "./model.js";
import { listFiles, outcomeOf, uploadDir } from "./outputs.js";
import { applyEncoderUpdate, applyUploadProgress, changesState, completedProgress, estimateEtaSeconds, failedProgress, processingProgress, Throttle } from "./progress.js";
import type { MediaStore } from "./store.js";
import { addSubtitlesToMaster } from "./subtitles.js";

/** Consumer group of the encoding workers on the work queue. */
export const ENCODERS_DURABLE = "media-encoders";

export interface WorkerDeps {
  store: MediaStore;
  objects: ObjectStore;
  catalog: CatalogPort;
  messages: MediaMessages;
  live: LiveProgress;
  encoder: Encoder;
  /** The worker's own (service) token for the catalog. */
  serviceAuth: Authorization;
  /** Scratch space; each attempt works in its own folder below it. */
  workDir: string;
  maxAttempts: number;
  progressPersistMs: number;
  progressPublishMs: number;
  /** Unique per process: who holds a job. */
  workerId: string;
  log: Logger;
  now?: () => number;
}

/** How a delivery ended. */
export type TaskOutcome = "completed" | "failed" | "skipped" | "released" | { retryInMs: number };

/**
 * One delivery of an encoding task: take the job over (attempt + 1), clear its output prefix,
 * download the original, probe, encode, upload the outputs, tell the catalog, then mark the job
 * COMPLETED with VideoEncoded in the outbox. Progress goes out live and, throttled, to the job row.
 * An aborted `signal` (shutdown) gives the job back uncounted; a failure is retried with backoff
 * until the attempts are used up, then the job fails and its objects are deleted.
 */
export async function runTask(deps: WorkerDeps, jobId: string, signal: AbortSignal): Promise<TaskOutcome> {
  const plan = planDelivery(await deps.store.getJob(jobId), deps.maxAttempts);
  if (plan.kind === "skip") {
    deps.log.info({ jobId, why: plan.why }, "skipping encoding task");
    return "skipped";
  }
  if (plan.kind === "give-up") {
    const job = (await deps.store.getJob(jobId))!;
    await failJob(deps, job, processingProgress(), plan.reason);
    return "failed";
  }
  const job = await deps.store.startAttempt(jobId, deps.workerId, processingProgress());
  if (job === undefined) return "skipped";
  const log = deps.log.child({ jobId, videoId: job.videoId, attempt: job.attempts });
  log.info("encoding job started");
  await tellCatalog(deps, job, "PROCESSING");
  const reporter = new ProgressReporter(deps, job);
  reporter.update((p) => p, true);
  const scratch = path.join(deps.workDir, `${jobId}-${job.attempts}`);
  try {
    const outcome = await encodeJob(deps, job, scratch, reporter, signal);
    await reporter.flush();
    const done = completedProgress(reporter.progress);
    if (!(await deps.store.completeJob(jobId, deps.workerId, outcome, done, [deps.messages.videoEncoded(job, outcome)]))) {
      log.warn("job was taken over by another worker; dropping this attempt's result");
      return "skipped";
    }
    await reporter.publishNow(done);
    log.info({ seconds: outcome.encodingSeconds }, "encoding job completed");
    return "completed";
  } catch (err) {
    await reporter.flush();
    if (signal.aborted) {
      await deps.store.releaseAttempt(jobId, deps.workerId);
      log.info("encoding job released (worker stopping)");
      return "released";
    }
    const next = planAfterFailure(job.attempts, deps.maxAttempts, err);
    if (next.kind === "retry") {
      await deps.store.recordAttemptError(jobId, describeError(err));
      log.warn({ err, retryInMs: next.delayMs }, "encoding attempt failed; will retry");
      return { retryInMs: next.delayMs };
    }
    log.warn({ err, reason: next.reason }, "encoding job failed");
    await failJob(deps, job, reporter.progress, next.reason);
    return "failed";
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function encodeJob(deps: WorkerDeps, job: Job, scratch: string, reporter: ProgressReporter, signal: AbortSignal) {
  const prefix = objectKeys.outputPrefix(job.videoId, job.jobId);
  // Whatever an earlier delivery of this job left behind goes first: one job, one set of outputs.
  await deps.objects.deletePrefix(prefix);
  await mkdir(scratch, { recursive: true });
  const source = path.join(scratch, "source");
  const read = await deps.objects.get(job.sourceObjectKey);
  await pipeline(read.body, createWriteStream(source), { signal });
  try {
    await deps.encoder.probe(source);
  } catch (err) {
    throw new InputRejectedError(`not a playable video: ${describeError(err)}`);
  }
  const subtitles = await downloadSubtitles(deps, job, path.join(scratch, "subtitles"));
  const outDir = path.join(scratch, "out");
  await mkdir(outDir, { recursive: true });
  const started = (deps.now ?? Date.now)();
  const result = await deps.encoder.encode({
    sourcePath: source,
    workDir: outDir,
    subtitles,
    signal,
    onProgress: (u) => {
      if (u.kind !== undefined && u.kind !== "video") return; // audio and artwork ride along with the rungs
      reporter.update((p) => applyEncoderUpdate(p, u), changesState(reporter.progress, u));
    },
  });
  signal.throwIfAborted();
  const files = await listFiles(outDir);
  const total = files.reduce((n, f) => n + f.size, 0) || 1;
  reporter.update((p) => applyUploadProgress(p, 0), true);
  await uploadDir(deps.objects, outDir, prefix, files, (sent) => reporter.update((p) => applyUploadProgress(p, sent / total)), signal);
  const outcome = outcomeOf(result, prefix, ((deps.now ?? Date.now)() - started) / 1000);
  await addSubtitlesToMaster(deps, job.videoId, job.jobId, outcome);
  await deps.catalog.recordRenditions(job.videoId, job.jobId, outcome, deps.serviceAuth);
  return outcome;
}

async function downloadSubtitles(deps: WorkerDeps, job: Job, dir: string): Promise<EncoderSubtitle[]> {
  const subtitles = await deps.store.listSubtitles(job.videoId);
  if (subtitles.length === 0) return [];
  await mkdir(dir, { recursive: true });
  const out: EncoderSubtitle[] = [];
  for (const s of subtitles.filter((s, i, all) => all.findIndex((o) => o.language === s.language) === i)) {
    const file = path.join(dir, `${s.language}${s.closedCaptions ? ".cc" : ""}.vtt`);
    await pipeline((await deps.objects.get(s.objectKey)).body, createWriteStream(file));
    out.push({ language: s.language, label: s.label, path: file, format: "webvtt" });
  }
  return out;
}

/** Fails the job for good: its objects go, the uploader hears of it (VideoEncodingFailed). */
async function failJob(deps: WorkerDeps, job: Job, progress: JobProgress, reason: string): Promise<void> {
  await deps.objects.deletePrefix(objectKeys.outputPrefix(job.videoId, job.jobId));
  await deps.objects.deletePrefix(objectKeys.originalPrefix(job.videoId, job.jobId));
  const failed = failedProgress(progress, reason);
  await tellCatalog(deps, job, "FAILED");
  await deps.store.failJob(job.jobId, reason, failed, (j) => [deps.messages.videoEncodingFailed(j, reason)]);
  await deps.live.publish(job.jobId, job.videoId, failed).catch((err: unknown) => deps.log.warn({ err }, "live progress failed"));
}

/**
 * Shows the job's state on the catalog's video (PROCESSING, FAILED; RecordRenditions makes it
 * READY). Only what people see depends on it, not the job: a catalog that cannot be reached is
 * logged and the job goes on (the next report or RecordRenditions brings the video up to date).
 */
async function tellCatalog(deps: WorkerDeps, job: Job, status: "PROCESSING" | "FAILED"): Promise<void> {
  try {
    await deps.catalog.setEncodingStatus(job.videoId, job.jobId, status, deps.serviceAuth);
  } catch (err) {
    deps.log.warn({ err, jobId: job.jobId, videoId: job.videoId, status }, "could not tell the catalog the video's encoding status");
  }
}

/**
 * Keeps a job's progress: every update goes live (throttled, state changes at once) and into the
 * job row at most once per `progressPersistMs`, so a watcher who connects mid-job starts close to
 * the truth. Writes are chained, so they land in order; a failed one is logged, never fatal.
 */
class ProgressReporter {
  progress: JobProgress = processingProgress();
  private readonly persistThrottle: Throttle;
  private readonly publishThrottle: Throttle;
  private chain: Promise<void> = Promise.resolve();
  private readonly startedAt: number;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly job: Job,
  ) {
    this.persistThrottle = new Throttle(deps.progressPersistMs);
    this.publishThrottle = new Throttle(deps.progressPublishMs);
    this.startedAt = this.now();
  }

  update(change: (p: JobProgress) => JobProgress, important = false): void {
    const p = change(this.progress);
    this.progress = { ...p, etaSeconds: estimateEtaSeconds(p.percent, (this.now() - this.startedAt) / 1000) };
    const snapshot = this.progress;
    const now = this.now();
    const publish = this.publishThrottle.pass(now, important);
    const persist = this.persistThrottle.pass(now, important);
    if (!publish && !persist) return;
    this.chain = this.chain.then(async () => {
      try {
        if (publish) await this.deps.live.publish(this.job.jobId, this.job.videoId, snapshot);
        if (persist) await this.deps.store.saveProgress(this.job.jobId, this.deps.workerId, snapshot);
      } catch (err) {
        this.deps.log.warn({ err, jobId: this.job.jobId }, "recording progress failed");
      }
    });
  }

  async publishNow(p: JobProgress): Promise<void> {
    this.progress = p;
    await this.flush();
    await this.deps.live.publish(this.job.jobId, this.job.videoId, p).catch((err: unknown) => this.deps.log.warn({ err }, "live progress failed"));
  }

  flush(): Promise<void> {
    return this.chain;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

export interface EncodingWorker {
  /**
   * Stops taking tasks. A job in progress is given back at once (PENDING, attempt not counted) and
   * goes to another worker; `{ finish: true }` lets it finish instead.
   */
  stop(options?: { finish?: boolean }): Promise<void>;
}

/**
 * Consumes the encoding work queue until stopped: a durable pull consumer in group
 * `media-encoders` (any number of worker processes share it), heartbeating each job well within
 * the ack wait so a long encode stays with its worker while it lives.
 */
export async function startEncodingWorker(deps: WorkerDeps & { bus: Bus; ackWaitMs: number; concurrency: number }): Promise<EncodingWorker> {
  const stopping = new AbortController();
  const handler = async (msg: BusMessage): Promise<Disposition> => {
    let jobId: string;
    try {
      jobId = fromBinary(EncodingTaskSchema, msg.data).jobId;
    } catch (err) {
      return term(`undecodable encoding task: ${describeError(err)}`);
    }
    const outcome = await keepWorking(msg, Math.max(250, Math.floor(deps.ackWaitMs / 3)), () => runTask(deps, jobId, stopping.signal), deps.log);
    if (outcome === "released") return nak(0);
    if (outcome === "failed") return term("encoding job failed");
    if (typeof outcome === "object") return nak(outcome.retryInMs);
    return ack();
  };
  const consumer: Consumer = await deps.bus.consume({
    stream: "work",
    durable: ENCODERS_DURABLE,
    filterSubject: encodeTaskSubject(deps.bus.namespace),
    handler,
    ackWaitMs: deps.ackWaitMs,
    concurrency: deps.concurrency,
  });
  return {
    async stop(options = {}) {
      if (!options.finish) stopping.abort(new Error("the worker is stopping"));
      await consumer.stop();
    },
  };
}
