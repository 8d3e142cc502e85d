/**
 * Wide-column port: tables addressed by partition key, rows ordered by clustering key inside a
 * partition. Fits watch history (partition = profile, clustering = watched_at desc) and ratings
 * (partition = profile, clustering = title), with per-key counters for aggregates.
 *
 * - ScyllaDB (`widecolumn-scylla.ts`, `SCYLLA_CONTACT_POINTS`): each definition is a CQL table with
 *   PRIMARY KEY ((partition…), clustering…) and CLUSTERING ORDER; prepared statements, LOCAL_QUORUM,
 *   paging via the driver's pageState, conditional writes as lightweight transactions, counters
 *   in their own counter table (CQL requires it).
 * - Postgres (`widecolumn-postgres.ts`, the embedded default): one table per definition with a
 *   primary key over partition and clustering columns, so a partition query is an index range
 *   scan; paging by keyset on the clustering key; counters as rows updated with `+ delta`.
 *
 * Semantics follow Scylla's, so code written on the embedded default behaves the same in
 * production: `put` is an upsert (no read-before-write, last write wins), there are no
 * cross-partition queries, and counters are not idempotent (a retried add counts twice).
 * Order among `uuid` clustering values is engine-defined: use them as keys, not as an order.
 */

export type ColumnType = "text" | "int" | "bigint" | "double" | "boolean" | "timestamp" | "uuid" | "blob";
/** text/uuid: string; int/double: number; bigint: bigint; timestamp: Date; blob: Uint8Array. */
export type ColumnValue = string | number | bigint | boolean | Date | Uint8Array | null;
export type Row = Record<string, ColumnValue>;

/** Table and column names: lower-case identifiers that are valid, unquoted, in CQL and SQL alike. */
export const WIDE_COLUMN_NAME = /^[a-z][a-z0-9_]{0,47}$/;

export interface TableDefinition<R extends Row, P extends keyof R & string, C extends keyof R & string> {
  name: string;
  columns: { [K in keyof R]: ColumnType };
  partitionKey: readonly P[];
  clusteringKey: readonly { column: C; order: "asc" | "desc" }[];
}

export interface PartitionQuery {
  /** Rows per page, default 100. A page may hold fewer while more follow (Scylla cuts pages by size too). */
  limit?: number;
  /** Opaque token from the previous page of the same query (same partition, range and direction). */
  pageToken?: string;
  /** Restricts the first clustering column (e.g. watched_at within the last 30 days). */
  range?: { gte?: ColumnValue; lt?: ColumnValue };
  /** Read against the table's clustering order. */
  reverse?: boolean;
}

export interface Page<R> {
  rows: R[];
  /** Absent on the last page. */
  nextPageToken?: string;
}

export interface WideColumnTable<R extends Row, P extends keyof R & string, C extends keyof R & string> {
  /** Upsert: writes the given row, replacing the columns it carries (the others keep their values). */
  put(row: Pick<R, P | C> & Partial<R>): Promise<void>;
  /**
   * Conditional write (a lightweight transaction on Scylla): writes `row` only if no row has its
   * key (`expected` null), or if the row exists and each `expected` column holds that value.
   * Resolves to whether it wrote. Slower than `put`: for read-modify-write that must not race.
   * Conditions are on non-key columns; `row` must carry at least one non-key column.
   */
  putIf(row: Pick<R, P | C> & Partial<R>, expected: Partial<Omit<R, P | C>> | null): Promise<boolean>;
  get(key: Pick<R, P | C>): Promise<R | null>;
  /** One partition's rows in clustering order. */
  query(partition: Pick<R, P>, options?: PartitionQuery): Promise<Page<R>>;
  delete(key: Pick<R, P | C>): Promise<void>;
  deletePartition(partition: Pick<R, P>): Promise<void>;
}

export interface CounterDefinition<K extends Row, N extends string> {
  name: string;
  key: { [F in keyof K]: ColumnType };
  counters: readonly N[];
}

/** Named counters per key (e.g. rating sum and count per title). */
export interface CounterTable<K extends Row, N extends string> {
  /** Adds each delta (may be negative) to its counter of the key, in one atomic write. */
  add(key: K, deltas: Partial<Record<N, number>>): Promise<void>;
  /** Current values; counters never written read as 0. */
  get(key: K): Promise<Record<N, number>>;
}

export interface WideColumnStore {
  /** Creates the table if absent (idempotent, safe from concurrent processes) and returns its typed handle. */
  table<R extends Row, P extends keyof R & string, C extends keyof R & string>(
    definition: TableDefinition<R, P, C>,
  ): Promise<WideColumnTable<R, P, C>>;
  counters<K extends Row, N extends string>(definition: CounterDefinition<K, N>): Promise<CounterTable<K, N>>;
  /** Releases what the store opened (the Scylla session; the Postgres adapter borrows its pool). */
  close(): Promise<void>;
}

/** Checks a definition's names once, so neither engine ever interpolates an unchecked identifier. */
export function assertWideColumnNames(table: string, columns: readonly string[]): void {
  for (const name of [table, ...columns]) {
    if (!WIDE_COLUMN_NAME.test(name)) throw new Error(`invalid wide-column name ${JSON.stringify(name)}: use [a-z][a-z0-9_]{0,47}`);
  }
}

/** Splits a definition into its key columns and the others, validating that the keys are columns. */
export function describeTable<R extends Row, P extends keyof R & string, C extends keyof R & string>(def: TableDefinition<R, P, C>) {
  const columns = Object.keys(def.columns);
  assertWideColumnNames(def.name, columns);
  const partition = def.partitionKey.map(String);
  const clustering = def.clusteringKey.map((c) => ({ column: String(c.column), order: c.order }));
  const keys = [...partition, ...clustering.map((c) => c.column)];
  if (partition.length === 0) throw new Error(`table ${def.name}: a partition key is required`);
  for (const k of keys) if (!columns.includes(k)) throw new Error(`table ${def.name}: key column ${k} is not a column`);
  if (new Set(keys).size !== keys.length) throw new Error(`table ${def.name}: a column appears twice in the key`);
  const regular = columns.filter((c) => !keys.includes(c));
  const types = def.columns as Record<string, ColumnType>;
  return { name: def.name, columns, types, partition, clustering, keys, regular };
}

export type TableShape = ReturnType<typeof describeTable>;

/** Validates a counter definition: names, and counter names distinct from the key columns. */
export function describeCounters<K extends Row, N extends string>(def: CounterDefinition<K, N>) {
  const key = Object.keys(def.key);
  const counters = def.counters.map(String);
  assertWideColumnNames(def.name, [...key, ...counters]);
  if (key.length === 0 || counters.length === 0) throw new Error(`counter table ${def.name}: needs key columns and counters`);
  if (new Set([...key, ...counters]).size !== key.length + counters.length) throw new Error(`counter table ${def.name}: duplicate column names`);
  return { name: def.name, key, types: def.key as Record<string, ColumnType>, counters };
}

/** The value of a column a caller must supply, or a clear error naming it. */
export function requireValue(row: Record<string, unknown>, column: string, what: string): ColumnValue {
  const v = row[column];
  if (v === undefined || v === null) throw new Error(`${what}: missing value for key column ${column}`);
  return v as ColumnValue;
}
