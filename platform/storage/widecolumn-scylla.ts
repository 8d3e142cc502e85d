import { Client, types } from "cassandra-driver";
import type { Log } from "./log.js";
import { silentLog } from "./log.js";
import {
  WIDE_COLUMN_NAME,
  describeCounters,
  describeTable,
  requireValue,
  type ColumnType,
  type ColumnValue,
  type CounterDefinition,
  type CounterTable,
  type Page,
  type PartitionQuery,
  type Row,
  type TableDefinition,
  type TableShape,
  type WideColumnStore,
  type WideColumnTable,
} from "./widecolumn.js";

export interface ScyllaOptions {
  /** `host` or `host:port` (default port 9042). */
  contactPoints: string[];
  /** The datacenter whose nodes serve LOCAL_QUORUM reads and writes. */
  localDataCenter: string;
  /** Created if absent, with SimpleStrategy; create it beforehand for NetworkTopologyStrategy. */
  keyspace: string;
  replicationFactor: number;
  log?: Log;
}

const CQL_TYPES: Record<ColumnType, string> = {
  text: "text",
  int: "int",
  bigint: "bigint",
  double: "double",
  boolean: "boolean",
  timestamp: "timestamp",
  uuid: "uuid",
  blob: "blob",
};

/**
 * The wide-column port on ScyllaDB through `cassandra-driver`: prepared statements at
 * LOCAL_QUORUM (LOCAL_SERIAL for conditional writes), token-aware routing (the driver's default
 * policy), paging with the driver's pageState, counters as counter columns.
 */
export async function createScyllaWideColumn(options: ScyllaOptions): Promise<WideColumnStore> {
  const log = options.log ?? silentLog;
  if (!WIDE_COLUMN_NAME.test(options.keyspace)) throw new Error(`invalid keyspace ${JSON.stringify(options.keyspace)}`);
  if (!Number.isInteger(options.replicationFactor) || options.replicationFactor < 1) throw new Error(`invalid replication factor ${options.replicationFactor}`);
  const client = new Client({
    contactPoints: options.contactPoints,
    localDataCenter: options.localDataCenter,
    // bigint columns read and write as JS bigint rather than the driver's Long.
    encoding: { useBigIntAsLong: true },
    queryOptions: {
      prepare: true,
      consistency: types.consistencies.localQuorum,
      serialConsistency: types.consistencies.localSerial,
    },
  });
  client.on("log", (level: string, className: string, message: string) => {
    if (level === "error") log.error({ className }, message);
    else if (level === "warning") log.warn({ className }, message);
  });
  const ks = q(options.keyspace);
  try {
    await client.connect();
    await client.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${options.replicationFactor}}`,
      [],
      { prepare: false },
    );
  } catch (err) {
    await client.shutdown();
    throw err;
  }
  // DDL is not preparable; the driver waits for schema agreement after each statement. One
  // CREATE per table per process: concurrent DDL for the same table only risks disagreement.
  const created = new Map<string, Promise<unknown>>();
  const ddl = (table: string, cql: string) => {
    let done = created.get(table);
    if (done === undefined) {
      done = client.execute(cql, [], { prepare: false });
      created.set(table, done);
      done.catch(() => created.delete(table));
    }
    return done;
  };

  return {
    async table<R extends Row, P extends keyof R & string, C extends keyof R & string>(def: TableDefinition<R, P, C>) {
      const t = describeTable(def);
      const cols = t.columns.map((c) => `${q(c)} ${CQL_TYPES[t.types[c]]}`);
      const clusteringOrder = t.clustering.length > 0 ? ` WITH CLUSTERING ORDER BY (${t.clustering.map((c) => `${q(c.column)} ${c.order.toUpperCase()}`).join(", ")})` : "";
      const primaryKey = `(${list(t.partition)})${t.clustering.map((c) => `, ${q(c.column)}`).join("")}`;
      await ddl(t.name, `CREATE TABLE IF NOT EXISTS ${ks}.${q(t.name)} (${cols.join(", ")}, PRIMARY KEY (${primaryKey}))${clusteringOrder}`);
      return scyllaTable<R, P, C>(client, `${ks}.${q(t.name)}`, t);
    },
    async counters<K extends Row, N extends string>(def: CounterDefinition<K, N>) {
      const shape = describeCounters(def);
      const cols = [...shape.key.map((k) => `${q(k)} ${CQL_TYPES[shape.types[k]]}`), ...shape.counters.map((c) => `${q(c)} counter`)];
      await ddl(shape.name, `CREATE TABLE IF NOT EXISTS ${ks}.${q(shape.name)} (${cols.join(", ")}, PRIMARY KEY ((${list(shape.key)})))`);
      return scyllaCounters<K, N>(client, `${ks}.${q(shape.name)}`, shape);
    },
    close: () => client.shutdown(),
  };
}

function scyllaTable<R extends Row, P extends keyof R & string, C extends keyof R & string>(
  client: Client,
  table: string,
  t: TableShape,
): WideColumnTable<R, P, C> {
  const select = `SELECT ${list(t.columns)} FROM ${table}`;
  const toRow = (raw: types.Row) => fromCql(t, raw) as R;
  const keyWhere = (columns: readonly string[], values: Row, what: string) => ({
    where: columns.map((c) => `${q(c)} = ?`).join(" AND "),
    params: columns.map((c) => toCql(t.types[c], requireValue(values, c, `${t.name}.${what}`))),
  });

  return {
    async put(row) {
      const { cols, params } = carried(t, row, "put");
      await client.execute(`INSERT INTO ${table} (${list(cols)}) VALUES (${cols.map(() => "?").join(", ")})`, params, { isIdempotent: true });
    },

    async putIf(row, expected) {
      const { cols, params } = carried(t, row, "putIf");
      const regular = cols.filter((c) => !t.keys.includes(c));
      if (regular.length === 0) throw new Error(`${t.name}.putIf: the row carries no non-key column`);
      if (expected === null) {
        const rs = await client.execute(`INSERT INTO ${table} (${list(cols)}) VALUES (${cols.map(() => "?").join(", ")}) IF NOT EXISTS`, params);
        return rs.wasApplied();
      }
      const conditions = Object.entries(expected);
      for (const [c] of conditions) if (!t.regular.includes(c)) throw new Error(`${t.name}.putIf: cannot condition on ${c} (not a non-key column)`);
      const key = keyWhere(t.keys, row, "putIf");
      const cql =
        `UPDATE ${table} SET ${regular.map((c) => `${q(c)} = ?`).join(", ")} WHERE ${key.where}` +
        (conditions.length > 0 ? ` IF ${conditions.map(([c]) => `${q(c)} = ?`).join(" AND ")}` : " IF EXISTS");
      const values = [...regular.map((c) => toCql(t.types[c], row[c])), ...key.params, ...conditions.map(([c, v]) => toCql(t.types[c], v as ColumnValue))];
      const rs = await client.execute(cql, values);
      return rs.wasApplied();
    },

    async get(key) {
      const { where, params } = keyWhere(t.keys, key, "get");
      const rs = await client.execute(`${select} WHERE ${where}`, params, { isIdempotent: true });
      const first = rs.first();
      return first === null ? null : toRow(first);
    },

    async query(partition, options: PartitionQuery = {}): Promise<Page<R>> {
      const limit = options.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`page limit must be a positive integer, got ${limit}`);
      const { where, params } = keyWhere(t.partition, partition, "query");
      const conditions = [where];
      const first = t.clustering[0];
      if (options.range !== undefined) {
        if (first === undefined) throw new Error(`${t.name}.query: range needs a clustering column`);
        const type = t.types[first.column];
        if (options.range.gte !== undefined) {
          conditions.push(`${q(first.column)} >= ?`);
          params.push(toCql(type, options.range.gte));
        }
        if (options.range.lt !== undefined) {
          conditions.push(`${q(first.column)} < ?`);
          params.push(toCql(type, options.range.lt));
        }
      }
      // CQL reads in the table's order; ORDER BY is only needed (and only allowed) to reverse it whole.
      const orderBy =
        options.reverse === true && t.clustering.length > 0
          ? ` ORDER BY ${t.clustering.map((c) => `${q(c.column)} ${c.order === "asc" ? "DESC" : "ASC"}`).join(", ")}`
          : "";
      const rs = await client.execute(`${select} WHERE ${conditions.join(" AND ")}${orderBy}`, params, {
        fetchSize: limit,
        pageState: options.pageToken,
        isIdempotent: true,
      });
      const rows = rs.rows.map(toRow);
      return rs.pageState ? { rows, nextPageToken: rs.pageState } : { rows };
    },

    async delete(key) {
      const { where, params } = keyWhere(t.keys, key, "delete");
      await client.execute(`DELETE FROM ${table} WHERE ${where}`, params, { isIdempotent: true });
    },

    async deletePartition(partition) {
      const { where, params } = keyWhere(t.partition, partition, "deletePartition");
      await client.execute(`DELETE FROM ${table} WHERE ${where}`, params, { isIdempotent: true });
    },
  };
}

function scyllaCounters<K extends Row, N extends string>(client: Client, table: string, shape: ReturnType<typeof describeCounters>): CounterTable<K, N> {
  const keyWhere = (key: K) => ({
    where: shape.key.map((k) => `${q(k)} = ?`).join(" AND "),
    params: shape.key.map((k) => toCql(shape.types[k], requireValue(key, k, `${shape.name} counters`))),
  });
  return {
    async add(key, deltas) {
      const named = Object.entries(deltas as Record<string, number>);
      for (const [name, delta] of named) {
        if (!shape.counters.includes(name)) throw new Error(`${shape.name}: unknown counter ${name}`);
        if (!Number.isSafeInteger(delta)) throw new Error(`${shape.name}.${name}: delta must be an integer, got ${delta}`);
      }
      if (named.length === 0) return;
      const { where, params } = keyWhere(key);
      // Not idempotent: the driver must not retry a counter update whose outcome it does not know.
      await client.execute(`UPDATE ${table} SET ${named.map(([n]) => `${q(n)} = ${q(n)} + ?`).join(", ")} WHERE ${where}`, [...named.map(([, d]) => BigInt(d)), ...params], {
        isIdempotent: false,
      });
    },
    async get(key) {
      const { where, params } = keyWhere(key);
      const rs = await client.execute(`SELECT ${list(shape.counters)} FROM ${table} WHERE ${where}`, params, { isIdempotent: true });
      const found = rs.first();
      return Object.fromEntries(shape.counters.map((c) => [c, found === null ? 0 : Number((found.get(c) as bigint | null) ?? 0n)])) as Record<N, number>;
    },
  };
}

/** Names are checked identifiers; quoting them keeps reserved words (order, user, …) usable as columns. */
const q = (name: string) => `"${name}"`;
const list = (names: readonly string[]) => names.map(q).join(", ");

/** The columns a row carries (every key column must be there), and their CQL parameters. */
function carried(t: TableShape, row: Row, what: string): { cols: string[]; params: unknown[] } {
  for (const k of t.keys) requireValue(row, k, `${t.name}.${what}`);
  for (const c of Object.keys(row)) if (!t.columns.includes(c)) throw new Error(`${t.name}.${what}: unknown column ${c}`);
  const cols = t.columns.filter((c) => row[c] !== undefined);
  return { cols, params: cols.map((c) => toCql(t.types[c], row[c])) };
}

function toCql(type: ColumnType, v: ColumnValue | undefined): unknown {
  if (v === null || v === undefined) return null;
  // The driver encodes uuid from a string and bigint from a JS bigint, but wants Buffer for blobs.
  if (type === "blob") return Buffer.from(v as Uint8Array);
  if (type === "bigint") return BigInt(v as bigint | number);
  return v;
}

function fromCql(t: TableShape, raw: types.Row): Row {
  const row: Row = {};
  for (const c of t.columns) {
    const v: unknown = raw.get(c);
    if (v === null || v === undefined) row[c] = null;
    else if (t.types[c] === "uuid") row[c] = (v as types.Uuid).toString();
    else if (t.types[c] === "blob") row[c] = new Uint8Array(v as Buffer);
    else row[c] = v as ColumnValue;
  }
  return row;
}
