import { AnalyticsService } from "../../gen/cinemesh/analytics/v1/analytics_pb.js";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { TitleCompletedSchema } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { ServiceDefinition } from "../../platform/host/run-service.js";
import { serviceRoutes } from "../../platform/rpc/service-routes.js";
import { readAnalyticsConfig } from "./config.js";
import { flushCounters, startPeriodicFlusher } from "./flusher.js";
import { analyticsHandlers } from "./handlers.js";
import { LiveCounters } from "./live-counters.js";
import { createLookups } from "./lookups.js";
import { createPostgresAnalyticsStore } from "./store-postgres.js";
import { onTitleCompleted } from "./title-completed.js";

const SCHEMA = "analytics";

export interface AnalyticsOptions {
  /** The clock views and QoE reports are bucketed by (tests move it; production uses the real one). */
  now?: () => Date;
}

/**
 * The analytics service: view counting from playback heartbeats (live counters in kv, copied into
 * hourly aggregates in the `analytics` Postgres schema by a periodic flusher), QoE reports per
 * playback session, completions (library's TitleCompleted) per video and hour, and the admin/internal
 * reads over all of it. ViewCounted goes through the outbox.
 */
export function createAnalyticsService(options: AnalyticsOptions = {}): ServiceDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: "analytics",
    services: [AnalyticsService],
    async setup({ env, logger, resources, upstreams }) {
      const config = readAnalyticsConfig(env);
      const pool = await resources.postgres(SCHEMA, new URL("./migrations/", import.meta.url));
      await resources.startOutboxRelay(SCHEMA);
      const kv = await resources.kv();
      const namespace = config.kvNamespace;
      const store = createPostgresAnalyticsStore(pool, SCHEMA, resources.events);
      const counters = new LiveCounters(kv, namespace);
      const flushDeps = { store, counters, graceMs: config.lateHeartbeatGraceMs, now };
      const flusher = startPeriodicFlusher({ ...flushDeps, kv, lockKey: `${namespace}flush-lock`, intervalMs: config.flushIntervalMs, log: logger });
      resources.onClose(() => flusher.stop());
      const completions = await resources.events.subscribe("analytics-completions", TitleCompletedSchema, onTitleCompleted(store, now));
      resources.onClose(() => completions.stop());
      const handlers = analyticsHandlers({
        kv,
        namespace,
        counters,
        store,
        thresholdSeconds: config.viewThresholdSeconds,
        now,
        lookups: createLookups({ kv, namespace, videoTtlMs: config.videoCacheTtlMs, identity: upstreams.client(IdentityService), catalog: upstreams.client(CatalogService) }),
        flush: (videoId) => flushCounters(flushDeps, videoId),
      });
      return { routes: serviceRoutes(AnalyticsService, handlers) };
    },
  };
}

export const analyticsService: ServiceDefinition = createAnalyticsService();
