import { EnvReader, type Env } from "../../platform/config.js";

/** Settings of the search service, read once at start-up (README lists every variable). */
export interface SearchConfig {
  /** Elasticsearch (production) when ELASTICSEARCH_URL is set; the service's Postgres schema otherwise. */
  elasticsearchUrl?: string;
  /**
   * Start of the Elasticsearch alias and index names (SEARCH_INDEX_NAME, default
   * `cinemesh-content` plus `-<BUS_NAMESPACE>` when set; the alias is `<name>-titles`), so
   * environments can share a cluster.
   */
  indexName: string;
  /** Prefix of the profile-check cache keys in kv, when environments share a Redis. */
  kvPrefix: string;
}

export function readSearchConfig(env: Env): SearchConfig {
  const r = new EnvReader(env);
  const namespace = r.string("BUS_NAMESPACE", "");
  const indexName = r.string("SEARCH_INDEX_NAME", namespace ? `cinemesh-content-${namespace.toLowerCase()}` : "cinemesh-content");
  if (!/^[a-z0-9][a-z0-9_-]{0,200}$/.test(indexName)) r.problem(`SEARCH_INDEX_NAME: ${JSON.stringify(indexName)} is not a valid index name (lower-case letters, digits, - and _)`);
  const config: SearchConfig = {
    elasticsearchUrl: r.url("ELASTICSEARCH_URL", ["http:", "https:"]),
    indexName,
    kvPrefix: namespace ? `${namespace}:` : "",
  };
  r.done();
  return config;
}
