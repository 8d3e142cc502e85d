import { EnvReader, type Env } from "../../platform/config.js";

export interface CatalogConfig {
  /** How long a cached title, list or count lives (seeds §6.6: content metadata, 1 hour). */
  cacheTtlMs: number;
  /** Prefix of every cache key, so deployments or test runs sharing one Redis never collide. */
  cacheNamespace: string;
}

/**
 *   CATALOG_CACHE_TTL_MS      lifetime of a cache entry, default 3600000 (1 h)
 *   CATALOG_CACHE_NAMESPACE   prefix of the catalog's cache keys, default empty
 */
export function readCatalogConfig(env: Env): CatalogConfig {
  const r = new EnvReader(env);
  const cacheNamespace = r.string("CATALOG_CACHE_NAMESPACE", "");
  if (!/^[A-Za-z0-9_.:-]*$/.test(cacheNamespace)) r.problem(`CATALOG_CACHE_NAMESPACE=${cacheNamespace}: use letters, digits and _ . : -`);
  const config = { cacheTtlMs: r.int("CATALOG_CACHE_TTL_MS", 3_600_000, 1_000), cacheNamespace };
  r.done();
  return config;
}
