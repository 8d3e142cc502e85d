import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenVerifier, generateAuthKeyPair } from "../platform/auth/tokens.js";
import { createLogger } from "../platform/logger.js";
import { signMediaToken, type MediaGrant } from "../platform/media/media-token.js";
import { createFsObjectStore } from "../platform/storage/objects-fs.js";
import type { ObjectStore } from "../platform/storage/objects.js";
import { startEdgeGateway, type EdgeGateway } from "./gateway.js";
import { MEDIA_REVALIDATE_SECONDS } from "./media-cache.js";
import { parseMediaPath, parseRange } from "./media-origin.js";

const VIDEO = "4b7f4f4e-6a43-4f43-8d52-4b8b0f7bb1a1";
const OTHER = "9d2c0d0e-1111-4c22-8e33-2a2a2a2a2a2a";
const dir = `videos/${VIDEO}/job-1/`;
const segment = randomBytes(100_000);

/** The edge's media origin over a real (file) object store holding a real master and MPD, with and without its object cache. */
describe.each([
  { label: "streaming every object", cacheBytes: 0 },
  { label: "serving objects from memory", cacheBytes: 4 << 20 },
])("media origin $label", ({ cacheBytes }) => {
  let edge: EdgeGateway;
  let clockOffset = 0;
  const now = () => Date.now() / 1000 + clockOffset;
  let objects: ObjectStore;
  let root: string;
  const key = randomBytes(32);
  const sign = (grant: Partial<MediaGrant> = {}) =>
    signMediaToken(key, { prefix: `videos/${VIDEO}/`, expiresAt: Math.floor(Date.now() / 1000) + 600, maxShortSide: 480, sessionId: "s", ...grant });
  const get = (token: string, rest: string, init?: RequestInit) => fetch(`${edge.url}/media/${token}/${rest}`, init);

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "origin-"));
    objects = await createFsObjectStore({ root });
    const testdata = (name: string) => readFile(new URL(`../platform/media/testdata/${name}`, import.meta.url));
    await objects.put(`${dir}master.m3u8`, await testdata("master.m3u8"), "application/octet-stream");
    await objects.put(`${dir}manifest.mpd`, await testdata("manifest.mpd"), "application/octet-stream");
    for (const rung of ["360p", "480p", "1080p"]) await objects.put(`${dir}${rung}/seg-00001.m4s`, segment, "application/octet-stream");
    await objects.put(`${dir}360p/init.mp4`, Buffer.from("init"), "video/mp4");
    await objects.put(`${dir}artwork/thumb-10.jpg`, Buffer.from("jpg"), "image/jpeg");
    await objects.put(`videos/${VIDEO}/subtitles/en.vtt`, Buffer.from("WEBVTT\n"), "text/vtt");
    await objects.put(`videos/${OTHER}/job-2/master.m3u8`, Buffer.from("#EXTM3U\n"), "application/vnd.apple.mpegurl");
    const { publicKeyPem } = await generateAuthKeyPair();
    edge = await startEdgeGateway({
      port: 0,
      host: "127.0.0.1",
      logger: createLogger("edge", "silent"),
      env: { AUTH_PUBLIC_KEY: publicKeyPem },
      services: [],
      upstreamTimeoutMs: 1000,
      maxBodyBytes: 1 << 20,
      corsOrigins: ["https://only-this.example"],
      httpMounts: [],
      rateLimits: { perIpPerMinute: 1, perUserPerMinute: 1 },
      verifier: await createTokenVerifier(publicKeyPem),
      media: { objects, signingKey: key, cacheBytes, now },
    });
  });

  afterAll(async () => {
    await edge?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("serves a BASIC session a master listing nothing above 480p, short-lived and typed", async () => {
    const res = await get(sign(), `${dir}master.m3u8`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
    expect(res.headers.get("cache-control")).toBe("public, max-age=10");
    const text = await res.text();
    expect(text.split("\n").filter((l) => l.endsWith("index.m3u8"))).toEqual(["360p/index.m3u8", "480p/index.m3u8"]);
  });

  it("serves a PREMIUM session every rung, and caps the DASH MPD the same way", async () => {
    expect((await (await get(sign({ maxShortSide: 100_000 }), `${dir}master.m3u8`)).text()).match(/#EXT-X-STREAM-INF/g)).toHaveLength(4);
    const mpd = await get(sign(), `${dir}manifest.mpd`);
    expect(mpd.headers.get("content-type")).toBe("application/dash+xml");
    expect([...(await mpd.text()).matchAll(/<Representation [^>]*height="(\d+)"/g)].map((m) => m[1])).toEqual(["360", "480"]);
  });

  it("refuses a BASIC session's request for a 1080p segment, and serves its 480p one as immutable", async () => {
    const refused = await get(sign(), `${dir}1080p/seg-00001.m4s`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/1080p is above this session's plan/);
    const ok = await get(sign(), `${dir}480p/seg-00001.m4s`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("video/iso.segment");
    expect(ok.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(Buffer.from(await ok.arrayBuffer()).equals(segment)).toBe(true);
  });

  it("answers a Range request with 206 and exactly those bytes; suffix ranges too; 416 past the end", async () => {
    const res = await get(sign(), `${dir}360p/seg-00001.m4s`, { headers: { range: "bytes=1000-1999" } });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes 1000-1999/${segment.length}`);
    expect(res.headers.get("content-length")).toBe("1000");
    expect(Buffer.from(await res.arrayBuffer()).equals(segment.subarray(1000, 2000))).toBe(true);
    const tail = await get(sign(), `${dir}360p/seg-00001.m4s`, { headers: { range: "bytes=-10" } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(segment.subarray(segment.length - 10))).toBe(true);
    const past = await get(sign(), `${dir}360p/seg-00001.m4s`, { headers: { range: `bytes=${segment.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${segment.length}`);
  });

  it("gives every kind of file its content type", async () => {
    const types = {
      "360p/init.mp4": "video/mp4",
      "artwork/thumb-10.jpg": "image/jpeg",
      "../subtitles/en.vtt": "text/vtt; charset=utf-8",
    };
    for (const [rest, type] of Object.entries(types)) {
      const res = await get(sign(), `${dir}${rest}`);
      expect(res.status, rest).toBe(200);
      expect(res.headers.get("content-type"), rest).toBe(type);
    }
  });

  it("refuses a tampered signature, a raised cap, an expired token and another video's files with 403", async () => {
    const token = sign();
    const tampered = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    expect((await get(tampered, `${dir}480p/seg-00001.m4s`)).status).toBe(403);
    const [, signature] = token.split(".");
    const raised = Buffer.from(JSON.stringify({ p: `videos/${VIDEO}/`, e: Math.floor(Date.now() / 1000) + 600, q: 2160, s: "s" })).toString("base64url");
    expect((await get(`${raised}.${signature}`, `${dir}1080p/seg-00001.m4s`)).status).toBe(403);
    const expired = await get(sign({ expiresAt: Math.floor(Date.now() / 1000) - 1 }), `${dir}480p/seg-00001.m4s`);
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { message: string }).message).toMatch(/expired/);
    expect((await get(token, `videos/${OTHER}/job-2/master.m3u8`)).status).toBe(403);
  });

  it("never leaves the video's folder: ../ and encoded variants are 403 or 404", async () => {
    const token = sign();
    for (const rest of [`${dir}../../${OTHER}/job-2/master.m3u8`, `${dir}%2e%2e/%2e%2e/${OTHER}/job-2/master.m3u8`, `${dir}..%2F..%2F${OTHER}%2Fjob-2%2Fmaster.m3u8`, `${dir}..%5c..%5cmaster.m3u8`]) {
      const res = await fetch(`${edge.url}/media/${token}/${rest}`);
      expect([403, 404], rest).toContain(res.status);
      expect(await res.text()).not.toContain("#EXTM3U");
    }
  });

  it("lets a player on any origin read media (the signature is the credential), unlike the API's CORS list", async () => {
    const preflight = await get(sign(), `${dir}master.m3u8`, { method: "OPTIONS", headers: { origin: "https://player.example", "access-control-request-method": "GET", "access-control-request-headers": "range" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("range");
    const res = await get(sign(), `${dir}master.m3u8`, { headers: { origin: "https://player.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("is not held back by the API rate limit (one request per minute here)", async () => {
    for (let i = 0; i < 5; i++) expect((await get(sign(), `${dir}480p/seg-00001.m4s`, { method: "HEAD" })).status).toBe(200);
  });

  it("serves a replaced subtitle file's new bytes within the revalidation window, and a master's at once", async () => {
    const subtitle = `videos/${VIDEO}/subtitles/fr.vtt`;
    await objects.put(subtitle, Buffer.from("WEBVTT\n\nold"), "text/vtt");
    expect(await (await get(sign(), `${dir}../subtitles/fr.vtt`)).text()).toBe("WEBVTT\n\nold");
    await objects.put(subtitle, Buffer.from("WEBVTT\n\nnew"), "text/vtt");
    clockOffset += MEDIA_REVALIDATE_SECONDS;
    expect(await (await get(sign(), `${dir}../subtitles/fr.vtt`)).text()).toBe("WEBVTT\n\nnew");
    const master = `videos/${VIDEO}/job-3/master.m3u8`;
    await objects.put(master, Buffer.from("#EXTM3U\n#EXT-X-VERSION:7\n"), "application/vnd.apple.mpegurl");
    expect(await (await get(sign(), master)).text()).toContain("VERSION:7");
    await objects.put(master, Buffer.from("#EXTM3U\n#EXT-X-VERSION:8\n"), "application/vnd.apple.mpegurl");
    expect(await (await get(sign(), master)).text()).toContain("VERSION:8");
  });

  it("answers the same Range requests from memory as from the store once an object is cached", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await get(sign(), `${dir}480p/seg-00001.m4s`, { headers: { range: "bytes=99990-" } });
      expect(res.status).toBe(206);
      expect(res.headers.get("content-range")).toBe(`bytes 99990-99999/${segment.length}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(segment.subarray(99_990))).toBe(true);
      expect((await get(sign(), `${dir}480p/seg-00001.m4s`, { headers: { range: "bytes=-0" } })).status).toBe(416);
      const head = await get(sign(), `${dir}480p/seg-00001.m4s`, { method: "HEAD" });
      expect(head.headers.get("content-length")).toBe(String(segment.length));
    }
  });

  it("answers 404 for a missing object and 405 for a write", async () => {
    expect((await get(sign(), `${dir}480p/seg-09999.m4s`)).status).toBe(404);
    expect((await get(sign(), `${dir}480p/seg-00001.m4s`, { method: "PUT", body: "x" })).status).toBe(405);
  });
});

describe("media paths and ranges", () => {
  it("parse only clean keys", () => {
    expect(parseMediaPath("/media/t/videos/v/a.m4s")).toEqual({ token: "t", key: "videos/v/a.m4s" });
    for (const bad of ["/media/t", "/media//videos/v", "/media/t/videos//a", "/media/t/videos/%2F/a", "/media/t/videos/../a", "/media/t/videos/%00/a", "/media/t/%E0%A4%A"]) expect(parseMediaPath(bad), bad).toBeUndefined();
  });

  it("parse single byte ranges and ignore the rest", () => {
    expect(parseRange("bytes=0-99")).toEqual({ start: 0, end: 99 });
    expect(parseRange("bytes=100-")).toEqual({ start: 100 });
    expect(parseRange("bytes=-5")).toEqual({ suffix: 5 });
    for (const other of [undefined, "bytes=5-1", "bytes=0-1,5-6", "items=0-1", "bytes=-"]) expect(parseRange(other), String(other)).toBeUndefined();
  });
});
