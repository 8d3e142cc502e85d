import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EncodingJobStatus, VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { RenditionState } from "../../gen/cinemesh/media/v1/media_types_pb.js";
import type { UploadArgs } from "./args.js";
import { EXIT, runUpload } from "./run.js";
import { ContractEdge, type WatchUpdate } from "./testing/contract-edge.js";

const CHUNK = 64 * 1024;
const CONTENT = "6f1c2b7e-8a4d-4c1e-9b3a-2d5e7f9a1c3b";

const progress = (percent: number, state: RenditionState): WatchUpdate => ({
  status: EncodingJobStatus.PROCESSING,
  percent,
  etaSeconds: 60,
  renditions: [
    { quality: VideoQuality.VIDEO_QUALITY_720P, state, percent, speed: 3.2, etaSeconds: 30 },
    { quality: VideoQuality.VIDEO_QUALITY_360P, state: RenditionState.DONE, percent: 100 },
  ],
});

/**
 * The whole command against an edge that speaks the contracts (REST create, tus, Connect
 * WatchJob), in process: the bytes really travel over HTTP and the resume state really lands
 * on disk between runs.
 */
describe("upload command", () => {
  let edge: ContractEdge;
  let dir: string;
  let file: string;
  let bytes: Buffer;

  beforeEach(async () => {
    edge = await new ContractEdge().start();
    dir = await mkdtemp(path.join(tmpdir(), "cinemesh-upload-"));
    file = path.join(dir, "feature.mp4");
    bytes = randomBytes(5 * CHUNK + 1234);
    await writeFile(file, bytes);
  });
  afterEach(async () => {
    await edge.close();
    await rm(dir, { recursive: true, force: true });
  });

  const args = (more: Partial<UploadArgs> = {}): UploadArgs => ({
    edge: edge.url,
    token: edge.token,
    contentId: CONTENT,
    season: undefined,
    episode: undefined,
    title: "",
    file,
    chunkBytes: CHUNK,
    stateFile: path.join(dir, "state", "uploads.json"),
    watch: true,
    ...more,
  });

  const run = async (a: UploadArgs = args()) => {
    const text = { stdout: "", stderr: "" };
    const stdout = new PassThrough().on("data", (d: Buffer) => (text.stdout += d.toString()));
    const stderr = new PassThrough().on("data", (d: Buffer) => (text.stderr += d.toString()));
    const code = await runUpload(a, { stdout, stderr, signal: new AbortController().signal, uploadRetryDelays: [], watchRetryDelaysMs: [0] });
    return { code, ...text };
  };
  const onlyUpload = () => [...edge.uploads.keys()][0];
  const pendingInState = async () => Object.keys(JSON.parse(await readFile(args().stateFile, "utf8")).uploads).length;

  it("uploads the file in chunks, then shows the job's progress until it completes (exit 0)", async () => {
    edge.nextJobScript = [
      { status: EncodingJobStatus.PENDING },
      progress(20, RenditionState.ENCODING),
      progress(80, RenditionState.PACKAGING),
      { status: EncodingJobStatus.COMPLETED, percent: 100, videoId: "v-1", renditions: [{ quality: VideoQuality.VIDEO_QUALITY_720P, state: RenditionState.DONE, percent: 100 }] },
    ];
    const { code, stdout, stderr } = await run(args({ season: 2, episode: 5, title: "Homecoming" }));
    expect(code).toBe(EXIT.ok);
    expect(edge.creates).toEqual([
      { contentId: CONTENT, seasonNumber: 2, episodeNumber: 5, filename: "feature.mp4", sizeBytes: String(bytes.length), contentType: "video/mp4", title: "Homecoming" },
    ]);
    expect(edge.received(onlyUpload()).equals(bytes)).toBe(true);
    expect(edge.patchOffsets).toEqual([0, 1, 2, 3, 4, 5].map((i) => i * CHUNK));
    expect(stdout).toMatch(/encoding job \S+ completed: video v-1 is ready \(720p\)/);
    // Without a TTY, cli-progress prints the bars as plain lines.
    expect(stderr).toMatch(/total\s.*100\.0%\s+completed/);
    expect(stderr).toMatch(/720p\s.*100\.0%\s+done/);
    expect(await pendingInState()).toBe(0);
  });

  it("resumes an interrupted upload where the server has it when the same command runs again", async () => {
    edge.nextJobScript = [{ status: EncodingJobStatus.COMPLETED, percent: 100 }];
    edge.failPatchesFrom = 2 * CHUNK;
    const first = await run();
    expect(first.code).toBe(EXIT.failed);
    expect(first.stderr).toContain("run the same command again to resume");
    expect(await pendingInState()).toBe(1);
    expect(edge.uploads.get(onlyUpload())?.offset).toBe(2 * CHUNK);

    edge.failPatchesFrom = undefined;
    edge.patchOffsets.length = 0;
    const second = await run();
    expect(second.code).toBe(EXIT.ok);
    expect(second.stderr).toContain(`resuming upload ${onlyUpload()}`);
    expect(edge.creates).toHaveLength(1);
    expect(edge.patchOffsets[0]).toBe(2 * CHUNK);
    expect(edge.received(onlyUpload()).equals(bytes)).toBe(true);
    expect(await pendingInState()).toBe(0);
  });

  it("starts a new upload when the remembered one is gone from the server", async () => {
    edge.nextJobScript = [{ status: EncodingJobStatus.COMPLETED, percent: 100 }];
    edge.failPatchesFrom = CHUNK;
    expect((await run()).code).toBe(EXIT.failed);
    edge.uploads.clear();
    edge.failPatchesFrom = undefined;
    const again = await run();
    expect(again.code).toBe(EXIT.ok);
    expect(again.stderr).toMatch(/is gone on the server; starting a new one/);
    expect(edge.creates).toHaveLength(2);
    expect(edge.received(onlyUpload()).equals(bytes)).toBe(true);
  });

  it("exits 1 with the reason when the encoding job fails", async () => {
    edge.nextJobScript = [
      progress(30, RenditionState.ENCODING),
      { status: EncodingJobStatus.FAILED, percent: 30, failureReason: "encode 720p: ffmpeg exited with code 1" },
    ];
    const { code, stdout, stderr } = await run();
    expect(code).toBe(EXIT.failed);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/encoding job \S+ failed: encode 720p: ffmpeg exited with code 1/);
  });

  it("exits 1 with the server's reason when it refuses the finished file, and forgets the upload", async () => {
    edge.rejectCompletion = { status: 422, message: "probe: no video stream" };
    const { code, stderr } = await run();
    expect(code).toBe(EXIT.failed);
    expect(stderr).toContain("the server refused the upload (422): probe: no video stream");
    expect(await pendingInState()).toBe(0);
  });

  it("exits 1 without uploading anything when the edge refuses to create the upload", async () => {
    const { code, stderr } = await run(args({ token: "member-token" }));
    expect(code).toBe(EXIT.failed);
    expect(stderr).toContain("creating the upload failed: 403 permission_denied: admin role required");
    expect(edge.uploads.size).toBe(0);
  });

  it("follows the job only when asked: --no-watch exits once the bytes are in", async () => {
    const { code, stdout } = await run(args({ watch: false }));
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^uploaded: video \S+, encoding job \S+\n$/);
    expect(edge.received(onlyUpload()).equals(bytes)).toBe(true);
  });
});
