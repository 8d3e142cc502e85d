import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import S3rver from "s3rver";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ObjectStore } from "./objects.js";
import { InvalidObjectKeyError, ObjectNotFoundError, RangeNotSatisfiableError } from "./objects.js";
import { createFsObjectStore } from "./objects-fs.js";
import { createS3ObjectStore } from "./objects-s3.js";
import { freePort } from "./testing/free-port.js";

const env = process.env;

interface ObjectsTarget {
  label: string;
  skip: boolean;
  start(): Promise<ObjectStore>;
  stop(): Promise<void>;
}

function fsTarget(): ObjectsTarget {
  let root: string;
  return {
    label: "local files",
    skip: false,
    async start() {
      root = await mkdtemp(path.join(tmpdir(), "cinemesh-objects-"));
      return createFsObjectStore({ root });
    },
    stop: () => rm(root, { recursive: true, force: true }),
  };
}

function s3rverTarget(): ObjectsTarget {
  let dir: string;
  let server: { run(): Promise<unknown>; close(): Promise<void> };
  return {
    label: "s3 on in-process s3rver",
    skip: false,
    async start() {
      dir = await mkdtemp(path.join(tmpdir(), "cinemesh-s3rver-"));
      const port = await freePort();
      server = new S3rver({ port, address: "127.0.0.1", directory: dir, silent: true });
      await server.run();
      return createS3ObjectStore({
        endpoint: `http://127.0.0.1:${port}`,
        bucket: "cinemesh-test",
        accessKeyId: "S3RVER",
        secretAccessKey: "S3RVER",
      });
    },
    async stop() {
      await server?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function s3EndpointTarget(): ObjectsTarget {
  return {
    label: env.S3_ENDPOINT ? "s3 at S3_ENDPOINT" : "s3 at S3_ENDPOINT (skipped: S3_ENDPOINT not set)",
    skip: !env.S3_ENDPOINT,
    start: () =>
      createS3ObjectStore({
        endpoint: env.S3_ENDPOINT,
        bucket: env.S3_BUCKET ?? "cinemesh-test",
        region: env.S3_REGION,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      }),
    async stop() {},
  };
}

const read = async (store: ObjectStore, key: string, range?: { start: number; end?: number }) => {
  const res = await store.get(key, range);
  return { ...res, bytes: await buffer(res.body) };
};
const keysOf = async (it: AsyncIterable<{ key: string }>) => {
  const keys: string[] = [];
  for await (const o of it) keys.push(o.key);
  return keys;
};
/** A stream that yields `total` bytes in odd-sized chunks and does not announce its length. */
function streamOf(data: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += 65_537) yield data.subarray(i, i + 65_537);
    })(),
  );
}
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe.each([fsTarget(), s3rverTarget(), s3EndpointTarget()])("object store on $label", (target) => {
  const { skip } = target;
  let store: ObjectStore;
  let p: string; // each test's own key prefix

  beforeAll(async () => {
    if (!skip) store = await target.start();
  }, 30_000);
  afterAll(async () => {
    if (skip) return;
    await store.close();
    await target.stop();
  });
  afterEach(async () => {
    if (!skip) await store.deletePrefix(p);
  });
  const fresh = () => (p = `t-${randomBytes(5).toString("hex")}/`);

  it.skipIf(skip)("stores a buffer and returns its bytes, size and content type", async () => {
    fresh();
    await store.put(`${p}master.m3u8`, Buffer.from("#EXTM3U\n"), "application/vnd.apple.mpegurl");
    const res = await read(store, `${p}master.m3u8`);
    expect(res.bytes.toString()).toBe("#EXTM3U\n");
    expect(res).toMatchObject({ contentType: "application/vnd.apple.mpegurl", size: 8, range: { start: 0, end: 7 } });
    expect(await store.head(`${p}master.m3u8`)).toMatchObject({ key: `${p}master.m3u8`, size: 8, contentType: "application/vnd.apple.mpegurl" });
    expect(await store.exists(`${p}master.m3u8`)).toBe(true);
  });

  it.skipIf(skip)("stores streams of unknown length, including ones larger than an upload part", async () => {
    fresh();
    const small = randomBytes(100_000);
    await store.put(`${p}small.bin`, streamOf(small), "application/octet-stream");
    expect(sha((await read(store, `${p}small.bin`)).bytes)).toBe(sha(small));

    const large = randomBytes(12 * 1024 * 1024 + 123); // two parts at the default 8 MiB part size
    await store.put(`${p}source.mp4`, streamOf(large), "video/mp4");
    const res = await read(store, `${p}source.mp4`);
    expect(res.size).toBe(large.length);
    expect(res.contentType).toBe("video/mp4");
    expect(sha(res.bytes)).toBe(sha(large));
  }, 30_000);

  it.skipIf(skip)("stores an empty object", async () => {
    fresh();
    await store.put(`${p}empty`, Buffer.alloc(0), "text/plain");
    const res = await read(store, `${p}empty`);
    expect(res.bytes.length).toBe(0);
    expect(res.size).toBe(0);
  });

  it.skipIf(skip)("replaces an object and its content type on a second put", async () => {
    fresh();
    await store.put(`${p}k`, Buffer.from("old"), "text/plain");
    await store.put(`${p}k`, Buffer.from("{}"), "application/json");
    const res = await read(store, `${p}k`);
    expect(res.bytes.toString()).toBe("{}");
    expect(res.contentType).toBe("application/json");
  });

  it.skipIf(skip)("reads bodies without the content type, with a version that changes when the object is replaced", async () => {
    fresh();
    await store.put(`${p}seg.m4s`, Buffer.from("0123456789"), "video/iso.segment");
    const first = await store.getBody(`${p}seg.m4s`);
    expect({ size: first.size, range: first.range, bytes: (await buffer(first.body)).toString() }).toEqual({ size: 10, range: { start: 0, end: 9 }, bytes: "0123456789" });
    expect((await store.head(`${p}seg.m4s`))?.version).toBe(first.version);
    const part = await store.getBody(`${p}seg.m4s`, { start: 3, end: 4 });
    expect((await buffer(part.body)).toString()).toBe("34");
    expect(part.version).toBe(first.version);

    await store.put(`${p}seg.m4s`, Buffer.from("9876543210"), "video/iso.segment");
    const second = await store.getBody(`${p}seg.m4s`);
    expect((await buffer(second.body)).toString()).toBe("9876543210");
    expect(second.version).not.toBe(first.version);
    expect((await store.head(`${p}seg.m4s`))?.version).toBe(second.version);
    await expect(store.getBody(`${p}nope`)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.getBody(`${p}seg.m4s`, { start: 10 })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
  });

  it.skipIf(skip)("reads byte ranges, clamping the end and refusing ranges past the end", async () => {
    fresh();
    await store.put(`${p}seg.m4s`, Buffer.from("0123456789"), "video/iso.segment");
    expect(await read(store, `${p}seg.m4s`, { start: 2, end: 5 })).toMatchObject({ size: 10, range: { start: 2, end: 5 } });
    expect((await read(store, `${p}seg.m4s`, { start: 2, end: 5 })).bytes.toString()).toBe("2345");
    expect((await read(store, `${p}seg.m4s`, { start: 7 })).bytes.toString()).toBe("789");
    const clamped = await read(store, `${p}seg.m4s`, { start: 8, end: 100 });
    expect(clamped.bytes.toString()).toBe("89");
    expect(clamped.range).toEqual({ start: 8, end: 9 });
    await expect(store.get(`${p}seg.m4s`, { start: 10 })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
    await expect(store.get(`${p}seg.m4s`, { start: 5, end: 4 })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
  });

  it.skipIf(skip)("reports missing objects", async () => {
    fresh();
    await expect(store.get(`${p}nope`)).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await store.head(`${p}nope`)).toBeNull();
    expect(await store.exists(`${p}nope`)).toBe(false);
  });

  it.skipIf(skip)("lists objects under a prefix in key order, including partial-segment prefixes", async () => {
    fresh();
    const keys = [`${p}v1/720p/seg_2.m4s`, `${p}v1/720p/seg_1.m4s`, `${p}v1/master.m3u8`, `${p}v10/master.m3u8`, `${p}v2/master.m3u8`];
    for (const key of keys) await store.put(key, Buffer.from(key), "text/plain");
    expect(await keysOf(store.list(`${p}v1/`))).toEqual([`${p}v1/720p/seg_1.m4s`, `${p}v1/720p/seg_2.m4s`, `${p}v1/master.m3u8`]);
    expect(await keysOf(store.list(`${p}v1`))).toEqual([
      `${p}v1/720p/seg_1.m4s`,
      `${p}v1/720p/seg_2.m4s`,
      `${p}v1/master.m3u8`,
      `${p}v10/master.m3u8`,
    ]);
    const [first] = await (async () => {
      const out = [];
      for await (const o of store.list(`${p}v2/`)) out.push(o);
      return out;
    })();
    expect(first).toMatchObject({ key: `${p}v2/master.m3u8`, size: `${p}v2/master.m3u8`.length });
    expect(await keysOf(store.list(`${p}nothing/`))).toEqual([]);
  });

  it.skipIf(skip)("deletes one object, or every object under a prefix and nothing else", async () => {
    fresh();
    for (const key of [`${p}v1/a`, `${p}v1/b/c`, `${p}v10/a`, `${p}v2/a`]) await store.put(key, Buffer.from("x"), "text/plain");
    expect(await store.deletePrefix(`${p}v1/`)).toBe(2);
    expect(await keysOf(store.list(p))).toEqual([`${p}v10/a`, `${p}v2/a`]);
    await store.delete(`${p}v2/a`);
    await store.delete(`${p}v2/a`); // deleting a missing object is fine
    expect(await keysOf(store.list(p))).toEqual([`${p}v10/a`]);
    await expect(store.deletePrefix("")).rejects.toBeInstanceOf(InvalidObjectKeyError);
  });

  it.skipIf(skip)("rejects keys that could escape the store or that S3 and files would treat differently", async () => {
    fresh();
    const bad = ["", "../secret", `${p}../../etc/passwd`, "/etc/passwd", `${p}a//b`, `${p}a/./b`, `${p}a\\b`, `${p}dir/`, `${p}nul\u0000`];
    for (const key of bad) {
      await expect(store.put(key, Buffer.from("x"), "text/plain"), key).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(store.get(key), key).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(store.head(key), key).rejects.toBeInstanceOf(InvalidObjectKeyError);
    }
    await expect(keysOf(store.list("../"))).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.deletePrefix(`${p}../`)).rejects.toBeInstanceOf(InvalidObjectKeyError);
  });
});
