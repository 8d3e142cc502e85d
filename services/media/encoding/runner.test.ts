import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EncodingFailedError } from "./errors.js";
import { runFfmpeg, type FfmpegTick } from "./runner.js";
import { processesMentioning } from "./testing/processes.js";

describe("runFfmpeg", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "runner-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const longEncode = (output: string) => ({
    inputs: [{ path: "testsrc2=size=640x360:rate=25:duration=600", options: ["-hide_banner", "-nostdin", "-v", "error", "-stats", "-re", "-f", "lavfi"] }],
    outputs: [{ path: output, options: ["-c:v", "libx264", "-preset", "ultrafast"] }],
  });

  it("reports progress from ffmpeg's stats and kills ffmpeg when the signal aborts", async () => {
    const output = path.join(dir, "aborted.mp4");
    const controller = new AbortController();
    const ticks: FfmpegTick[] = [];
    const run = runFfmpeg(longEncode(output), {
      ffmpegPath: "ffmpeg",
      signal: controller.signal,
      onTick: (t) => {
        ticks.push(t);
        if (t.frames > 0) controller.abort(new Error("user cancelled"));
      },
    });
    await expect(run).rejects.toThrow("user cancelled");
    expect(ticks.length).toBeGreaterThan(0);
    expect(await processesMentioning(output)).toEqual([]);
  });

  it("reports progress that climbs to the clip's duration", async () => {
    const ticks: FfmpegTick[] = [];
    await runFfmpeg(
      {
        inputs: [{ path: "testsrc2=size=320x180:rate=25:duration=4", options: ["-hide_banner", "-nostdin", "-v", "error", "-stats", "-f", "lavfi"] }],
        outputs: [{ path: path.join(dir, "whole.mp4"), options: ["-c:v", "libx264", "-preset", "ultrafast"] }],
      },
      { ffmpegPath: "ffmpeg", onTick: (t) => ticks.push(t) },
    );
    const last = ticks.at(-1);
    // 4 s at 25 fps: the last report says (about) the whole clip is written.
    expect(last?.timemarkSeconds).toBeGreaterThan(3.5);
    expect(last?.timemarkSeconds).toBeLessThanOrEqual(4.1);
    expect(last?.frames).toBe(100);
    expect(ticks.map((t) => t.timemarkSeconds)).toEqual([...ticks.map((t) => t.timemarkSeconds)].sort((a, b) => a - b));
  });

  it("does not start ffmpeg when the signal has already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runFfmpeg(longEncode(path.join(dir, "never.mp4")), { ffmpegPath: "ffmpeg", signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("fails with what ffmpeg said", async () => {
    const run = runFfmpeg(
      { inputs: [{ path: path.join(dir, "missing.mp4"), options: ["-v", "error"] }], outputs: [{ path: path.join(dir, "out.mp4"), options: ["-c:v", "libx264"] }] },
      { ffmpegPath: "ffmpeg", description: "encoding failed" },
    );
    await expect(run).rejects.toBeInstanceOf(EncodingFailedError);
    await expect(run).rejects.toThrow(/encoding failed: .*No such file or directory/);
  });
});
