import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeArtwork } from "./artwork.js";
import { ffmpegPath } from "./binaries.js";
import { planEncode } from "./encode-plan.js";
import { parseMediaPlaylist } from "./hls-media-playlist.js";
import { encodeVideo, probeSource, type EncodeResult } from "./pipeline.js";
import { makeClip, type ClipSpec } from "./synthetic-clip.js";
import { decodeErrors, streamsOf } from "./testing/inspect.js";
import { checkPackage } from "./testing/package-checks.js";

/**
 * Files as phones and cameras write them: a nominal 30000/1001 whose frames are not all there or
 * not evenly spaced (so ffprobe's average rate is no standard rate), 44.1 kHz stereo audio, and
 * clips shorter than one segment.
 */
describe("encodeVideo on camera-like sources", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "pipeline-camera-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const camera = (seconds: number, timing: Pick<ClipSpec, "dropOneIn" | "jitterMs">): ClipSpec => ({
    width: 480,
    height: 352,
    seconds,
    fps: "30000/1001",
    audio: [{ language: "eng" }],
    sampleRate: 44_100,
    ...timing,
  });

  async function encode(name: string, clip: ClipSpec): Promise<{ workDir: string; result: EncodeResult }> {
    const sourcePath = path.join(dir, `${name}.mp4`);
    const workDir = path.join(dir, name);
    await mkdir(workDir);
    await makeClip(sourcePath, clip);
    return { workDir, result: await encodeVideo({ sourcePath, workDir }) };
  }

  async function expectPlayable(workDir: string, result: EncodeResult): Promise<void> {
    await checkPackage(workDir, result, { source: { width: 480, height: 352 }, renditions: ["352p"], audioLanguages: ["en"] });
    expect(result.renditions[0]!.frameRate).toBeCloseTo(30000 / 1001, 6);
    expect(result.segmentSeconds).toBeCloseTo(4.004, 6);
    for (const thumb of result.thumbnails) expect(await decodeErrors(path.join(workDir, thumb))).toBe("");
  }

  it("dropped frames: encodes at the nominal 30000/1001, two-GOP segments of 4.004 s, 44.1 kHz audio as 48 kHz AAC", async () => {
    const { workDir, result } = await encode("dropped", camera(20, { dropOneIn: 100 }));
    expect(result.source.video.frameRate).toEqual({ num: 30000, den: 1001 });
    await expectPlayable(workDir, result);
    const [audio] = await streamsOf(path.join(workDir, result.audioTracks[0]!.playlist));
    expect(audio).toMatchObject({ codec_name: "aac", channels: 2 });
  }, 180_000);

  it("jittered timestamps: the same constant-rate package", async () => {
    const { workDir, result } = await encode("jittered", camera(10, { jitterMs: 7 }));
    await expectPlayable(workDir, result);
  }, 180_000);

  it("shorter than one segment (3 s with dropped frames, and 1.5 s): one segment, thumbnails and preview from it", async () => {
    for (const [name, clip] of [["short-3s", camera(3, { dropOneIn: 30 })], ["short-1s", camera(1.5, {})]] as const) {
      const { workDir, result } = await encode(name, clip);
      await expectPlayable(workDir, result);
      expect(parseMediaPlaylist(await readFile(path.join(workDir, result.renditions[0]!.playlist), "utf8")).segments).toHaveLength(1);
    }
  }, 180_000);

  it("draws a still at any time, on a segment boundary (to within playlist rounding) or past the end", async () => {
    const { workDir, result } = await encode("boundaries", camera(12, { dropOneIn: 100 }));
    const rendition = result.renditions[0]!;
    const playlist = path.join(workDir, rendition.playlist);
    const { segments } = parseMediaPlaylist(await readFile(playlist, "utf8"));
    const ends = segments.map((_, i) => segments.slice(0, i + 1).reduce((sum, s) => sum + s.durationSeconds, 0));
    const plan = planEncode(path.join(dir, "boundaries.mp4"), await probeSource(path.join(dir, "boundaries.mp4")));
    // Keyframe times computed from a GOP count land a microsecond either side of the playlist's sums.
    const times = [ends[0]! - 1e-6, ends[1]! + 1e-6, ends.at(-1)! - 1e-6, result.durationSeconds + 5];
    const shots = times.map((atSeconds, i) => ({ atSeconds, path: `artwork/boundary-${i}.jpg` }));
    await makeArtwork(
      { ...plan.artwork, thumbnails: { ...plan.artwork.thumbnails, shots } },
      workDir,
      result.durationSeconds,
      () => ({ playlist, init: path.join(path.dirname(playlist), "init.mp4"), segments }),
      { ffmpegPath: ffmpegPath() },
    );
    for (const shot of shots) {
      const [still] = await streamsOf(path.join(workDir, shot.path));
      expect(still, shot.path).toMatchObject({ codec_name: "mjpeg", width: 480, height: 352 });
    }
  }, 180_000);
});
