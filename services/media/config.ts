import { readKeyPem } from "../../platform/auth/key-env.js";
import { tmpdir } from "node:os";
import path from "node:path";
import { EnvReader, type Env } from "../../platform/config.js";
import { DEFAULT_PROBE_TIMEOUT_MS } from "./encoding/probe.js";

const GiB = 1024 ** 3;

/** Settings of the media service and its encoding workers, read once at start-up (README lists them). */
export interface MediaConfig {
  /** Largest source accepted, checked on the declared length and on the bytes received. */
  maxUploadBytes: number;
  /** Uploads must complete within this; an older unfinished one is abandoned and swept. */
  uploadTtlMs: number;
  /** How often each media process looks for abandoned uploads; 0 turns the sweep off. */
  uploadSweepIntervalMs: number;
  /** Where the embedded tus store keeps partial uploads (shared by the media processes of one machine). */
  uploadDir: string;
  /** S3 settings for the tus S3 store (S3_ENDPOINT set): partial uploads go straight to the bucket. */
  s3: { endpoint: string; bucket: string; region: string; accessKeyId?: string; secretAccessKey?: string } | undefined;
  /** Deliveries of one job before it fails for good. */
  maxAttempts: number;
  /** How long a delivery may go without a heartbeat before another worker takes the job. */
  ackWaitMs: number;
  /** Jobs one worker process encodes at once. */
  workerConcurrency: number;
  /** Scratch space of the workers (sources and outputs of jobs in progress). */
  workDir: string;
  /** Minimum interval between two progress writes of one job to Postgres. */
  progressPersistMs: number;
  /** Minimum interval between two live progress messages of one job (state changes go at once). */
  progressPublishMs: number;
  /** A WatchJob stream re-reads the job this often, in case a live message was lost. */
  watchPollMs: number;
  /** ffprobe is killed and the upload refused when probing it takes longer than this. */
  probeTimeoutMs: number;
}

/**
 *   MEDIA_MAX_UPLOAD_BYTES        largest source, default 21474836480 (20 GiB)
 *   MEDIA_UPLOAD_TTL_SECONDS      time to finish an upload (max age of an unfinished one), default 86400 (24 h)
 *   MEDIA_UPLOAD_SWEEP_INTERVAL_SECONDS   how often abandoned uploads are swept, default 600; 0 = never
 *   MEDIA_UPLOAD_DIR              embedded tus store, default <CINEMESH_DATA_DIR>/uploads
 *   MEDIA_MAX_ATTEMPTS            deliveries of one job before it fails, default 3
 *   MEDIA_ACK_WAIT_MS             heartbeat deadline of a job in progress, default 60000
 *   MEDIA_WORKER_CONCURRENCY      jobs per worker process, default 1
 *   MEDIA_WORK_DIR                worker scratch space, default <os tmp>/cinemesh-media
 *   MEDIA_PROGRESS_PERSIST_MS     progress writes per job, default 1000
 *   MEDIA_PROGRESS_PUBLISH_MS     live progress messages per job, default 250
 *   MEDIA_WATCH_POLL_MS           WatchJob's safety-net re-read, default 2000
 *   MEDIA_PROBE_TIMEOUT_MS        longest ffprobe may take on one upload before it is refused, default 30000
 *   MEDIA_UPLOAD_STORE            s3 (default with S3_ENDPOINT) or file: where tus keeps partial uploads
 *   S3_ENDPOINT, S3_BUCKET, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY   as for the object store
 */
export function readMediaConfig(env: Env): MediaConfig {
  const r = new EnvReader(env);
  const dataDir = path.resolve(r.string("CINEMESH_DATA_DIR", ".cinemesh"));
  // Where tus keeps partial uploads: straight in the bucket (S3 multipart) when the object store is
  // S3, unless MEDIA_UPLOAD_STORE=file stages them on local disk first (needed with S3-compatible
  // servers that lack ListParts, such as the s3rver CI runs).
  const uploadStore = r.oneOf("MEDIA_UPLOAD_STORE", ["s3", "file"], r.optional("S3_ENDPOINT") === undefined ? "file" : "s3");
  if (uploadStore === "s3" && r.optional("S3_ENDPOINT") === undefined) r.problem("MEDIA_UPLOAD_STORE=s3 needs S3_ENDPOINT");
  const endpoint = uploadStore === "s3" ? r.optional("S3_ENDPOINT") : undefined;
  const config: MediaConfig = {
    maxUploadBytes: r.int("MEDIA_MAX_UPLOAD_BYTES", 20 * GiB, 1, 200 * GiB),
    uploadTtlMs: r.int("MEDIA_UPLOAD_TTL_SECONDS", 24 * 3600, 1, 30 * 24 * 3600) * 1000,
    uploadSweepIntervalMs: r.int("MEDIA_UPLOAD_SWEEP_INTERVAL_SECONDS", 600, 0, 24 * 3600) * 1000,
    uploadDir: path.resolve(r.string("MEDIA_UPLOAD_DIR", path.join(dataDir, "uploads"))),
    s3:
      endpoint === undefined
        ? undefined
        : {
            endpoint,
            bucket: r.string("S3_BUCKET", "cinemesh"),
            region: r.string("S3_REGION", "us-east-1"),
            accessKeyId: r.optional("S3_ACCESS_KEY_ID"),
            secretAccessKey: r.optional("S3_SECRET_ACCESS_KEY"),
          },
    maxAttempts: r.int("MEDIA_MAX_ATTEMPTS", 3, 1, 100),
    ackWaitMs: r.int("MEDIA_ACK_WAIT_MS", 60_000, 1_000, 3_600_000),
    workerConcurrency: r.int("MEDIA_WORKER_CONCURRENCY", 1, 1, 64),
    workDir: path.resolve(r.string("MEDIA_WORK_DIR", path.join(tmpdir(), "cinemesh-media"))),
    progressPersistMs: r.int("MEDIA_PROGRESS_PERSIST_MS", 1000, 0, 60_000),
    progressPublishMs: r.int("MEDIA_PROGRESS_PUBLISH_MS", 250, 0, 60_000),
    watchPollMs: r.int("MEDIA_WATCH_POLL_MS", 2000, 50, 60_000),
    probeTimeoutMs: r.int("MEDIA_PROBE_TIMEOUT_MS", DEFAULT_PROBE_TIMEOUT_MS, 1_000, 3_600_000),
  };
  r.done();
  return config;
}

/**
 * The key that signs the worker's service tokens: `SERVICE_TOKEN_PRIVATE_KEY` (PEM) or
 * `SERVICE_TOKEN_PRIVATE_KEY_FILE` (default `<data dir>/keys/service-private.pem`, written by the
 * launcher). Never the identity key: the worker parses hostile files, and a service token can
 * neither act as a member nor as an admin.
 */
export function readServiceSigningKey(env: Env): string {
  const r = new EnvReader(env);
  const pem = readKeyPem(r, path.resolve(r.string("CINEMESH_DATA_DIR", ".cinemesh")), "servicePrivate");
  r.done();
  return pem;
}
