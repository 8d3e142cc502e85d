import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ffmpegPath, ffprobePath } from "./binaries.js";

describe("ffmpeg and ffprobe resolution", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "binaries-"));
    for (const name of ["ffmpeg", "ffprobe"]) {
      await writeFile(path.join(dir, name), "#!/bin/sh\n");
      await chmod(path.join(dir, name), 0o755);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("takes FFMPEG_PATH / FFPROBE_PATH first", () => {
    expect(ffmpegPath({ FFMPEG_PATH: "/opt/ffmpeg", PATH: dir })).toBe("/opt/ffmpeg");
    expect(ffprobePath({ FFPROBE_PATH: "/opt/ffprobe", PATH: dir })).toBe("/opt/ffprobe");
  });

  it("then the first executable on PATH", () => {
    expect(ffmpegPath({ PATH: ["/nonexistent", dir].join(path.delimiter) })).toBe(path.join(dir, "ffmpeg"));
    expect(ffprobePath({ PATH: dir })).toBe(path.join(dir, "ffprobe"));
  });

  it("then the binary shipped in the npm packages", () => {
    expect(ffmpegPath({ PATH: "" })).toMatch(/node_modules\/@ffmpeg-installer\/[^/]+\/ffmpeg$/);
    expect(ffprobePath({ PATH: "" })).toMatch(/node_modules\/@ffprobe-installer\/[^/]+\/ffprobe$/);
  });
});
