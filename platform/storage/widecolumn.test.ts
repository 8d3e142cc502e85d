import { randomBytes, randomUUID } from "node:crypto";
import { Client } from "cassandra-driver";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "./postgres.js";
import { openTestDatabase, testPostgresKinds, type TestDatabase } from "./testing/test-database.js";
import type { Row, TableDefinition, WideColumnStore, WideColumnTable } from "./widecolumn.js";
import { createPostgresWideColumn } from "./widecolumn-postgres.js";
import { createScyllaWideColumn } from "./widecolumn-scylla.js";
import { readWideColumnConfig } from "./select-widecolumn.js";

interface WideColumnTarget {
  label: string;
  skip: boolean;
  /** A store confined to a fresh schema or keyspace; `cleanup` removes it and closes everything. */
  open(): Promise<{ store: WideColumnStore; cleanup(): Promise<void> }>;
}

function postgresTarget(kind: "embedded" | "DATABASE_URL", label: string, skip: boolean): WideColumnTarget {
  return {
    label: `postgres tables on ${label}`,
    skip,
    async open() {
      const db: TestDatabase = await openTestDatabase(kind);
      const pool: pg.Pool = createPool(db.url, { max: 8 });
      return {
        store: createPostgresWideColumn({ pool, schema: `wc_${randomBytes(4).toString("hex")}` }),
        async cleanup() {
          await pool.end();
          await db.drop();
        },
      };
    },
  };
}

const scyllaPoints = process.env.SCYLLA_CONTACT_POINTS;

const targets: WideColumnTarget[] = [
  ...testPostgresKinds().map(({ kind, skip, label }) => postgresTarget(kind, label, skip)),
  {
    label: scyllaPoints ? "scylla at SCYLLA_CONTACT_POINTS" : "scylla at SCYLLA_CONTACT_POINTS (skipped: SCYLLA_CONTACT_POINTS not set)",
    skip: !scyllaPoints,
    async open() {
      const { scylla } = readWideColumnConfig(process.env);
      const keyspace = `cinemesh_test_${randomBytes(4).toString("hex")}`;
      const store = await createScyllaWideColumn({ ...scylla!, keyspace });
      return {
        store,
        async cleanup() {
          await store.close();
          const admin = new Client({ contactPoints: scylla!.contactPoints, localDataCenter: scylla!.localDataCenter });
          await admin.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
          await admin.shutdown();
        },
      };
    },
  },
];

/** Watch-history shaped: newest first, then by video; one column of each type. */
type HistoryRow = {
  profile_id: string;
  watched_at: Date;
  video_id: string;
  position: number;
  bytes_sent: bigint;
  progress: number;
  completed: boolean;
  thumb: Uint8Array | null;
  note: string | null;
};

let tableSeq = 0;
const historyTable = (): TableDefinition<HistoryRow, "profile_id", "watched_at" | "video_id"> => ({
  name: `history_${++tableSeq}`,
  columns: {
    profile_id: "uuid",
    watched_at: "timestamp",
    video_id: "text",
    position: "int",
    bytes_sent: "bigint",
    progress: "double",
    completed: "boolean",
    thumb: "blob",
    note: "text",
  },
  partitionKey: ["profile_id"],
  clusteringKey: [
    { column: "watched_at", order: "desc" },
    { column: "video_id", order: "asc" },
  ],
});

type RatingRow = { profile_id: string; content_id: string; rating: number | null; user: string | null };
const ratingTable = (): TableDefinition<RatingRow, "profile_id", "content_id"> => ({
  name: `rating_${++tableSeq}`,
  columns: { profile_id: "uuid", content_id: "text", rating: "int", user: "text" },
  partitionKey: ["profile_id"],
  clusteringKey: [{ column: "content_id", order: "asc" }],
});

const at = (minute: number) => new Date(Date.UTC(2024, 0, 1, 0, minute));

function historyRow(profile: string, minute: number, video: string, extra: Partial<HistoryRow> = {}): HistoryRow {
  return { profile_id: profile, watched_at: at(minute), video_id: video, position: minute * 10, bytes_sent: 0n, progress: 0.5, completed: false, thumb: null, note: null, ...extra };
}

const keyOf = (r: HistoryRow) => `${r.watched_at.toISOString().slice(11, 16)}/${r.video_id}`;

async function readAll<R extends Row, P extends keyof R & string, C extends keyof R & string>(
  table: WideColumnTable<R, P, C>,
  partition: Pick<R, P>,
  options: { limit: number; reverse?: boolean },
): Promise<R[][]> {
  const pages: R[][] = [];
  let pageToken: string | undefined;
  do {
    const page = await table.query(partition, { ...options, pageToken });
    pages.push(page.rows);
    pageToken = page.nextPageToken;
    expect(pages.length).toBeLessThan(50);
  } while (pageToken !== undefined);
  return pages;
}

describe.each(targets)("wide-column store on $label", ({ skip, open }) => {
  let store: WideColumnStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (skip) return;
    ({ store, cleanup } = await open());
  }, 120_000);
  afterAll(async () => {
    if (!skip) await cleanup?.();
  }, 60_000);

  it.skipIf(skip)("round-trips every column type and reads null for an absent row", async () => {
    const history = await store.table(historyTable());
    const profile = randomUUID();
    const row = historyRow(profile, 1, "v1", {
      bytes_sent: 9_007_199_254_740_993n,
      progress: 0.25,
      completed: true,
      thumb: new Uint8Array([0, 1, 254, 255]),
      note: "naïve ☕ 'quoted'",
    });
    await history.put(row);
    expect(await history.get({ profile_id: profile, watched_at: at(1), video_id: "v1" })).toEqual(row);
    expect(await history.get({ profile_id: profile, watched_at: at(1), video_id: "v2" })).toBeNull();
    expect(await history.get({ profile_id: randomUUID(), watched_at: at(1), video_id: "v1" })).toBeNull();
  });

  it.skipIf(skip)("put is an upsert that replaces only the columns it carries", async () => {
    const history = await store.table(historyTable());
    const profile = randomUUID();
    await history.put(historyRow(profile, 1, "v1", { note: "first" }));
    await history.put({ profile_id: profile, watched_at: at(1), video_id: "v1", position: 99 });
    expect(await history.get({ profile_id: profile, watched_at: at(1), video_id: "v1" })).toMatchObject({ position: 99, note: "first" });
    expect((await history.query({ profile_id: profile })).rows).toHaveLength(1);
  });

  it.skipIf(skip)("reads one partition in clustering order (newest first, then by video), never another's rows", async () => {
    const history = await store.table(historyTable());
    const [mine, theirs] = [randomUUID(), randomUUID()];
    for (const [minute, video] of [[2, "b"], [1, "a"], [3, "a"], [2, "a"], [2, "c"]] as const) await history.put(historyRow(mine, minute, video));
    await history.put(historyRow(theirs, 9, "z"));
    const { rows, nextPageToken } = await history.query({ profile_id: mine });
    expect(rows.map(keyOf)).toEqual(["00:03/a", "00:02/a", "00:02/b", "00:02/c", "00:01/a"]);
    expect(nextPageToken).toBeUndefined();
    const reversed = await history.query({ profile_id: mine }, { reverse: true });
    expect(reversed.rows.map(keyOf)).toEqual(["00:01/a", "00:02/c", "00:02/b", "00:02/a", "00:03/a"]);
    expect((await history.query({ profile_id: randomUUID() })).rows).toEqual([]);
  });

  it.skipIf(skip)("restricts the first clustering column to a range [gte, lt)", async () => {
    const history = await store.table(historyTable());
    const profile = randomUUID();
    for (let minute = 1; minute <= 6; minute++) await history.put(historyRow(profile, minute, "v"));
    const { rows } = await history.query({ profile_id: profile }, { range: { gte: at(2), lt: at(5) } });
    expect(rows.map(keyOf)).toEqual(["00:04/v", "00:03/v", "00:02/v"]);
    const reversed = await history.query({ profile_id: profile }, { range: { gte: at(5) }, reverse: true });
    expect(reversed.rows.map(keyOf)).toEqual(["00:05/v", "00:06/v"]);
  });

  it.skipIf(skip)("pages through a partition with tokens: every row once, in order, both directions", async () => {
    const history = await store.table(historyTable());
    const profile = randomUUID();
    const expected: string[] = [];
    for (let minute = 7; minute >= 1; minute--) {
      for (const video of ["a", "b"]) {
        await history.put(historyRow(profile, minute, video));
        expected.push(`00:0${minute}/${video}`);
      }
    }
    for (const reverse of [false, true]) {
      const pages = await readAll(history, { profile_id: profile }, { limit: 3, reverse });
      for (const page of pages) expect(page.length).toBeLessThanOrEqual(3);
      expect(pages.flat().map(keyOf)).toEqual(reverse ? [...expected].reverse() : expected);
    }
    const exact = await readAll(history, { profile_id: profile }, { limit: 14 });
    expect(exact.flat()).toHaveLength(14);
  });

  it.skipIf(skip)("deletes a row, and a whole partition", async () => {
    const history = await store.table(historyTable());
    const [a, b] = [randomUUID(), randomUUID()];
    for (const p of [a, b]) for (const video of ["x", "y"]) await history.put(historyRow(p, 1, video));
    await history.delete({ profile_id: a, watched_at: at(1), video_id: "x" });
    expect((await history.query({ profile_id: a })).rows.map(keyOf)).toEqual(["00:01/y"]);
    await history.deletePartition({ profile_id: b });
    expect((await history.query({ profile_id: b })).rows).toEqual([]);
    expect((await history.query({ profile_id: a })).rows).toHaveLength(1);
  });

  it.skipIf(skip)("putIf writes only when the row is absent, or when the expected columns still hold", async () => {
    const ratings = await store.table(ratingTable());
    const key = { profile_id: randomUUID(), content_id: "heat" };
    expect(await ratings.putIf({ ...key, rating: 3, user: "first" }, null)).toBe(true);
    expect(await ratings.putIf({ ...key, rating: 5, user: "second" }, null)).toBe(false);
    expect(await ratings.putIf({ ...key, rating: 4, user: "third" }, { rating: 2 })).toBe(false);
    expect(await ratings.get(key)).toMatchObject({ rating: 3, user: "first" });
    expect(await ratings.putIf({ ...key, rating: 4, user: "fourth" }, { rating: 3 })).toBe(true);
    expect(await ratings.get(key)).toMatchObject({ rating: 4, user: "fourth" });
    expect(await ratings.putIf({ profile_id: key.profile_id, content_id: "absent", rating: 1 }, { rating: 1 })).toBe(false);
    expect(await ratings.get({ profile_id: key.profile_id, content_id: "absent" })).toBeNull();
  });

  it.skipIf(skip)("putIf lets exactly one of many concurrent writers win", async () => {
    const ratings = await store.table(ratingTable());
    const key = { profile_id: randomUUID(), content_id: "heat" };
    const first = await Promise.all(Array.from({ length: 8 }, (_, i) => ratings.putIf({ ...key, rating: 1, user: `w${i}` }, null)));
    expect(first.filter(Boolean)).toHaveLength(1);
    const winner = (await ratings.get(key))!.user;
    expect(winner).toBe(`w${first.indexOf(true)}`);
    const second = await Promise.all(Array.from({ length: 8 }, (_, i) => ratings.putIf({ ...key, rating: 2, user: `u${i}` }, { rating: 1 })));
    expect(second.filter(Boolean)).toHaveLength(1);
  });

  it.skipIf(skip)("counters add deltas (negative too), read 0 until written, and lose no concurrent add", async () => {
    const totals = await store.counters<{ content_id: string }, "sum" | "count">({ name: `totals_${++tableSeq}`, key: { content_id: "uuid" }, counters: ["sum", "count"] });
    const [a, b] = [randomUUID(), randomUUID()];
    expect(await totals.get({ content_id: a })).toEqual({ sum: 0, count: 0 });
    await totals.add({ content_id: a }, { sum: 5, count: 1 });
    await totals.add({ content_id: a }, { sum: -2 });
    expect(await totals.get({ content_id: a })).toEqual({ sum: 3, count: 1 });
    await Promise.all(Array.from({ length: 20 }, () => totals.add({ content_id: b }, { sum: 2, count: 1 })));
    expect(await totals.get({ content_id: b })).toEqual({ sum: 40, count: 20 });
    await expect(totals.add({ content_id: a }, { ["nope" as "sum"]: 1 })).rejects.toThrow(/unknown counter/);
  });

  it.skipIf(skip)("creates a table once however many callers ask at the same time", async () => {
    const def = ratingTable();
    const handles = await Promise.all([store.table(def), store.table(def), store.table(def)]);
    await handles[0].put({ profile_id: "00000000-0000-4000-8000-000000000001", content_id: "x", rating: 2, user: null });
    expect(await handles[2].get({ profile_id: "00000000-0000-4000-8000-000000000001", content_id: "x" })).toMatchObject({ rating: 2 });
    expect(await (await store.table(def)).get({ profile_id: "00000000-0000-4000-8000-000000000001", content_id: "x" })).not.toBeNull();
  });

  it.skipIf(skip)("refuses names that are not plain identifiers, and keys missing from a row", async () => {
    await expect(store.table({ ...ratingTable(), name: "bad; DROP TABLE x" })).rejects.toThrow(/invalid wide-column name/);
    const ratings = await store.table(ratingTable());
    await expect(ratings.put({ profile_id: randomUUID() } as never)).rejects.toThrow(/content_id/);
  });
});
