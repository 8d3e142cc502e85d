import { ConfigError, EnvReader, type Env } from "../../platform/config.js";

/** Settings of the browse service, read once at start-up (README lists every variable). */
export interface BrowseConfig {
  /** The longest a home page takes, whatever its sources do (BROWSE_PAGE_BUDGET_MS, default 250). */
  pageBudgetMs: number;
  /** How long each source of the home page is waited for (BROWSE_DEPENDENCY_DEADLINE_MS, default 200, at most the budget). */
  dependencyDeadlineMs: number;
  /** How long a source that missed its deadline may still answer to refresh the stored copy (BROWSE_REVALIDATE_MS, default 3000). */
  revalidateMs: number;
  /** How long a profile's page is served from kv without asking again, unless its own events say it changed (BROWSE_HOME_TTL_SECONDS, default 30). */
  personalTtlMs: number;
  /** How long after a profile's event its pages are assembled afresh each time, while the other services apply it (BROWSE_EVENT_SETTLE_MS, default 2000). */
  eventSettleMs: number;
  /** How long the rows everyone shares (trending, new releases, genres) are fresh; older ones are served while refreshed (BROWSE_SHARED_TTL_SECONDS, default 60). */
  sharedTtlMs: number;
  /** Prefix of its kv keys when environments share a Redis. */
  kvPrefix: string;
}

export function readBrowseConfig(env: Env): BrowseConfig {
  const r = new EnvReader(env);
  const namespace = r.string("BUS_NAMESPACE", "");
  const config: BrowseConfig = {
    pageBudgetMs: r.int("BROWSE_PAGE_BUDGET_MS", 250, 20, 10_000),
    dependencyDeadlineMs: r.int("BROWSE_DEPENDENCY_DEADLINE_MS", 200, 10, 10_000),
    revalidateMs: r.int("BROWSE_REVALIDATE_MS", 3000, 0, 60_000),
    personalTtlMs: r.int("BROWSE_HOME_TTL_SECONDS", 30, 0, 24 * 3600) * 1000,
    eventSettleMs: r.int("BROWSE_EVENT_SETTLE_MS", 2000, 0, 60_000),
    sharedTtlMs: r.int("BROWSE_SHARED_TTL_SECONDS", 60, 1, 24 * 3600) * 1000,
    kvPrefix: `${namespace ? `${namespace}:` : ""}browse:`,
  };
  r.done();
  if (config.dependencyDeadlineMs > config.pageBudgetMs) {
    throw new ConfigError([`BROWSE_DEPENDENCY_DEADLINE_MS (${config.dependencyDeadlineMs}) must not exceed BROWSE_PAGE_BUDGET_MS (${config.pageBudgetMs})`]);
  }
  return config;
}
