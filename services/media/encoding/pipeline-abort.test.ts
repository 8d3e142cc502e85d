import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeVideo, type RenditionProgress } from "./pipeline.js";
import { makeClip } from "./synthetic-clip.js";
import { processesMentioning } from "./testing/processes.js";

describe("encodeVideo abort", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "pipeline-abort-"));
    await makeClip(path.join(dir, "source.mp4"), { width: 1280, height: 720, seconds: 30, audio: [{ language: "eng" }] });
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("kills ffmpeg mid-encode, marks every rendition failed and rejects with the signal's reason", async () => {
    const workDir = path.join(dir, "out");
    await mkdir(workDir);
    const controller = new AbortController();
    const progress: RenditionProgress[] = [];
    const encoding = encodeVideo({
      sourcePath: path.join(dir, "source.mp4"),
      workDir,
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.state === "encoding" && p.percent > 0) controller.abort(new Error("job cancelled"));
      },
    });
    await expect(encoding).rejects.toThrow("job cancelled");
    expect(await processesMentioning(workDir)).toEqual([]);
    const last = new Map(progress.map((p) => [p.rendition, p.state]));
    expect([...last.values()].every((s) => s === "failed")).toBe(true);
    expect([...last.keys()].sort()).toEqual(["360p", "480p", "720p", "artwork", "audio-en"]);
  }, 60_000);
});
