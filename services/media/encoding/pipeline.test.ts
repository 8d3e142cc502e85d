import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ffmpegPath } from "./binaries.js";
import { buildEncodeCommand } from "./encode-command.js";
import { planEncode } from "./encode-plan.js";
import { encodeVideo, EncodingFailedError, InvalidMediaError, InvalidSubtitleError, probeSource, type EncodeResult, type RenditionProgress } from "./pipeline.js";
import { runFfmpeg } from "./runner.js";
import { makeClip } from "./synthetic-clip.js";
import { checkPackage } from "./testing/package-checks.js";

const SRT = "1\n00:00:01,000 --> 00:00:03,000\nHello\n\n2\n00:00:04,500 --> 00:00:06,000\nWorld\n";
const VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nBonjour\n";

describe("encodeVideo: a landscape clip with audio and subtitles", () => {
  let dir: string;
  let workDir: string;
  let result: EncodeResult;
  const progress: RenditionProgress[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "pipeline-"));
    workDir = path.join(dir, "out");
    await mkdir(workDir);
    await makeClip(path.join(dir, "source.mp4"), { width: 854, height: 480, seconds: 8, audio: [{ language: "eng" }] });
    await writeFile(path.join(dir, "en.srt"), SRT);
    await writeFile(path.join(dir, "fr.vtt"), VTT);
    result = await encodeVideo({
      sourcePath: path.join(dir, "source.mp4"),
      workDir,
      subtitles: [
        { language: "en", path: path.join(dir, "en.srt"), format: "srt" },
        { language: "fr", label: "Français", path: path.join(dir, "fr.vtt"), format: "webvtt" },
      ],
      onProgress: (p) => progress.push(p),
    });
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("encodes 360p and 480p (no upscaling past the 480-line source) and packages them for HLS and DASH", async () => {
    await checkPackage(workDir, result, {
      source: { width: 854, height: 480 },
      renditions: ["360p", "480p"],
      audioLanguages: ["en"],
      subtitleLanguages: ["en", "fr"],
    });
    expect(result.renditions.map((r) => [r.width, r.height, r.targetBitrate])).toEqual([
      [640, 360, 1_000_000],
      [854, 480, 2_000_000],
    ]);
    expect(result.renditions.every((r) => /^avc1\.64/.test(r.codec))).toBe(true);
    expect(result.durationSeconds).toBeCloseTo(8, 1);
  });

  it("measures bitrates from the segments, close to the ladder's targets", () => {
    for (const r of result.renditions) {
      expect(r.averageBitrate).toBeGreaterThan(r.targetBitrate * 0.5);
      expect(r.averageBitrate).toBeLessThan(r.targetBitrate * 1.5);
      expect(r.bitrate).toBeGreaterThanOrEqual(r.averageBitrate);
    }
    expect(result.audioTracks[0]).toMatchObject({ language: "en", label: "English", channels: 2, codec: "mp4a.40.2", isDefault: true });
    expect(result.audioTracks[0]!.bitrate).toBeGreaterThan(100_000);
  });

  it("stores subtitles as WebVTT, SRT converted", () => {
    expect(result.subtitles).toEqual([
      { language: "en", label: "English", path: "subtitles/en.vtt", playlist: "subtitles/en.m3u8" },
      { language: "fr", label: "Français", path: "subtitles/fr.vtt", playlist: "subtitles/fr.m3u8" },
    ]);
  });

  it("reports each rendition's progress from queued through encoding to done", () => {
    for (const name of ["360p", "480p", "audio-en", "artwork", "subtitles"]) {
      const states = progress.filter((p) => p.rendition === name).map((p) => p.state);
      expect(states[0], name).toBe("encoding");
      expect(states.at(-1), name).toBe("done");
    }
    const video = progress.filter((p) => p.rendition === "360p");
    expect(video.map((p) => p.state).filter((s, i, all) => s !== all[i - 1])).toEqual(["encoding", "packaging", "done"]);
    const percents = video.map((p) => p.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(video.some((p) => p.state === "encoding" && p.percent > 0 && p.percent < 100 && p.speed > 0 && p.etaSeconds > 0)).toBe(true);
    expect(video.at(-1)).toMatchObject({ kind: "video", percent: 100, etaSeconds: 0 });
  });
});

describe("encodeVideo refusals", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "pipeline-refusals-"));
    await makeClip(path.join(dir, "source.mp4"), { width: 640, height: 360, seconds: 2 });
    await writeFile(path.join(dir, "random.bin"), Buffer.alloc(100_000, 7));
    await writeFile(path.join(dir, "bad.srt"), "this is not a subtitle file\n");
    // An "upload" naming a file on the worker's disk (another job's source).
    await writeFile(path.join(dir, "upload"), `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n${path.join(dir, "source.mp4")}\n#EXT-X-ENDLIST\n`);
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("rejects a source that is not media before encoding anything", async () => {
    const workDir = path.join(dir, "out-random");
    await mkdir(workDir);
    await expect(encodeVideo({ sourcePath: path.join(dir, "random.bin"), workDir })).rejects.toBeInstanceOf(InvalidMediaError);
  });

  it("refuses an HLS playlist upload as not a playable video, writing nothing", async () => {
    const workDir = path.join(dir, "out-playlist");
    await mkdir(workDir);
    const encoding = encodeVideo({ sourcePath: path.join(dir, "upload"), workDir });
    await expect(encoding).rejects.toMatchObject({ name: "InvalidMediaError", reason: "not-media", message: expect.stringMatching(/HLS playlist/) });
    expect(await readdir(workDir)).toEqual([]);
  });

  it("the encoding pass itself opens only the upload: given a playlist, ffmpeg refuses it and encodes nothing", async () => {
    const workDir = path.join(dir, "out-pinned");
    await mkdir(workDir);
    const plan = planEncode(path.join(dir, "upload"), await probeSource(path.join(dir, "source.mp4")));
    const encoding = runFfmpeg(buildEncodeCommand(plan, workDir), { ffmpegPath: ffmpegPath() });
    await expect(encoding).rejects.toBeInstanceOf(EncodingFailedError);
    await expect(encoding).rejects.toThrow(/not on whitelist/);
    expect(await readdir(workDir, { recursive: true })).not.toContainEqual(expect.stringMatching(/\.m4s$/));
  });

  it("rejects a subtitle file that is not SRT, naming it", async () => {
    const workDir = path.join(dir, "out-subtitle");
    await mkdir(workDir);
    const progress: RenditionProgress[] = [];
    const encoding = encodeVideo({
      sourcePath: path.join(dir, "source.mp4"),
      workDir,
      subtitles: [{ language: "de", path: path.join(dir, "bad.srt"), format: "srt" }],
      onProgress: (p) => progress.push(p),
    });
    await expect(encoding).rejects.toBeInstanceOf(InvalidSubtitleError);
    await expect(encoding).rejects.toThrow(/German subtitles/);
    expect(progress.filter((p) => p.state === "failed").map((p) => p.rendition).sort()).toEqual(["360p", "artwork", "subtitles"]);
  });
});
