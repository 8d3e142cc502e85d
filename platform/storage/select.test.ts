import { access, chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { BusMessage } from "../events/bus.js";
import { openBus, openKv, openObjects, openPostgres, type Env, type Relational } from "./select.js";
import { freePort } from "./testing/free-port.js";

describe("adapters chosen from an empty environment (embedded defaults)", () => {
  let dir: string;
  let env: Env;
  let relational: Relational;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cinemesh-select-"));
    await chmod(dir, 0o755);
    env = { CINEMESH_DATA_DIR: dir, EMBEDDED_POSTGRES_PORT: String(await freePort()) };
    relational = await openPostgres(env, { service: "select-test" });
  }, 60_000);
  afterAll(async () => {
    await relational?.close();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("starts Postgres in the data dir and hands out a working pool", async () => {
    const { rows } = await relational.pool.query("SELECT current_setting('application_name') AS app");
    expect(rows[0].app).toBe("select-test");
    await access(path.join(dir, "postgres", "PG_VERSION"));
  });

  it("keeps key-value data in the process: two stores do not share it", async () => {
    const [a, b] = [await openKv(env, { service: "s" }), await openKv(env, { service: "s" })];
    await a.set("k", "v");
    expect(await b.get("k")).toBeNull();
    await Promise.all([a.close(), b.close()]);
  });

  it("stores objects as files under the data dir", async () => {
    const objects = await openObjects(env);
    await objects.put("videos/v1/master.m3u8", Buffer.from("#EXTM3U"), "application/vnd.apple.mpegurl");
    await access(path.join(dir, "objects", "data", "videos", "v1", "master.m3u8"));
    await objects.close();
  });

  it("runs the bus on the shared Postgres, so a second bus (another process) sees the messages", async () => {
    const [publisher, subscriber] = [
      await openBus(env, relational.pool, { service: "a" }),
      await openBus(env, relational.pool, { service: "b" }),
    ];
    const seen: BusMessage[] = [];
    await subscriber.consume({ stream: "events", durable: "b", filterSubject: "cinemesh.events.>", handler: async (m) => void seen.push(m) });
    await publisher.publish("cinemesh.events.test.hello", new Uint8Array([1]));
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 10_000 });
    await Promise.all([publisher.close(), subscriber.close()]);
  });
});

describe.skipIf(!process.env.REDIS_URL)(
  process.env.REDIS_URL ? "adapters chosen with REDIS_URL set" : "adapters chosen with REDIS_URL set (skipped: REDIS_URL not set)",
  () => {
    it("shares key-value data between stores of one service, and keeps services apart", async () => {
      const env = { REDIS_URL: process.env.REDIS_URL };
      const service = `select-test-${process.pid}-${Date.now()}`;
      const [a, b, other] = [await openKv(env, { service }), await openKv(env, { service }), await openKv(env, { service: `${service}-x` })];
      await a.set("k", "v", { ttlMs: 10_000 });
      expect(await b.get("k")).toBe("v");
      expect(await other.get("k")).toBeNull();
      await a.delByPrefix("");
      await Promise.all([a.close(), b.close(), other.close()]);
    });
  },
);
