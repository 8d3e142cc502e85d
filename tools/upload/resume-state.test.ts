import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fingerprintOf, ResumeState, type PendingUpload, type UploadTarget } from "./resume-state.js";

const target: UploadTarget = {
  edge: "http://127.0.0.1:8080",
  contentId: "6f1c2b7e-8a4d-4c1e-9b3a-2d5e7f9a1c3b",
  season: undefined,
  episode: undefined,
  file: { path: "/videos/film.mp4", size: 1_000_000, mtimeMs: 1_700_000_000_123.4 },
};
const upload = (expiresAt = "2030-01-01T00:00:00Z"): PendingUpload => ({
  videoId: "v1",
  encodingJobId: "j1",
  uploadId: "u1",
  uploadUrl: "http://127.0.0.1:8080/api/v1/uploads/u1",
  expiresAt,
});

describe("upload resume state", () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cinemesh-upload-state-"));
    file = path.join(dir, "nested", "uploads.json");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("names the same command the same way, and a changed file, slot, title or edge differently", () => {
    const fp = fingerprintOf(target);
    expect(fingerprintOf({ ...target, file: { ...target.file } })).toBe(fp);
    const changed: UploadTarget[] = [
      { ...target, file: { ...target.file, size: 1_000_001 } },
      { ...target, file: { ...target.file, mtimeMs: target.file.mtimeMs + 5 } },
      { ...target, file: { ...target.file, path: "/videos/other.mp4" } },
      { ...target, season: 1, episode: 1 },
      { ...target, contentId: "00000000-0000-4000-8000-000000000000" },
      { ...target, edge: "https://edge.example" },
    ];
    for (const t of changed) expect(fingerprintOf(t)).not.toBe(fp);
  });

  it("remembers an unfinished upload across instances (runs) and forgets it when asked", async () => {
    const fp = fingerprintOf(target);
    expect(await new ResumeState(file).find(fp)).toBeUndefined();
    await new ResumeState(file).remember(fp, upload(), target.file.path);
    await new ResumeState(file).remember("other", { ...upload(), uploadId: "u2" }, "/videos/b.mp4");
    expect(await new ResumeState(file).find(fp)).toEqual(upload());
    await new ResumeState(file).forget(fp);
    expect(await new ResumeState(file).find(fp)).toBeUndefined();
    expect((await new ResumeState(file).find("other"))?.uploadId).toBe("u2");
    expect(JSON.parse(await readFile(file, "utf8")).uploads.other.file).toBe("/videos/b.mp4");
  });

  it("does not resume an upload past its expiry, and drops it from the file", async () => {
    let now = new Date("2029-12-31T23:59:00Z");
    const state = new ResumeState(file, () => now);
    await state.remember("a", upload("2030-01-01T00:00:00Z"), "/a");
    await state.remember("b", upload(""), "/b"); // no known expiry: kept
    expect(await state.find("a")).toBeDefined();
    now = new Date("2030-01-01T00:00:00Z");
    expect(await state.find("a")).toBeUndefined();
    await state.remember("c", upload(), "/c");
    expect(Object.keys(JSON.parse(await readFile(file, "utf8")).uploads).sort()).toEqual(["b", "c"]);
  });

  it("refuses a file that is not its own, saying how to recover", async () => {
    await new ResumeState(file).remember("a", upload(), "/a");
    await writeFile(file, "{ not json");
    await expect(new ResumeState(file).find("a")).rejects.toThrow(/cannot read the resume state .*delete it/);
    await writeFile(file, JSON.stringify({ version: 7 }));
    await expect(new ResumeState(file).find("a")).rejects.toThrow(/not an upload resume state/);
  });
});
