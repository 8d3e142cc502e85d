import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidMediaError } from "./errors.js";
import { probeSource } from "./probe.js";
import { makeClip } from "./synthetic-clip.js";
import { processesMentioning } from "./testing/processes.js";

const run = promisify(execFile);

describe("probeSource", () => {
  let dir: string;
  const file = (name: string): string => path.join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "probe-"));
    await makeClip(file("good.mp4"), { width: 640, height: 360, seconds: 6, audio: [{ language: "eng" }, { language: "fra" }] });
    await makeClip(file("rotated.mp4"), { width: 640, height: 360, seconds: 2, rotate: 90 });
    // x264's default GOP is 250 frames: one keyframe every 10 s, like many camera files.
    await makeClip(file("long-gop.mp4"), { width: 320, height: 240, seconds: 14 });
    const good = await readFile(file("good.mp4"));
    // The encoder wrote the index (moov) last: cutting the file loses it.
    await writeFile(file("truncated.mp4"), good.subarray(0, Math.floor(good.length / 3)));
    // With the index first, the cut file still opens but its media stops early.
    await run("ffmpeg", ["-v", "error", "-y", "-i", file("good.mp4"), "-c", "copy", "-movflags", "+faststart", file("faststart.mp4")]);
    const faststart = await readFile(file("faststart.mp4"));
    await writeFile(file("truncated-faststart.mp4"), faststart.subarray(0, Math.floor(faststart.length / 3)));
    await writeFile(file("random.mp4"), randomBytes(200_000));
    await writeFile(file("random.bin"), randomBytes(200_000));
    await writeFile(file("notes.txt"), "Just some notes, not a film.\n".repeat(100));
    await writeFile(file("empty.mp4"), "");
    await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=3", "-c:a", "aac", file("audio-only.m4a")]);
    await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1", file("still.png")]);
    // Uploads that are not media but name other files on the machine: another user's video, a secret.
    await writeFile(file("secret.txt"), `${SECRET}\n`);
    await writeFile(file("playlist-upload"), `#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6,\n${file("good.mp4")}\n#EXTINF:1,\n${file("secret.txt")}\n#EXT-X-ENDLIST\n`);
    await writeFile(file("concat-upload.mp4"), "ffconcat version 1.0\nfile good.mp4\nfile secret.txt\n");
    await run("mkfifo", [file("never-ending.mp4")]);
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function refusal(name: string, timeoutMs?: number): Promise<{ reason: string; message: string }> {
    const err: unknown = await probeSource(file(name), { timeoutMs }).then(
      () => new Error(`${name} was accepted`),
      (e: unknown) => e,
    );
    if (!(err instanceof InvalidMediaError)) throw err;
    return { reason: err.reason, message: err.message };
  }

  it("describes a playable file: duration, video, every audio track with its language", async () => {
    const info = await probeSource(file("good.mp4"));
    expect(info.durationSeconds).toBeCloseTo(6, 1);
    expect(info.video).toMatchObject({ codec: "h264", displayWidth: 640, displayHeight: 360, frameRate: { num: 25, den: 1 } });
    expect(info.audio.map((a) => [a.language, a.label])).toEqual([
      ["en", "English"],
      ["fr", "French"],
    ]);
    expect(info.sizeBytes).toBeGreaterThan(0);
  });

  it("accepts a whole file whose keyframes are 10 s apart (the end check reads to the real end)", async () => {
    const info = await probeSource(file("long-gop.mp4"));
    expect(info.durationSeconds).toBeCloseTo(14, 1);
  });

  it("reads the display matrix: a 640x360 picture rotated 90° displays as 360x640", async () => {
    const info = await probeSource(file("rotated.mp4"));
    expect(info.video).toMatchObject({ width: 640, height: 360, displayWidth: 360, displayHeight: 640 });
    expect([90, 270]).toContain(info.video.rotation);
  });

  it("refuses random bytes as not media", async () => {
    expect(await refusal("random.bin")).toEqual({ reason: "not-media", message: "The file is not a video: ffmpeg does not recognise it as audio or video." });
    expect((await refusal("random.mp4")).reason).toMatch(/^(not-media|corrupt)$/);
    expect((await refusal("notes.txt")).reason).toBe("not-media");
    expect(await refusal("empty.mp4")).toEqual({ reason: "not-media", message: "The file is empty." });
  });

  it("refuses a truncated upload as corrupt, saying why", async () => {
    const noIndex = await refusal("truncated.mp4");
    expect(noIndex.reason).toBe("corrupt");
    expect(noIndex.message).toMatch(/index \(moov atom\) is missing/);
    const cutShort = await refusal("truncated-faststart.mp4");
    expect(cutShort.reason).toBe("corrupt");
    expect(cutShort.message).toMatch(/^The file is incomplete: its video stops at \d+\.\d s although the file says it lasts 6\.0 s/);
  });

  it("refuses audio without video and still images as having no video", async () => {
    expect(await refusal("audio-only.m4a")).toEqual({ reason: "no-video", message: "The file has no video stream, only audio (1 track)." });
    expect(await refusal("still.png")).toEqual({ reason: "no-video", message: "The file is a still image, not a video." });
  });

  it("refuses an HLS playlist or an ffconcat list as not a video, without reading the files they name", async () => {
    for (const name of ["playlist-upload", "concat-upload.mp4"]) {
      const err: unknown = await probeSource(file(name)).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(InvalidMediaError);
      expect((err as InvalidMediaError).reason).toBe("not-media");
      expect(everythingSaid(err)).not.toContain(SECRET);
    }
    expect(await refusal("playlist-upload")).toEqual({
      reason: "not-media",
      message: "The file is not a playable video: it is an HLS playlist (.m3u8), which only points at other files. Upload the video file itself.",
    });
    expect((await refusal("concat-upload.mp4")).message).toMatch(/^The file is not a playable video: it is an ffmpeg concat list \(ffconcat\)/);
  });

  it("kills ffprobe and refuses the file when the probe does not finish in time (a FIFO nobody writes)", async () => {
    expect(await refusal("never-ending.mp4", 1_000)).toEqual({
      reason: "corrupt",
      message: "The file cannot be read: ffprobe did not finish reading it within 1 s, as with a damaged file or a stream that never ends.",
    });
    expect(await processesMentioning(file("never-ending.mp4"))).toEqual([]);
  });
});

const SECRET = "cinemesh-secret-4f1c9a";

/** The error's message and every cause's message and stderr, as a log line would show them. */
function everythingSaid(err: unknown): string {
  let text = "";
  for (let e: unknown = err; e instanceof Error; e = e.cause) text += `${e.message}\n${String((e as { stderr?: unknown }).stderr ?? "")}\n`;
  return text;
}
