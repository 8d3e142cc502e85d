import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { videoCodecString } from "./codec-string.js";

const run = promisify(execFile);

function box(type: string, payload: number[]): number[] {
  const size = 8 + payload.length;
  return [(size >>> 24) & 255, (size >>> 16) & 255, (size >>> 8) & 255, size & 255, ...[...type].map((c) => c.charCodeAt(0)), ...payload];
}

describe("videoCodecString from decoder configuration records", () => {
  it("reads profile, constraints and level from avcC", () => {
    const init = new Uint8Array([...box("avc1", []), ...box("avcC", [1, 0x64, 0x00, 0x28, 0xff])]);
    expect(videoCodecString(init)).toBe("avc1.640028");
  });

  it("reads HEVC Main (compatibility flags bit-reversed, trailing zero constraint bytes dropped)", () => {
    // general_profile_space 0, tier 0, profile_idc 1; compatibility 0x60000000; constraints B0 00…; level 93.
    const hvcC = [1, 0x01, 0x60, 0, 0, 0, 0xb0, 0, 0, 0, 0, 0, 93];
    expect(videoCodecString(new Uint8Array([...box("hvc1", []), ...box("hvcC", hvcC)]))).toBe("hvc1.1.6.L93.B0");
    // High tier, Main 10.
    const main10 = [1, 0x22, 0x20, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 153];
    expect(videoCodecString(new Uint8Array([...box("hev1", []), ...box("hvcC", main10)]))).toBe("hev1.2.4.H153.90");
  });

  it("refuses a file without a video decoder configuration", () => {
    expect(() => videoCodecString(new Uint8Array(box("mp4a", [0, 0])))).toThrow(/no avcC or hvcC/);
  });
});

describe("videoCodecString on what ffmpeg writes", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "codec-string-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function encode(codecArgs: string[]): Promise<{ codec: string; level: number; profile: string }> {
    const file = path.join(dir, `clip-${codecArgs[1]}.mp4`);
    await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=0.4", ...codecArgs, "-movflags", "frag_keyframe+empty_moov", file]);
    const { stdout } = await run("ffprobe", ["-v", "error", "-of", "json", "-show_entries", "stream=profile,level", file]);
    const stream = (JSON.parse(stdout) as { streams: { profile: string; level: number }[] }).streams[0]!;
    return { codec: videoCodecString(await readFile(file)), ...stream };
  }

  it("matches the profile and level ffprobe reports for x264 and x265", async () => {
    const h264 = await encode(["-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast"]);
    expect(h264.profile).toBe("High");
    expect(h264.codec).toBe(`avc1.6400${h264.level.toString(16).padStart(2, "0")}`);
    const h265 = await encode(["-c:v", "libx265", "-tag:v", "hvc1", "-x265-params", "log-level=error"]);
    expect(h265.profile).toBe("Main");
    expect(h265.codec).toMatch(new RegExp(`^hvc1\\.1\\.6\\.L${h265.level}(\\.[0-9A-F]+)*$`));
  });
});
