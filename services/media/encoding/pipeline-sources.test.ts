import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ffmpegPath, ffprobePath } from "./binaries.js";
import { encodeVideo, type EncodeResult } from "./pipeline.js";
import { makeClip, type ClipSpec } from "./synthetic-clip.js";
import { checkPackage } from "./testing/package-checks.js";

/** Sources of different shapes, each through the whole pipeline and the same package checks. */
describe("encodeVideo on different sources", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "pipeline-sources-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function encode(name: string, clip: ClipSpec, binaries: { ffmpegPath?: string; ffprobePath?: string } = {}): Promise<{ workDir: string; result: EncodeResult }> {
    const sourcePath = path.join(dir, `${name}.mp4`);
    const workDir = path.join(dir, name);
    await mkdir(workDir);
    await makeClip(sourcePath, clip);
    return { workDir, result: await encodeVideo({ sourcePath, workDir, ...binaries }) };
  }

  it("portrait by rotation, odd size, no audio: 722x406 rotated 90° is a 406x722 picture, encoded upright at 360x640", async () => {
    const { workDir, result } = await encode("rotated", { width: 722, height: 406, seconds: 6, rotate: 90 });
    await checkPackage(workDir, result, { source: { width: 406, height: 722 }, renditions: ["360p"], audioLanguages: [] });
    expect(result.renditions[0]).toMatchObject({ width: 360, height: 640 });
    expect(result.audioTracks).toEqual([]);
    expect(result.source.video).toMatchObject({ displayWidth: 406, displayHeight: 722 });
  }, 120_000);

  it("native portrait 360x640 at 30 fps: one rung at source size", async () => {
    const { workDir, result } = await encode("portrait", { width: 360, height: 640, seconds: 6, fps: 30, audio: [{ language: "spa" }] });
    await checkPackage(workDir, result, { source: { width: 360, height: 640 }, renditions: ["360p"], audioLanguages: ["es"] });
    expect(result.renditions[0]).toMatchObject({ width: 360, height: 640, frameRate: 30 });
    expect(result.segmentSeconds).toBe(4);
  }, 120_000);

  it("two audio languages: one audio rendition per source track, English the default", async () => {
    const { workDir, result } = await encode("bilingual", {
      width: 1280,
      height: 720,
      seconds: 6,
      audio: [{ language: "eng" }, { language: "fra" }],
    });
    await checkPackage(workDir, result, { source: { width: 1280, height: 720 }, renditions: ["360p", "480p", "720p"], audioLanguages: ["en", "fr"] });
    expect(result.audioTracks.map((a) => [a.name, a.language, a.label, a.isDefault])).toEqual([
      ["audio-en", "en", "English", true],
      ["audio-fr", "fr", "French", false],
    ]);
  }, 180_000);

  it("with the static ffmpeg and ffprobe shipped in npm (the fallback when none is on PATH)", async () => {
    const binaries = { ffmpegPath: ffmpegPath({ PATH: "" }), ffprobePath: ffprobePath({ PATH: "" }) };
    expect(binaries.ffmpegPath).toContain("node_modules");
    const { workDir, result } = await encode("npm-ffmpeg", { width: 640, height: 360, seconds: 6, audio: [{ language: "eng" }] }, binaries);
    await checkPackage(workDir, result, { source: { width: 640, height: 360 }, renditions: ["360p"], audioLanguages: ["en"] });
  }, 120_000);
});
