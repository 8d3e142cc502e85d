import { randomBytes } from "node:crypto";
import { errors, type Client, type estypes } from "@elastic/elasticsearch";
import { indexBody, type StoredEntry } from "./elasticsearch-documents.js";

/**
 * The concrete indices behind the search alias: made on first use, written with external versions
 * (the catalog's), replaced by a rebuild with an atomic alias swap.
 */

export interface IndexNames {
  /** What every search and write goes through. */
  alias: string;
  /** The first concrete index: a fixed name, so processes starting together create it once. */
  first: string;
  /** A fresh concrete index name for a rebuild. */
  fresh(): string;
  /** Matches every concrete index of this prefix. */
  pattern: string;
  /** Replica shards of each concrete index. */
  replicas: number;
}

export function indexNames(prefix: string, replicas: number): IndexNames {
  const alias = `${prefix}titles`;
  return {
    alias,
    first: `${alias}_1`,
    fresh: () => `${alias}_${Date.now()}_${randomBytes(3).toString("hex")}`,
    pattern: `${alias}_*`,
    replicas,
  };
}

/** Creates the first index with the alias unless the alias exists; safe when several processes race. */
export async function ensureIndex(client: Client, names: IndexNames): Promise<void> {
  if (await client.indices.existsAlias({ name: names.alias })) return;
  try {
    await client.indices.create({ index: names.first, ...indexBody(names.replicas), aliases: { [names.alias]: {} } });
  } catch (error) {
    if (!isErrorType(error, "resource_already_exists_exception")) throw error;
  }
}

export function isErrorType(error: unknown, type: string): boolean {
  return error instanceof errors.ResponseError && (error.body as { error?: { type?: string } } | undefined)?.error?.type === type;
}

export function isVersionConflict(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 409;
}

/**
 * How an entry is versioned: a live title needs a strictly newer version than what is held (a
 * redelivered event is a no-op), a removal wins at an equal version (the title was removed as of
 * that change).
 */
export function versionType(entry: StoredEntry): estypes.VersionType {
  return entry.removed ? "external_gte" : "external";
}

/** Writes entries in one bulk request; older versions than what the index holds are skipped, anything else failing throws. */
export async function bulkWrite(client: Client, index: string, entries: StoredEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const response = await client.bulk({
    operations: entries.flatMap((entry) => [
      { index: { _index: index, _id: entry.contentId, version: entry.version, version_type: versionType(entry) } },
      entry,
    ]),
  });
  if (!response.errors) return;
  const failed = response.items.map((item) => item.index).filter((r) => r?.error && r.status !== 409);
  if (failed.length > 0) throw new Error(`Elasticsearch bulk write to ${index} failed for ${failed.length} entries: ${failed[0]!.error!.reason ?? failed[0]!.error!.type}`);
}

/** Concrete indices the alias points at now. */
export async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  return Object.keys(await client.indices.getAlias({ name: alias }));
}

/**
 * The newest write `index` holds: its (single) shard's highest sequence number, -1 when empty.
 * Sequence numbers come from the engine, so this orders writes from every process without clocks.
 */
export async function lastSeqNo(client: Client, index: string): Promise<number> {
  await client.indices.refresh({ index });
  const page = await client.search({ index, size: 1, sort: [{ _seq_no: "desc" }], seq_no_primary_term: true, _source: false });
  return page.hits.hits[0]?._seq_no ?? -1;
}

const COPY_PAGE = 1000;

/**
 * Copies from `from` into `to` every tombstone (so an old removal still refuses stale upserts)
 * and every entry written after sequence number `after` (writes made while a rebuild ran).
 * External versions make the copy idempotent and keep whichever side is newer.
 */
export async function copyWritesAfter(client: Client, from: string, to: string, after: number): Promise<void> {
  await client.indices.refresh({ index: from });
  let cursor: estypes.SortResults | undefined;
  for (;;) {
    const page = await client.search<StoredEntry>({
      index: from,
      size: COPY_PAGE,
      query: { bool: { should: [{ term: { removed: true } }, { range: { _seq_no: { gt: after } } }], minimum_should_match: 1 } },
      sort: [{ contentId: "asc" }],
      ...(cursor ? { search_after: cursor } : {}),
    });
    const hits = page.hits.hits;
    await bulkWrite(client, to, hits.map((h) => h._source!));
    if (hits.length < COPY_PAGE) return;
    cursor = hits.at(-1)!.sort;
  }
}

/** Concrete indices of this prefix (for clean-up: wildcard deletes are refused by default). */
export async function concreteIndices(client: Client, names: IndexNames): Promise<string[]> {
  return Object.keys(await client.indices.get({ index: names.pattern, allow_no_indices: true, expand_wildcards: "all" }));
}
