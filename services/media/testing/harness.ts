import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type pg from "pg";
import { createTokenSigner, generateAuthKeyPair } from "../../../platform/auth/tokens.js";
import type { Bus } from "../../../platform/events/bus.js";
import { startService } from "../../../platform/host/run-service.js";
import { createLogger } from "../../../platform/logger.js";
import type { ObjectStore } from "../../../platform/storage/objects.js";
import { createPool } from "../../../platform/storage/postgres.js";
import { openBus, openObjects } from "../../../platform/storage/select.js";
import { openTestDatabase } from "../../../platform/storage/testing/test-database.js";
import { deleteNatsStreams } from "../../../platform/events/nats-streams.js";
import type { Encoder } from "../encoder.js";
import type { Job } from "../model.js";
import { createMediaService, MEDIA_SCHEMA } from "../service.js";
import type { MediaStore } from "../store.js";
import { createPostgresStore } from "../store-postgres.js";
import type { EncodingWorker } from "../worker.js";
import { startMediaWorker } from "../worker-runtime.js";
import { startCatalogFake, type CatalogFake } from "../../../platform/testing/catalog-fake.js";

/**
 * Media on the engines the environment names (DATABASE_URL, NATS_URL, S3_ENDPOINT) or the embedded
 * ones: its own database, bus namespace, object-store folder (or bucket) and token keys, the catalog
 * fake, and any number of media replicas and encoding workers, each with its own connections
 * as separate processes would have. `close()` removes every trace.
 */
export interface MediaHarness {
  env: Record<string, string | undefined>;
  catalog: CatalogFake;
  objects: ObjectStore;
  store: MediaStore;
  pool: pg.Pool;
  bus: Bus;
  dataDir: string;
  adminHeaders(userId?: string): Promise<Record<string, string>>;
  memberHeaders(): Promise<Record<string, string>>;
  startMedia(extraEnv?: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }>;
  startWorker(encoder?: Encoder, extraEnv?: Record<string, string>): Promise<EncodingWorker>;
  /** Polls the job until `done` holds (tests never assert on time; the suite's timeout bounds this). */
  waitForJob(jobId: string, done: (job: Job) => boolean): Promise<Job>;
  close(): Promise<void>;
}

export async function startMediaHarness(extraEnv: Record<string, string> = {}): Promise<MediaHarness> {
  const keys = await generateAuthKeyPair();
  const serviceKeys = await generateAuthKeyPair();
  const signer = await createTokenSigner(keys.privateKeyPem);
  const db = await openTestDatabase(process.env.DATABASE_URL ? "DATABASE_URL" : "embedded");
  const dataDir = await mkdtemp(path.join(tmpdir(), "cinemesh-media-"));
  const namespace = `t${randomBytes(5).toString("hex")}`;
  const base = { AUTH_PUBLIC_KEY: keys.publicKeyPem, SERVICE_TOKEN_PUBLIC_KEY: serviceKeys.publicKeyPem, LOG_LEVEL: process.env.MEDIA_TEST_LOG_LEVEL ?? "silent" };
  const catalog = await startCatalogFake(base);
  const env: Record<string, string | undefined> = {
    ...base,
    // The worker signs service tokens with the service key; nothing here holds the identity key.
    SERVICE_TOKEN_PRIVATE_KEY: serviceKeys.privateKeyPem,
    MEDIA_PORT: "0",
    DATABASE_URL: db.url,
    NATS_URL: process.env.NATS_URL,
    S3_ENDPOINT: process.env.S3_ENDPOINT,
    S3_BUCKET: process.env.S3_ENDPOINT ? `cinemesh-test-${randomBytes(4).toString("hex")}` : undefined,
    S3_REGION: process.env.S3_REGION,
    S3_ACCESS_KEY_ID: process.env.S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: process.env.S3_SECRET_ACCESS_KEY,
    MEDIA_UPLOAD_STORE: process.env.MEDIA_UPLOAD_STORE,
    BUS_NAMESPACE: namespace,
    CATALOG_ADDR: catalog.url,
    CINEMESH_DATA_DIR: dataDir,
    MEDIA_WORK_DIR: path.join(dataDir, "work"),
    MEDIA_WATCH_POLL_MS: "500",
    MEDIA_PROGRESS_PUBLISH_MS: "0",
    MEDIA_PROGRESS_PERSIST_MS: "0",
    ...extraEnv,
  };
  const pool = createPool(db.url, { max: 4 });
  const bus = await openBus(env, pool, { service: "test" });
  const objects = await openObjects(env);
  const stops: Array<() => Promise<void>> = [];

  const sign = async (role: "admin" | "member", userId: string = randomUUID()) => {
    const { token } = await signer.sign({ userId, role, sessionId: randomUUID() }, 600);
    return { authorization: `Bearer ${token}` };
  };

  const store = createPostgresStore(pool, MEDIA_SCHEMA);
  return {
    env,
    catalog,
    objects,
    store,
    pool,
    bus,
    dataDir,
    adminHeaders: (userId) => sign("admin", userId),
    memberHeaders: () => sign("member"),
    async startMedia(extra = {}) {
      const media = await startService(createMediaService(), { ...env, ...extra });
      stops.push(media.stop);
      return { url: media.host.url, stop: media.stop };
    },
    async startWorker(encoder, extra = {}) {
      const worker = await startMediaWorker({ ...env, ...extra }, createLogger("media-worker", "silent"), { encoder });
      let stopped = false;
      const stopOnce = async (opts?: { finish?: boolean }) => {
        if (stopped) return;
        stopped = true;
        await worker.stop(opts);
      };
      stops.push(() => stopOnce());
      return { stop: stopOnce };
    },
    async waitForJob(jobId, done) {
      for (;;) {
        const job = await store.getJob(jobId);
        if (job !== undefined && done(job)) return job;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      for (const stop of stops.reverse()) await stop();
      await catalog.stop();
      await bus.close();
      await objects.close();
      await pool.end();
      await db.drop();
      if (process.env.NATS_URL) await deleteNatsStreams(process.env.NATS_URL, namespace);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
