/**
 * Wide-column port (interface only; implementations come with the library and rating services):
 * tables addressed by partition key, rows ordered by clustering key inside a partition. Fits
 * watch history (partition = profile, clustering = watched_at desc) and per-title ratings.
 *
 * - ScyllaDB (`SCYLLA_CONTACT_POINTS`, `cassandra-driver`): each definition is a CQL table with
 *   PRIMARY KEY ((partition…), clustering…) and CLUSTERING ORDER; prepared statements, token-aware
 *   routing, LOCAL_QUORUM; paging via the driver's pageState; row TTL via `USING TTL`;
 *   counters in a separate counter table (CQL requires it).
 * - Postgres (embedded default): one table per definition with a primary key over partition and
 *   clustering columns, so a partition query is an index range scan; paging by keyset on the
 *   clustering key; TTL as an `expires_at` column filtered on read and purged periodically;
 *   counters as `INSERT … ON CONFLICT DO UPDATE SET value = value + $delta`.
 *
 * Semantics follow Scylla's, so code written on the embedded default behaves the same in
 * production: `put` is an upsert (no read-before-write, last write wins), there are no
 * cross-partition queries, and counters are eventually consistent and not idempotent.
 */

export type ColumnType = "text" | "int" | "bigint" | "double" | "boolean" | "timestamp" | "uuid" | "blob";
export type ColumnValue = string | number | bigint | boolean | Date | Uint8Array | null;
export type Row = Record<string, ColumnValue>;

export interface TableDefinition<R extends Row, P extends keyof R & string, C extends keyof R & string> {
  name: string;
  columns: { [K in keyof R]: ColumnType };
  partitionKey: readonly P[];
  clusteringKey: readonly { column: C; order: "asc" | "desc" }[];
  /** Rows expire this long after they were last written, unless a put says otherwise. */
  defaultTtlSeconds?: number;
}

export interface PartitionQuery<R extends Row, C extends keyof R> {
  /** Default 100. */
  limit?: number;
  /** Opaque token from the previous page. */
  pageToken?: string;
  /** Restrict the first clustering column (e.g. watched_at within the last 30 days). */
  range?: { column: C; gte?: ColumnValue; lt?: ColumnValue };
  /** Read against the table's clustering order. */
  reverse?: boolean;
}

export interface WideColumnTable<R extends Row, P extends keyof R & string, C extends keyof R & string> {
  /** Upsert: writes the given row, replacing the columns it carries. */
  put(row: R, options?: { ttlSeconds?: number }): Promise<void>;
  get(key: Pick<R, P | C>): Promise<R | null>;
  /** One partition's rows in clustering order. */
  query(partition: Pick<R, P>, options?: PartitionQuery<R, C>): Promise<{ rows: R[]; nextPageToken?: string }>;
  delete(key: Pick<R, P | C>): Promise<void>;
  deletePartition(partition: Pick<R, P>): Promise<void>;
}

/** Named counters keyed by `K` columns (e.g. rating sum and count per title). */
export interface CounterTable<K extends Row> {
  /** Atomically adds `delta` (may be negative) to each named counter of the key. */
  add(key: K, deltas: Record<string, number>): Promise<void>;
  /** Current values; absent counters read as 0. */
  get(key: K): Promise<Record<string, number>>;
}

export interface WideColumnStore {
  /** Creates the table if absent (idempotent) and returns its typed handle. */
  table<R extends Row, P extends keyof R & string, C extends keyof R & string>(
    definition: TableDefinition<R, P, C>,
  ): Promise<WideColumnTable<R, P, C>>;
  counters<K extends Row>(definition: { name: string; key: { [F in keyof K]: ColumnType }; counters: readonly string[] }): Promise<CounterTable<K>>;
  close(): Promise<void>;
}
