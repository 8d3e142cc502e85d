import type pg from "pg";
import { quoteSchema } from "./schema-name.js";
import { withTransaction } from "./postgres.js";
import {
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

/**
 * The wide-column port on Postgres (the embedded default): one table per definition in `schema`,
 * primary key (partition…, clustering…), so a partition read is one index range scan. The pool is
 * borrowed (the service's own), so close() leaves it open.
 */
export function createPostgresWideColumn(options: { pool: pg.Pool; schema: string }): WideColumnStore {
  const { pool } = options;
  const schema = quoteSchema(options.schema);
  return {
    async table<R extends Row, P extends keyof R & string, C extends keyof R & string>(def: TableDefinition<R, P, C>) {
      const shape = describeTable(def);
      await createOnce(pool, options.schema, tableDdl(schema, shape));
      return postgresTable<R, P, C>(pool, `${schema}.${q(shape.name)}`, shape);
    },
    async counters<K extends Row, N extends string>(def: CounterDefinition<K, N>) {
      const shape = describeCounters(def);
      const cols = [...shape.key.map((k) => `${q(k)} ${SQL_TYPES[shape.types[k]]} NOT NULL`), ...shape.counters.map((c) => `${q(c)} bigint NOT NULL DEFAULT 0`)];
      await createOnce(pool, options.schema, [`CREATE TABLE IF NOT EXISTS ${schema}.${q(shape.name)} (${cols.join(", ")}, PRIMARY KEY (${list(shape.key)}))`]);
      return postgresCounters<K, N>(pool, `${schema}.${q(shape.name)}`, shape);
    },
    async close() {},
  };
}

const SQL_TYPES: Record<ColumnType, string> = {
  text: "text",
  int: "integer",
  bigint: "bigint",
  double: "double precision",
  boolean: "boolean",
  timestamp: "timestamptz",
  uuid: "uuid",
  blob: "bytea",
};

function tableDdl(schema: string, t: TableShape): string[] {
  const cols = t.columns.map((c) => `${q(c)} ${SQL_TYPES[t.types[c]]}${t.keys.includes(c) ? " NOT NULL" : ""}`);
  const ddl = [`CREATE TABLE IF NOT EXISTS ${schema}.${q(t.name)} (${cols.join(", ")}, PRIMARY KEY (${list(t.keys)}))`];
  // The primary key index serves one direction (and its backward scan); mixed asc/desc clustering
  // needs an index in the table's own order to read a partition without sorting it.
  const orders = new Set(t.clustering.map((c) => c.order));
  if (orders.size > 1) {
    const ordered = [...t.partition.map(q), ...t.clustering.map((c) => `${q(c.column)} ${c.order.toUpperCase()}`)];
    ddl.push(`CREATE INDEX IF NOT EXISTS ${q(`${t.name}_clustering`)} ON ${schema}.${q(t.name)} (${ordered.join(", ")})`);
  }
  return ddl;
}

/** CREATE … IF NOT EXISTS races between processes; a transaction-scoped advisory lock per schema serialises them. */
async function createOnce(pool: pg.Pool, schema: string, ddl: string[]): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`widecolumn:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoteSchema(schema)}`);
    for (const statement of ddl) await tx.query(statement);
  });
}

function postgresTable<R extends Row, P extends keyof R & string, C extends keyof R & string>(
  pool: pg.Pool,
  table: string,
  t: TableShape,
): WideColumnTable<R, P, C> {
  const select = `SELECT ${list(t.columns)} FROM ${table}`;
  const toRow = (raw: Record<string, unknown>) => fromSql(t.types, raw) as R;

  return {
    async put(row) {
      const { cols, params } = carried(t, row, "put");
      const updates = cols.filter((c) => !t.keys.includes(c)).map((c) => `${q(c)} = EXCLUDED.${q(c)}`);
      const onConflict = updates.length > 0 ? `DO UPDATE SET ${updates.join(", ")}` : "DO NOTHING";
      await pool.query(`INSERT INTO ${table} (${list(cols)}) VALUES (${placeholders(cols.length)}) ON CONFLICT (${list(t.keys)}) ${onConflict}`, params);
    },

    async putIf(row, expected) {
      const { cols, params } = carried(t, row, "putIf");
      const regular = cols.filter((c) => !t.keys.includes(c));
      if (regular.length === 0) throw new Error(`${t.name}.putIf: the row carries no non-key column`);
      if (expected === null) {
        const res = await pool.query(`INSERT INTO ${table} (${list(cols)}) VALUES (${placeholders(cols.length)}) ON CONFLICT (${list(t.keys)}) DO NOTHING`, params);
        return res.rowCount === 1;
      }
      const sets = regular.map((c) => `${q(c)} = $${cols.indexOf(c) + 1}`);
      const where = t.keys.map((k) => `${q(k)} = $${cols.indexOf(k) + 1}`);
      const conditionParams: unknown[] = [];
      for (const [c, v] of Object.entries(expected)) {
        if (!t.regular.includes(c)) throw new Error(`${t.name}.putIf: cannot condition on ${c} (not a non-key column)`);
        conditionParams.push(toSql(t.types[c], v as ColumnValue));
        // IS NOT DISTINCT FROM: an expected null matches an unset column, as `IF c = null` does in CQL.
        where.push(`${q(c)} IS NOT DISTINCT FROM $${params.length + conditionParams.length}`);
      }
      const res = await pool.query(`UPDATE ${table} SET ${sets.join(", ")} WHERE ${where.join(" AND ")}`, [...params, ...conditionParams]);
      return res.rowCount === 1;
    },

    async get(key) {
      const { where, params } = equalities(t, t.keys, key, "get");
      const res = await pool.query(`${select} WHERE ${where}`, params);
      return res.rows.length === 0 ? null : toRow(res.rows[0]);
    },

    async query(partition, options: PartitionQuery = {}): Promise<Page<R>> {
      const limit = pageLimit(options.limit);
      const { where, params } = equalities(t, t.partition, partition, "query");
      const conditions = [where];
      const bind = (type: ColumnType, v: ColumnValue) => {
        params.push(toSql(type, v));
        return `$${params.length}`;
      };
      const first = t.clustering[0];
      if (options.range !== undefined) {
        if (first === undefined) throw new Error(`${t.name}.query: range needs a clustering column`);
        const type = t.types[first.column];
        if (options.range.gte !== undefined) conditions.push(`${q(first.column)} >= ${bind(type, options.range.gte)}`);
        if (options.range.lt !== undefined) conditions.push(`${q(first.column)} < ${bind(type, options.range.lt)}`);
      }
      const directions = t.clustering.map((c) => ({ column: c.column, asc: (c.order === "asc") !== (options.reverse === true) }));
      if (options.pageToken !== undefined) {
        const after = decodeToken(options.pageToken, t);
        conditions.push(keysetAfter(directions.map((d, i) => ({ ...d, param: bind(t.types[d.column], after[i]) }))));
      }
      const orderBy = directions.length > 0 ? ` ORDER BY ${directions.map((d) => `${q(d.column)} ${d.asc ? "ASC" : "DESC"}`).join(", ")}` : "";
      const res = await pool.query(`${select} WHERE ${conditions.join(" AND ")}${orderBy} LIMIT ${limit + 1}`, params);
      const rows = res.rows.slice(0, limit).map(toRow);
      const more = res.rows.length > limit && directions.length > 0;
      return more ? { rows, nextPageToken: encodeToken(t, rows[rows.length - 1]) } : { rows };
    },

    async delete(key) {
      const { where, params } = equalities(t, t.keys, key, "delete");
      await pool.query(`DELETE FROM ${table} WHERE ${where}`, params);
    },

    async deletePartition(partition) {
      const { where, params } = equalities(t, t.partition, partition, "deletePartition");
      await pool.query(`DELETE FROM ${table} WHERE ${where}`, params);
    },
  };
}

function postgresCounters<K extends Row, N extends string>(
  pool: pg.Pool,
  table: string,
  shape: ReturnType<typeof describeCounters>,
): CounterTable<K, N> {
  const keyWhere = (key: K) => {
    const params = shape.key.map((k) => toSql(shape.types[k], requireValue(key, k, `${shape.name} counters`)));
    return { where: shape.key.map((k, i) => `${q(k)} = $${i + 1}`).join(" AND "), params };
  };
  return {
    async add(key, deltas) {
      const named = Object.entries(deltas as Record<string, number>);
      for (const [name, delta] of named) {
        if (!shape.counters.includes(name)) throw new Error(`${shape.name}: unknown counter ${name}`);
        if (!Number.isSafeInteger(delta)) throw new Error(`${shape.name}.${name}: delta must be an integer, got ${delta}`);
      }
      if (named.length === 0) return;
      const { params } = keyWhere(key);
      const cols = [...shape.key, ...named.map(([n]) => n)];
      const values = [...params, ...named.map(([, d]) => String(d))];
      const sets = named.map(([n]) => `${q(n)} = ${table}.${q(n)} + EXCLUDED.${q(n)}`);
      await pool.query(`INSERT INTO ${table} (${list(cols)}) VALUES (${placeholders(cols.length)}) ON CONFLICT (${list(shape.key)}) DO UPDATE SET ${sets.join(", ")}`, values);
    },
    async get(key) {
      const { where, params } = keyWhere(key);
      const res = await pool.query(`SELECT ${list(shape.counters)} FROM ${table} WHERE ${where}`, params);
      const found = res.rows[0] as Record<string, string> | undefined;
      return Object.fromEntries(shape.counters.map((c) => [c, found === undefined ? 0 : Number(found[c])])) as Record<N, number>;
    },
  };
}

function pageLimit(limit: number | undefined): number {
  const n = limit ?? 100;
  if (!Number.isInteger(n) || n < 1) throw new Error(`page limit must be a positive integer, got ${n}`);
  return n;
}

const placeholders = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(", ");

/** Names are checked identifiers; quoting them keeps reserved words (order, user, …) usable as columns. */
const q = (name: string) => `"${name}"`;
const list = (names: readonly string[]) => names.map(q).join(", ");

/** The columns a row carries (every key column must be there), and their SQL parameters. */
function carried(t: TableShape, row: Row, what: string): { cols: string[]; params: unknown[] } {
  for (const k of t.keys) requireValue(row, k, `${t.name}.${what}`);
  const cols = t.columns.filter((c) => row[c] !== undefined);
  for (const c of Object.keys(row)) if (!t.columns.includes(c)) throw new Error(`${t.name}.${what}: unknown column ${c}`);
  return { cols, params: cols.map((c) => toSql(t.types[c], row[c])) };
}

function equalities(t: TableShape, columns: readonly string[], values: Row, what: string): { where: string; params: unknown[] } {
  const params = columns.map((c) => toSql(t.types[c], requireValue(values, c, `${t.name}.${what}`)));
  return { where: columns.map((c, i) => `${q(c)} = $${i + 1}`).join(" AND "), params };
}

/**
 * Rows strictly after the last one returned, in the read order. One direction throughout is a row
 * comparison (index-friendly); mixed directions expand to (a > x) OR (a = x AND b < y) ….
 */
function keysetAfter(cols: { column: string; asc: boolean; param: string }[]): string {
  if (cols.every((c) => c.asc === cols[0].asc)) {
    return `(${list(cols.map((c) => c.column))}) ${cols[0].asc ? ">" : "<"} (${cols.map((c) => c.param).join(", ")})`;
  }
  const terms = cols.map((c, i) => [...cols.slice(0, i).map((p) => `${q(p.column)} = ${p.param}`), `${q(c.column)} ${c.asc ? ">" : "<"} ${c.param}`].join(" AND "));
  return `(${terms.map((x) => `(${x})`).join(" OR ")})`;
}

function toSql(type: ColumnType, v: ColumnValue | undefined): unknown {
  if (v === null || v === undefined) return null;
  if (type === "bigint") return String(v);
  if (type === "blob") return Buffer.from(v as Uint8Array);
  return v;
}

function fromSql(types: Record<string, ColumnType>, raw: Record<string, unknown>): Row {
  const row: Row = {};
  for (const [c, v] of Object.entries(raw)) {
    if (v === null) row[c] = null;
    else if (types[c] === "bigint") row[c] = BigInt(v as string);
    else if (types[c] === "blob") row[c] = new Uint8Array(v as Buffer);
    else row[c] = v as ColumnValue;
  }
  return row;
}

/** The page token: the clustering values of the last row returned, typed so they round-trip exactly. */
function encodeToken(t: TableShape, last: Row): string {
  const values = t.clustering.map(({ column }) => {
    const v = last[column];
    if (v instanceof Date) return v.getTime();
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
    return v;
  });
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

function decodeToken(token: string, t: TableShape): ColumnValue[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    values = undefined;
  }
  if (!Array.isArray(values) || values.length !== t.clustering.length) throw new Error(`${t.name}: invalid page token`);
  return t.clustering.map(({ column }, i) => {
    const v = values[i] as string | number | boolean | null;
    switch (t.types[column]) {
      case "timestamp":
        return new Date(v as number);
      case "bigint":
        return BigInt(v as string);
      case "blob":
        return new Uint8Array(Buffer.from(v as string, "base64"));
      default:
        return v;
    }
  });
}
