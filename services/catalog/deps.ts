import type { CatalogCache } from "./cache.js";
import type { CatalogStore } from "./store.js";

/** What the catalog's operations work with: the store of record and the cache in front of it. */
export interface CatalogDeps {
  store: CatalogStore;
  cache: CatalogCache;
}
