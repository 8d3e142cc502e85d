import { Client } from "@elastic/elasticsearch";
import type { SearchDocument, SearchIndex } from "./index.js";
import { storedTitle, type StoredEntry, type StoredTombstone } from "./elasticsearch-documents.js";
import { concreteIndices, ensureIndex, indexNames, isVersionConflict, versionType } from "./elasticsearch-indices.js";
import { rebuildIndex } from "./elasticsearch-rebuild.js";
import { searchTitles } from "./elasticsearch-search.js";
import { suggestAll } from "./elasticsearch-suggest.js";

/**
 * The search index on Elasticsearch (production). Everything goes through one alias over one
 * concrete index; a rebuild fills a new index and swaps the alias. Each title is one document
 * with the catalog's version as its external version, and a removal leaves a tombstone in its
 * place, so a late or redelivered older write is refused by Elasticsearch itself.
 */
export interface ElasticsearchSearchIndexOptions {
  /** Engine address (`ELASTICSEARCH_URL`); ignored when `client` is given. */
  url?: string;
  /** A client the caller owns (not closed by `close()`). */
  client?: Client;
  /** Start of every index and alias name: "cinemesh_" gives the alias "cinemesh_titles". */
  indexPrefix: string;
  /** Replica shards per index: 0 (the default) suits one node; a cluster wants at least 1. */
  replicas?: number;
}

export interface ElasticsearchSearchIndex extends SearchIndex {
  /** Deletes every index of this prefix (tests, or dropping an environment). */
  destroy(): Promise<void>;
}

export async function openElasticsearchSearchIndex(options: ElasticsearchSearchIndexOptions): Promise<ElasticsearchSearchIndex> {
  if (!options.client && !options.url) throw new Error("openElasticsearchSearchIndex needs a url or a client");
  const client = options.client ?? new Client({ node: options.url! });
  const names = indexNames(options.indexPrefix, options.replicas ?? 0);
  await ensureIndex(client, names);
  let rebuilding: Promise<number> | null = null;

  const write = async (entry: StoredEntry) => {
    try {
      // wait_for: the write is searchable once it resolves.
      await client.index({ index: names.alias, id: entry.contentId, version: entry.version, version_type: versionType(entry), document: entry, refresh: "wait_for" });
    } catch (error) {
      if (!isVersionConflict(error)) throw error;
    }
  };

  return {
    upsert: (doc: SearchDocument) => write(storedTitle(doc)),
    remove: (contentId: string, version: number) => {
      const tombstone: StoredTombstone = { contentId, version, removed: true };
      return write(tombstone);
    },
    search: (query) => searchTitles(client, names.alias, query),
    suggest: (query) => suggestAll(client, names.alias, query),
    rebuild(source) {
      if (rebuilding) return Promise.reject(new Error("a rebuild of the search index is already running"));
      rebuilding = rebuildIndex(client, names, source).finally(() => {
        rebuilding = null;
      });
      return rebuilding;
    },
    async destroy() {
      const indices = await concreteIndices(client, names);
      if (indices.length > 0) await client.indices.delete({ index: indices, ignore_unavailable: true });
    },
    async close() {
      if (!options.client) await client.close();
    },
  };
}
