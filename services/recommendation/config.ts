import { EnvReader, type Env } from "../../platform/config.js";

/** Settings of the recommendation service, read once at start-up (README lists every variable). */
export interface RecommendationConfig {
  /** How often the model is rebuilt from every signal (RECOMMENDATION_REBUILD_INTERVAL_SECONDS, default 900). */
  rebuildIntervalMs: number;
  /** Prefix of its kv keys (precomputed lists, profile checks) when environments share a Redis. */
  kvPrefix: string;
}

export function readRecommendationConfig(env: Env): RecommendationConfig {
  const r = new EnvReader(env);
  const namespace = r.string("BUS_NAMESPACE", "");
  const config: RecommendationConfig = {
    rebuildIntervalMs: r.int("RECOMMENDATION_REBUILD_INTERVAL_SECONDS", 900, 1, 7 * 24 * 3600) * 1000,
    kvPrefix: namespace ? `${namespace}:` : "",
  };
  r.done();
  return config;
}
