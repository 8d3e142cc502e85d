import { MediaService } from "../../gen/cinemesh/media/v1/media_pb.js";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { createTokenVerifier } from "../../platform/auth/tokens.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { serviceRoutes } from "../../platform/rpc/service-routes.js";
import { catalogPort } from "./catalog.js";
import { scheduleUploadSweep } from "./abandoned-uploads.js";
import { readMediaConfig } from "./config.js";
import type { Encoder } from "./encoder.js";
import { ffmpegEncoder } from "./encoder-binding.js";
import { MediaMessages } from "./events.js";
import { mediaHandlers } from "./handlers.js";
import { busLiveProgress } from "./live.js";
import { createPostgresStore } from "./store-postgres.js";
import { multipartEndpoint } from "./upload/multipart.js";
import { uploadRoutes } from "./upload/routes.js";
import { fileStaging, s3Staging } from "./upload/staging.js";
import { tusEndpoint } from "./upload/tus.js";
import { completeUpload, createUpload, type UploadDeps } from "./uploads.js";

/** The service's Postgres schema, which also holds its outbox. */
export const MEDIA_SCHEMA = "media";

export const MEDIA_MIGRATIONS = new URL("./migrations/", import.meta.url);

/**
 * The media service: uploads (tus and multipart, through the host's plain-HTTP hook), encoding
 * jobs in Postgres with their task and events through the outbox, progress streams fed live over
 * the bus. The encoding itself runs in worker processes (worker-main.ts). `probe` can be swapped
 * by tests; production probes with ffprobe.
 */
export function createMediaService(options: { probe?: Encoder["probe"] } = {}): ServiceDefinition {
  return {
    name: "media",
    services: [MediaService],
    async setup({ config: host, env, logger, resources, upstreams }) {
      const config = readMediaConfig(env);
      const pool = await resources.postgres(MEDIA_SCHEMA, MEDIA_MIGRATIONS);
      await resources.startOutboxRelay(MEDIA_SCHEMA);
      const [objects, bus] = await Promise.all([resources.objects(), resources.bus()]);
      const store = createPostgresStore(pool, MEDIA_SCHEMA);
      const staging = config.s3 === undefined ? fileStaging(config.uploadDir) : s3Staging(config.s3, objects);
      const deps: UploadDeps = {
        store,
        objects,
        catalog: catalogPort(upstreams.client(CatalogService)),
        messages: new MediaMessages(resources.events, bus.namespace),
        staging,
        probe: options.probe ?? ffmpegEncoder(logger, config).probe,
        maxUploadBytes: config.maxUploadBytes,
        uploadTtlMs: config.uploadTtlMs,
        log: logger,
      };
      const sweep = scheduleUploadSweep(deps, config.uploadSweepIntervalMs, logger);
      resources.onClose(sweep.stop);
      const verifier = await createTokenVerifier(host.authPublicKeyPem);
      const http = uploadRoutes(
        tusEndpoint({ ...deps, verifier, complete: (s) => completeUpload(deps, s.uploadId, "staged") }),
        multipartEndpoint({
          verifier,
          uploadDir: config.uploadDir,
          maxUploadBytes: config.maxUploadBytes,
          log: logger,
          create: (req, _claims, authorization) => createUpload(deps, req, async () => authorization || undefined, { staged: false }),
          complete: (session, localPath) => completeUpload(deps, session.uploadId, { kind: "local", path: localPath }),
        }),
      );
      const handlers = mediaHandlers({ ...deps, live: busLiveProgress(bus), pollMs: config.watchPollMs });
      return { routes: serviceRoutes(MediaService, handlers), http };
    },
  };
}

export const mediaService = createMediaService();
