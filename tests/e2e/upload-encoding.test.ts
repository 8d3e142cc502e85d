import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createWriteStream } from "node:fs";
import { promisify } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EncodingJobStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { MediaService, type WatchJobResponse } from "../../gen/cinemesh/media/v1/media_pb.js";
import { RenditionState } from "../../gen/cinemesh/media/v1/media_types_pb.js";
import { startMeshProcess, type MeshProcess } from "../../platform/launcher/mesh-process.js";
import type { ObjectStore } from "../../platform/storage/objects.js";
import { openObjects } from "../../platform/storage/select.js";

const run = promisify(execFile);

/** The segment duration the encoder targets (services/media/encoding/README.md). */
const TARGET_SECONDS = 4;
/** Video segments are cut on keyframes every 4 s exactly (100 frames at 25 fps): EXTINF rounding only. */
const VIDEO_TOLERANCE_SECONDS = 0.01;
/**
 * Audio segments end on an AAC frame (1024 samples, 21 ms at 48 kHz) near the video's cut, and the
 * first one loses the encoder's priming: 3.925 s is what ffmpeg 5.1 gives for the first of a 4 s
 * target. A few frames either way is what players expect; half a second would be a wrong cut.
 */
const AUDIO_TOLERANCE_SECONDS = 0.1;

interface Source {
  name: "av" | "portrait" | "silent" | "bilingual" | "corrupt";
  file: string;
}

/**
 * Issue 4's acceptance: files made here with ffmpeg's lavfi sources are uploaded through the edge
 * with the upload CLI (tus), each job is followed with WatchJob through the edge (Connect) to its
 * end, then ffmpeg decodes every rendition each HLS master playlist lists, segment durations are
 * checked against the target, and the corrupt file's job is FAILED with a clear reason, leaving
 * nothing in object storage and no READY video in the catalog. The uploading admin is notified of
 * each outcome.
 */
describe("upload and encoding pipeline, end to end", () => {
  const admin = { email: "admin@cinemesh.test", password: "Admin-passw0rd!" };
  let mesh: MeshProcess;
  let objects: ObjectStore;
  let work: string;
  let token: string;
  const sources: Source[] = [];

  const api = async (method: string, urlPath: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${mesh.edgeUrl}${urlPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    expect(res.status, `${method} ${urlPath}: ${text}`).toBeLessThan(300);
    return text ? JSON.parse(text) : undefined;
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "cinemesh-e2e-upload-"));
    for (const make of [makeAv, makePortrait, makeSilent, makeBilingual, makeCorrupt]) sources.push(await make(work));
    mesh = await startMeshProcess({
      portOffset: 14_000,
      env: { CINEMESH_ADMIN_EMAIL: admin.email, CINEMESH_ADMIN_PASSWORD: admin.password, LOG_LEVEL: "warn" },
    });
    objects = await openObjects({ ...process.env, CINEMESH_DATA_DIR: mesh.dataDir });
    const login = await fetch(`${mesh.edgeUrl}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(admin) });
    token = ((await login.json()) as { token: string }).token;
  }, 300_000);

  afterAll(async () => {
    await objects?.close();
    await mesh?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("encodes every good file into a ladder ffmpeg plays, and fails the corrupt one leaving nothing behind", { timeout: 20 * 60_000 }, async () => {
    // One title per file, each uploaded as the movie's feature with the upload CLI, through the edge.
    const uploads = new Map<Source["name"], { contentId: string; upload: CliUpload }>();
    for (const source of sources) {
      const { contentId } = await api("POST", "/api/v1/admin/content", { title: `E2E ${source.name}`, type: "MOVIE", rating: "PG", genres: ["Drama"], releaseYear: 2024, language: "en", publish: true });
      uploads.set(source.name, { contentId, upload: await uploadWithCli(mesh.edgeUrl, token, contentId, source.file, work) });
    }

    // The corrupt file is refused when its last byte arrives: the CLI says why and exits 1.
    const corrupt = uploads.get("corrupt")!;
    expect(corrupt.upload.exitCode, corrupt.upload.output).toBe(1);
    expect(corrupt.upload.output).toMatch(/not a playable video: /);
    for (const name of ["av", "portrait", "silent", "bilingual"] as const) expect(uploads.get(name)!.upload.exitCode, uploads.get(name)!.upload.output).toBe(0);

    // Follow every job to its end with WatchJob through the edge (the worker takes them in turn).
    const media = createClient(MediaService, createConnectTransport({ baseUrl: mesh.edgeUrl, httpVersion: "1.1" }));
    const watched = new Map<Source["name"], WatchJobResponse[]>();
    for (const [name, { upload }] of uploads) {
      const seen: WatchJobResponse[] = [];
      for await (const m of media.watchJob({ jobId: upload.jobId }, { headers: { authorization: `Bearer ${token}` } })) seen.push(m);
      watched.set(name, seen);
    }

    for (const name of ["av", "portrait", "silent", "bilingual"] as const) {
      const { contentId, upload } = uploads.get(name)!;
      const seen = watched.get(name)!;
      const last = seen[seen.length - 1];
      expect([name, EncodingJobStatus[last.status], last.failureReason]).toEqual([name, "COMPLETED", ""]);
      expect(last.percent).toBe(100);
      expect(last.renditions.length).toBeGreaterThan(0);
      expect(last.renditions.every((r) => r.state === RenditionState.DONE)).toBe(true);
      const status = await api("GET", `/api/v1/admin/encoding/${upload.jobId}/status`);
      expect(status).toMatchObject({ status: "COMPLETED", progress: 100 });

      const video = (await api("GET", `/api/v1/content/${contentId}`)).video;
      expect(video).toMatchObject({ videoId: upload.videoId, status: "READY", encodingJobId: upload.jobId });
      const local = await download(objects, `videos/${upload.videoId}/${upload.jobId}/`, path.join(work, "out", name));
      const hls = await checkHls(path.join(local, path.basename(video.hlsManifestPath)), name);

      if (name === "silent") expect(hls.audioLanguages).toEqual([]);
      else if (name === "bilingual") expect(new Set(hls.audioLanguages)).toEqual(new Set(["en", "fr"]));
      else expect(hls.audioLanguages).toHaveLength(1);
      const portrait = hls.variants.map((v) => v.height > v.width);
      expect([name, portrait.every((p) => p === (name === "portrait"))]).toEqual([name, true]);
    }

    // The corrupt file's job: FAILED with the prober's reason, everywhere one can look.
    const { contentId, upload } = corrupt;
    const ended = watched.get("corrupt")!;
    expect(ended.map((m) => EncodingJobStatus[m.status])).toEqual(["FAILED"]);
    expect(ended[0].failureReason).toMatch(/^not a playable video: .{10,}/);
    const status = await api("GET", `/api/v1/admin/encoding/${upload.jobId}/status`);
    expect(status).toMatchObject({ status: "FAILED", failureReason: ended[0].failureReason });
    expect(await keysUnder(objects, `originals/${upload.videoId}/`)).toEqual([]);
    expect(await keysUnder(objects, `videos/${upload.videoId}/`)).toEqual([]);
    const video = (await api("GET", `/api/v1/content/${contentId}`)).video;
    expect(video.status).not.toBe("READY");
    expect(video.videoFiles ?? []).toEqual([]);

    // The admin who uploaded hears of every outcome (the notification service consumes the events).
    const { profileId } = await api("POST", "/api/v1/profiles", { name: "Uploader", isKids: false });
    let titles: string[] = [];
    while (titles.length < uploads.size) {
      titles = ((await api("GET", `/api/v1/profile/${profileId}/notifications?limit=20`)).notifications ?? []).map((n: { title: string }) => n.title);
      if (titles.length < uploads.size) await new Promise((r) => setTimeout(r, 200));
    }
    expect(titles.sort()).toEqual([...Array<string>(4).fill("Video ready to play"), "Video encoding failed"].sort());
  });
});

// --- sources, made with ffmpeg's lavfi generators: 6 s, at most 640x360, 25 fps -----------------

const SECONDS = "6";
const VIDEO = ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25"];
const X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];
const tone = (hz: number) => ["-f", "lavfi", "-i", `sine=frequency=${hz}:sample_rate=48000`];

async function ffmpeg(args: string[]): Promise<void> {
  await run("ffmpeg", ["-hide_banner", "-v", "error", "-y", ...args]);
}

async function makeAv(dir: string): Promise<Source> {
  const file = path.join(dir, "av.mp4");
  await ffmpeg([...VIDEO, ...tone(440), "-t", SECONDS, ...X264, "-c:a", "aac", "-b:a", "96k", file]);
  return { name: "av", file };
}

/** Landscape pixels with a 90° display matrix: players (and the encoder) show it 360x640. */
async function makePortrait(dir: string): Promise<Source> {
  const plain = path.join(dir, "portrait-unrotated.mp4");
  const file = path.join(dir, "portrait.mp4");
  await ffmpeg([...VIDEO, ...tone(330), "-t", SECONDS, ...X264, "-c:a", "aac", "-b:a", "96k", plain]);
  // ffmpeg 5.1 turns the `rotate` tag into a display matrix when it remuxes.
  await ffmpeg(["-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", file]);
  const { stdout } = await run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream_side_data=rotation", "-of", "csv=p=0", file]);
  expect(Math.abs(Number(stdout.trim().split("\n")[0]))).toBe(90);
  return { name: "portrait", file };
}

async function makeSilent(dir: string): Promise<Source> {
  const file = path.join(dir, "silent.mp4");
  await ffmpeg([...VIDEO, "-t", SECONDS, ...X264, "-an", file]);
  return { name: "silent", file };
}

async function makeBilingual(dir: string): Promise<Source> {
  const file = path.join(dir, "bilingual.mp4");
  await ffmpeg([
    ...VIDEO, ...tone(440), ...tone(660), "-t", SECONDS,
    "-map", "0:v", "-map", "1:a", "-map", "2:a", ...X264, "-c:a", "aac", "-b:a", "96k",
    "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fra",
    file,
  ]);
  return { name: "bilingual", file };
}

/** A real MP4 cut off before its index (moov at the end, not written): no decoder can use it. */
async function makeCorrupt(dir: string): Promise<Source> {
  const whole = path.join(dir, "whole.mp4");
  const file = path.join(dir, "corrupt.mp4");
  await ffmpeg([...VIDEO, ...tone(440), "-t", SECONDS, ...X264, "-c:a", "aac", whole]);
  const bytes = await readFile(whole);
  await writeFile(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  return { name: "corrupt", file };
}

// --- the upload CLI -------------------------------------------------------------------------------

interface CliUpload {
  exitCode: number;
  output: string;
  videoId: string;
  jobId: string;
}

/** `tools/upload` as a person runs it (compiled), uploading with tus through the edge, not watching. */
async function uploadWithCli(edge: string, token: string, contentId: string, file: string, work: string): Promise<CliUpload> {
  const args = ["dist/tools/upload/main.js", "--edge", edge, "--content", contentId, "--state", path.join(work, "cli-state.json"), "--no-watch", file];
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(process.execPath, args, { env: { ...process.env, CINEMESH_TOKEN: token } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : -1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
  const ids = /video ([0-9a-f-]{36}), encoding job ([0-9a-f-]{36})/.exec(result.output);
  expect(ids, result.output).not.toBeNull();
  return { exitCode: result.code, output: result.output, videoId: ids![1], jobId: ids![2] };
}

// --- object storage and HLS checks ----------------------------------------------------------------

async function keysUnder(objects: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of objects.list(prefix)) keys.push(o.key);
  return keys;
}

/** Copies every object under `prefix` into `dir`, keeping the layout, so ffmpeg reads the HLS tree from disk. */
async function download(objects: ObjectStore, prefix: string, dir: string): Promise<string> {
  for (const key of await keysUnder(objects, prefix)) {
    const target = path.join(dir, key.slice(prefix.length));
    await mkdir(path.dirname(target), { recursive: true });
    await pipeline((await objects.get(key)).body, createWriteStream(target));
  }
  return dir;
}

interface Variant {
  uri: string;
  width: number;
  height: number;
}

/**
 * Decodes every playlist the master lists (video variants and audio renditions) with ffmpeg, which
 * must finish without a single error line, and checks each media playlist's segments: the target
 * duration, and every segment but the last one that long.
 */
async function checkHls(masterPath: string, name: string): Promise<{ variants: Variant[]; audioLanguages: string[] }> {
  const master = await readFile(masterPath, "utf8");
  const lines = master.split("\n").map((l) => l.trim());
  expect(lines[0]).toBe("#EXTM3U");
  const variants: Variant[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.startsWith("#EXT-X-STREAM-INF:")) continue;
    const attrs = attributes(line);
    for (const required of ["BANDWIDTH", "AVERAGE-BANDWIDTH", "RESOLUTION", "CODECS", "FRAME-RATE"]) expect(attrs[required], `${name}: ${line}`).toBeDefined();
    const [width, height] = attrs.RESOLUTION.split("x").map(Number);
    variants.push({ uri: lines[i + 1], width, height });
  }
  expect(variants.length, `${name}: ${master}`).toBeGreaterThan(0);
  const audio = lines.filter((l) => l.startsWith("#EXT-X-MEDIA:") && attributes(l).TYPE === "AUDIO").map(attributes);
  if (audio.length === 0) expect(master).not.toContain("AUDIO=");

  const dir = path.dirname(masterPath);
  for (const v of variants) {
    const playlist = path.join(dir, v.uri);
    await decodes(playlist, name);
    const shown = await videoSize(playlist);
    expect([name, v.uri, shown]).toEqual([name, v.uri, { width: v.width, height: v.height }]);
    await checkSegments(playlist, name, VIDEO_TOLERANCE_SECONDS);
  }
  for (const a of audio) {
    expect(a.URI, `${name}: audio rendition without a URI`).toBeDefined();
    const playlist = path.join(dir, a.URI);
    await decodes(playlist, name);
    await checkSegments(playlist, name, AUDIO_TOLERANCE_SECONDS);
  }
  return { variants, audioLanguages: audio.map((a) => a.LANGUAGE ?? "") };
}

async function decodes(playlist: string, name: string): Promise<void> {
  await expect(stat(playlist)).resolves.toBeDefined();
  const { stderr } = await run("ffmpeg", ["-hide_banner", "-v", "error", "-xerror", "-i", playlist, "-f", "null", "-"]);
  expect([name, path.basename(path.dirname(playlist)), stderr.trim()]).toEqual([name, path.basename(path.dirname(playlist)), ""]);
}

async function videoSize(playlist: string): Promise<{ width: number; height: number }> {
  const { stdout } = await run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "json", playlist]);
  const [stream] = (JSON.parse(stdout) as { streams: Array<{ width: number; height: number }> }).streams;
  return { width: stream.width, height: stream.height };
}

async function checkSegments(playlist: string, name: string, tolerance: number): Promise<void> {
  const text = await readFile(playlist, "utf8");
  const where = `${name} ${path.relative(path.dirname(path.dirname(playlist)), playlist)}`;
  expect(Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(text)?.[1]), where).toBe(TARGET_SECONDS);
  const durations = [...text.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
  expect(durations.length, where).toBeGreaterThan(1);
  for (const d of durations.slice(0, -1)) expect(Math.abs(d - TARGET_SECONDS), `${where}: ${durations.join(", ")}`).toBeLessThanOrEqual(tolerance);
  const last = durations[durations.length - 1];
  expect(last, where).toBeGreaterThan(0);
  expect(last, where).toBeLessThanOrEqual(TARGET_SECONDS + tolerance);
}

/** The attributes of an HLS tag line, quoted values unquoted. */
function attributes(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.slice(line.indexOf(":") + 1).matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) out[m[1]] = m[2].replace(/^"|"$/g, "");
  return out;
}
