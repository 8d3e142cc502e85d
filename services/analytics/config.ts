import { EnvReader, type Env } from "../../platform/config.js";
import { VIDEO_FACTS_TTL_MS } from "../../platform/rpc/video-facts.js";

export interface AnalyticsConfig {
  /** Played seconds a profile needs on a video before its playing counts as a view. */
  viewThresholdSeconds: number;
  /** How often live counters are written into the hourly aggregates. */
  flushIntervalMs: number;
  /**
   * How long after an hour ends its counters may still change (heartbeats in flight); the hour's
   * aggregate is final, and no longer re-read, after the first flush past it.
   */
  lateHeartbeatGraceMs: number;
  /** How long a video's catalog facts (its title, rating) are reused for heartbeats and QoE reports. */
  videoCacheTtlMs: number;
  /** Prefix of every key the service keeps in kv, so deployments or test runs sharing one Redis never collide. */
  kvNamespace: string;
}

/**
 *   ANALYTICS_VIEW_THRESHOLD_SECONDS   played seconds that make a view, default 30
 *   ANALYTICS_FLUSH_INTERVAL_MS        live counters → hourly aggregates, default 60000 (1 min)
 *   ANALYTICS_LATE_GRACE_MS            late heartbeats accepted into a closed hour, default 300000 (5 min)
 *   ANALYTICS_VIDEO_CACHE_TTL_MS       video facts cache, default 300000 (5 min), 0: none
 *   ANALYTICS_KV_NAMESPACE             prefix of the service's kv keys, default empty
 */
export function readAnalyticsConfig(env: Env): AnalyticsConfig {
  const r = new EnvReader(env);
  const kvNamespace = r.string("ANALYTICS_KV_NAMESPACE", "");
  if (!/^[A-Za-z0-9_.:-]*$/.test(kvNamespace)) r.problem(`ANALYTICS_KV_NAMESPACE=${kvNamespace}: use letters, digits and _ . : -`);
  const config: AnalyticsConfig = {
    viewThresholdSeconds: r.int("ANALYTICS_VIEW_THRESHOLD_SECONDS", 30, 1, 86_400),
    flushIntervalMs: r.int("ANALYTICS_FLUSH_INTERVAL_MS", 60_000, 100, 3_600_000),
    lateHeartbeatGraceMs: r.int("ANALYTICS_LATE_GRACE_MS", 300_000, 0, 3_600_000),
    videoCacheTtlMs: r.int("ANALYTICS_VIDEO_CACHE_TTL_MS", VIDEO_FACTS_TTL_MS, 0, 86_400_000),
    kvNamespace,
  };
  r.done();
  return config;
}
