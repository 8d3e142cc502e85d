import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFsObjectStore } from "../platform/storage/objects-fs.js";
import { ObjectNotFoundError, type ObjectStore } from "../platform/storage/objects.js";
import { MEDIA_REVALIDATE_SECONDS, MediaCache } from "./media-cache.js";

/** The media origin's object cache over a real (file) object store, on a clock the test moves. */
describe("media cache", () => {
  let root: string;
  let objects: ObjectStore;
  let clock = 1_000;
  const now = () => clock;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "media-cache-"));
    objects = await createFsObjectStore({ root });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("serves a replaced object's old bytes for at most the revalidation window, then the new ones", async () => {
    const cache = new MediaCache({ objects, maxBytes: 1 << 20, now });
    await objects.put("v/en.vtt", Buffer.from("WEBVTT old"), "text/vtt");
    expect((await cache.get("v/en.vtt"))?.toString()).toBe("WEBVTT old");
    await objects.put("v/en.vtt", Buffer.from("WEBVTT new!"), "text/vtt");
    clock += MEDIA_REVALIDATE_SECONDS - 1;
    expect((await cache.get("v/en.vtt"))?.toString()).toBe("WEBVTT old");
    clock += 1;
    expect((await cache.get("v/en.vtt"))?.toString()).toBe("WEBVTT new!");
    expect(cache.usedBytes).toBe("WEBVTT new!".length);
  });

  it("keeps serving an unchanged object from memory after checking it, and forgets a deleted one", async () => {
    const cache = new MediaCache({ objects, maxBytes: 1 << 20, now });
    const bytes = randomBytes(5_000);
    await objects.put("v/seg-1.m4s", bytes, "video/iso.segment");
    const first = await cache.get("v/seg-1.m4s");
    clock += MEDIA_REVALIDATE_SECONDS;
    expect(await cache.get("v/seg-1.m4s")).toBe(first); // the same Buffer: not read again
    await objects.delete("v/seg-1.m4s");
    clock += MEDIA_REVALIDATE_SECONDS;
    await expect(cache.get("v/seg-1.m4s")).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(cache.usedBytes).toBe(0);
    await expect(cache.get("v/never.m4s")).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it("never holds more than its bound, dropping the least recently used first", async () => {
    const cache = new MediaCache({ objects, maxBytes: 80_000, now });
    const segments = Array.from({ length: 10 }, () => randomBytes(10_000));
    for (const [i, s] of segments.entries()) await objects.put(`w/seg-${i}.m4s`, s, "video/iso.segment");
    for (let i = 0; i < 7; i++) await cache.get(`w/seg-${i}.m4s`);
    const kept = await cache.get("w/seg-0.m4s"); // now the most recent
    for (let i = 7; i < 10; i++) {
      expect((await cache.get(`w/seg-${i}.m4s`))?.equals(segments[i]!)).toBe(true);
      expect(cache.usedBytes).toBeLessThanOrEqual(80_000);
    }
    expect(cache.usedBytes).toBe(80_000);
    expect(await cache.get("w/seg-0.m4s")).toBe(kept);
    // seg-1 went first: it comes back as a fresh read, equal bytes in a new Buffer.
    const again = await cache.get("w/seg-1.m4s");
    expect(again?.equals(segments[1]!)).toBe(true);
    expect(cache.usedBytes).toBeLessThanOrEqual(80_000);
  });

  it("leaves an object larger than an eighth of the bound to be streamed", async () => {
    const cache = new MediaCache({ objects, maxBytes: 80_000, now });
    await objects.put("w/preview.mp4", randomBytes(10_001), "video/mp4");
    expect(await cache.get("w/preview.mp4")).toBeUndefined();
    expect(cache.usedBytes).toBe(0);
  });

  it("reads an object once for many concurrent requests", async () => {
    let reads = 0;
    const counting: ObjectStore = { ...objects, getBody: (key, range) => (reads++, objects.getBody(key, range)) };
    const cache = new MediaCache({ objects: counting, maxBytes: 1 << 20, now });
    const bytes = randomBytes(50_000);
    await objects.put("x/seg-1.m4s", bytes, "video/iso.segment");
    const all = await Promise.all(Array.from({ length: 20 }, () => cache.get("x/seg-1.m4s")));
    expect(all.every((b) => b?.equals(bytes))).toBe(true);
    expect(reads).toBe(1);
  });
});
