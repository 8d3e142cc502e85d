import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { createServiceTokenSource } from "../../platform/auth/service-token.js";
import type { Env } from "../../platform/config.js";
import { ServiceResources } from "../../platform/host/resources.js";
import { Upstreams } from "../../platform/rpc/clients.js";
import { catalogPort } from "./catalog.js";
import { readMediaConfig, readServiceSigningKey } from "./config.js";
import type { Encoder } from "./encoder.js";
import { ffmpegEncoder } from "./encoder-binding.js";
import { MediaMessages } from "./events.js";
import { busLiveProgress } from "./live.js";
import { MEDIA_MIGRATIONS, MEDIA_SCHEMA } from "./service.js";
import { createPostgresStore } from "./store-postgres.js";
import { startEncodingWorker, type EncodingWorker } from "./worker.js";

/**
 * An encoding worker process's parts, opened from the environment like a service's: Postgres (the
 * jobs), the object store, the bus (work queue, live progress), the catalog with a service token.
 * It relays media's outbox too, so events it commits go out even if no media replica runs.
 */
export async function startMediaWorker(env: Env, logger: Logger, options: { encoder?: Encoder } = {}): Promise<EncodingWorker> {
  const config = readMediaConfig(env);
  const serviceToken = await createServiceTokenSource(readServiceSigningKey(env), "media");
  const resources = new ServiceResources(env, "media", logger);
  try {
    const pool = await resources.postgres(MEDIA_SCHEMA, MEDIA_MIGRATIONS);
    await resources.startOutboxRelay(MEDIA_SCHEMA);
    const [objects, bus] = await Promise.all([resources.objects(), resources.bus()]);
    const worker = await startEncodingWorker({
      store: createPostgresStore(pool, MEDIA_SCHEMA),
      objects,
      bus,
      catalog: catalogPort(new Upstreams(env).client(CatalogService)),
      messages: new MediaMessages(resources.events, bus.namespace),
      live: busLiveProgress(bus),
      encoder: options.encoder ?? ffmpegEncoder(logger, config),
      serviceAuth: serviceToken,
      workDir: config.workDir,
      maxAttempts: config.maxAttempts,
      ackWaitMs: config.ackWaitMs,
      concurrency: config.workerConcurrency,
      progressPersistMs: config.progressPersistMs,
      progressPublishMs: config.progressPublishMs,
      workerId: `${hostname()}-${process.pid}-${randomBytes(4).toString("hex")}`,
      log: logger,
    });
    logger.info({ concurrency: config.workerConcurrency, maxAttempts: config.maxAttempts }, "encoding worker consuming");
    return {
      async stop(opts) {
        try {
          await worker.stop(opts);
        } finally {
          await resources.close();
        }
      },
    };
  } catch (err) {
    await resources.close();
    throw err;
  }
}
