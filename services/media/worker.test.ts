import { readFile } from "node:fs/promises";
import path from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VideoStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { EncodingJobStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { VideoEncodedSchema, VideoEncodingFailedSchema } from "../../gen/cinemesh/events/v1/media_events_pb.js";
import type { WatchJobResponse } from "../../gen/cinemesh/media/v1/media_pb.js";
import { RenditionState } from "../../gen/cinemesh/media/v1/media_types_pb.js";
import { generateAuthKeyPair } from "../../platform/auth/tokens.js";
import type { BusMessage, Consumer } from "../../platform/events/bus.js";
import { listKeys, mediaClient, type Protocol } from "./testing/clients.js";
import { createFakeEncoder } from "./testing/fake-encoder.js";
import { startMediaHarness, type MediaHarness } from "./testing/harness.js";
import { makeVideo } from "./testing/media-files.js";

/**
 * The encoding orchestration with the encoder replaced by a test double (fake-encoder.ts): live
 * progress across replicas, take-over of a job whose worker stopped mid-way, bounded retries.
 * encode.test.ts runs the real encoder end to end.
 */
describe("encoding workers", () => {
  let h: MediaHarness;
  let mediaA: string;
  let mediaB: string;
  let clip: Buffer;
  const events: BusMessage[] = [];
  let eventConsumer: Consumer;

  beforeAll(async () => {
    h = await startMediaHarness({ MEDIA_ACK_WAIT_MS: "3000" });
    mediaA = (await h.startMedia()).url;
    mediaB = (await h.startMedia()).url;
    const file = path.join(h.dataDir, "clip.mp4");
    await makeVideo(file, { seconds: 1 });
    clip = await readFile(file);
    eventConsumer = await h.bus.consume({ stream: "events", durable: "worker-test", filterSubject: `${h.bus.namespace}.events.media.>`, handler: async (m) => void events.push(m) });
  });

  afterAll(async () => {
    await eventConsumer?.stop();
    await h?.close();
  });

  const upload = async (uploaderId?: string) => {
    const form = new FormData();
    form.set("video", new Blob([clip], { type: "video/mp4" }), "clip.mp4");
    const contentId = h.catalog.addTitle().contentId;
    const res = await fetch(`${mediaA}/api/v1/admin/content/${contentId}/video`, { method: "POST", body: form, headers: await h.adminHeaders(uploaderId) });
    expect(res.status).toBe(201);
    return (await res.json()) as { videoId: string; encodingJobId: string };
  };

  const event = async (subjectEnd: string, jobId: string, schema: typeof VideoEncodedSchema | typeof VideoEncodingFailedSchema) => {
    for (;;) {
      const found = events.find((m) => m.subject.endsWith(subjectEnd) && fromBinary(schema, m.data).jobId === jobId);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const watchAll = async (url: string, jobId: string, protocol: Protocol, onFirst?: (m: WatchJobResponse) => void) => {
    const seen: WatchJobResponse[] = [];
    for await (const m of mediaClient(url, protocol).watchJob({ jobId }, { headers: await h.adminHeaders() })) {
      if (seen.length === 0) onFirst?.(m);
      seen.push(m);
    }
    return seen;
  };

  it("streams a job's progress from another replica: the current state at once, then live updates until COMPLETED", async () => {
    const encoder = createFakeEncoder({ hold: true });
    const worker = await h.startWorker(encoder);
    const uploaderId = "5d2b7c1e-8f3a-4b6c-9d0e-1f2a3b4c5d6e";
    const { videoId, encodingJobId: jobId } = await upload(uploaderId);
    await encoder.halfway();
    await h.waitForJob(jobId, (j) => j.status === "PROCESSING" && j.renditions.length === 2 && j.renditions.every((r) => r.state === "ENCODING"));

    // Connect to replica B mid-job; the worker reports through the bus, not through B.
    let first: WatchJobResponse | undefined;
    const watching = watchAll(mediaB, jobId, "connect", (m) => {
      first = m;
      encoder.letGo();
    });
    const seen = await watching;
    expect(first?.status).toBe(EncodingJobStatus.PROCESSING);
    expect(first?.renditions.map((r) => r.state)).toEqual([RenditionState.ENCODING, RenditionState.ENCODING]);
    expect(first?.renditions.every((r) => r.percent === 50 && r.speed === 2)).toBe(true);
    expect(first!.percent).toBeGreaterThan(0);
    expect(first!.percent).toBeLessThan(100);
    const states = new Set(seen.slice(1).flatMap((m) => m.renditions.map((r) => r.state)));
    expect(states.has(RenditionState.PACKAGING) || states.has(RenditionState.UPLOADING)).toBe(true);
    const last = seen[seen.length - 1];
    expect(last.status).toBe(EncodingJobStatus.COMPLETED);
    expect(last.percent).toBe(100);
    expect(last.renditions.every((r) => r.state === RenditionState.DONE)).toBe(true);

    // A finished job: one message, then the stream ends, over every protocol.
    for (const protocol of ["connect", "grpc", "grpc-web"] as const) {
      const done = await watchAll(mediaB, jobId, protocol);
      expect(done.map((m) => m.status)).toEqual([EncodingJobStatus.COMPLETED]);
    }
    const status = await mediaClient(mediaA, "grpc").getEncodingStatus({ jobId }, { headers: await h.adminHeaders() });
    expect([status.status, status.progress, status.videoId]).toEqual([EncodingJobStatus.COMPLETED, 100, videoId]);
    const listed = await mediaClient(mediaA).listRenditions({ videoId }, { headers: await h.adminHeaders() });
    expect(listed.encodingJobId).toBe(jobId);
    expect(listed.renditions.map((r) => r.resolution)).toEqual(["640x360", "1280x720"]);

    const recorded = h.catalog.recorded.filter((r) => r.videoId === videoId);
    expect(recorded).toHaveLength(1);
    expect(recorded[0].hlsManifestPath).toBe(`videos/${videoId}/${jobId}/master.m3u8`);
    expect(h.catalog.callerRoles).toContain("service");
    expect(h.catalog.statusReports.filter((r) => r.videoId === videoId).map((r) => [r.jobId, VideoStatus[r.status]])).toEqual([[jobId, "PROCESSING"]]);
    expect(h.catalog.videos.get(videoId)?.status).toBe(VideoStatus.READY);
    const encoded = await event(".video_encoded", jobId, VideoEncodedSchema);
    expect(fromBinary(VideoEncodedSchema, encoded.data)).toMatchObject({ uploadedBy: uploaderId });
    expect(fromBinary(VideoEncodedSchema, encoded.data).renditions).toHaveLength(2);
    await worker.stop();
  });

  it("does not start on the identity key: it signs its calls with the service key only", async () => {
    const identityKey = (await generateAuthKeyPair()).privateKeyPem;
    await expect(h.startWorker(createFakeEncoder(), { SERVICE_TOKEN_PRIVATE_KEY: "", AUTH_PRIVATE_KEY: identityKey })).rejects.toThrow(/SERVICE_TOKEN_PRIVATE_KEY/);
  });

  it("hands the job of a worker stopped mid-job to another, which finishes it with one set of outputs", async () => {
    const doomed = createFakeEncoder({ hold: true });
    const workerA = await h.startWorker(doomed);
    const { videoId, encodingJobId: jobId } = await upload();
    await doomed.halfway();
    // What a worker that died while uploading would have left behind.
    await h.objects.put(`videos/${videoId}/${jobId}/360p/seg_99999.m4s`, Buffer.from("stale"), "video/iso.segment");

    const survivor = createFakeEncoder();
    const workerB = await h.startWorker(survivor);
    await workerA.stop(); // stops consuming without acking: the job goes back to the queue
    const job = await h.waitForJob(jobId, (j) => j.status === "COMPLETED");
    expect(survivor.calls).toBe(1);
    expect(job.attempts).toBe(1);

    const keys = await listKeys(h.objects, `videos/${videoId}/`);
    expect(keys.every((k) => k.startsWith(`videos/${videoId}/${jobId}/`))).toBe(true);
    expect(keys).not.toContain(`videos/${videoId}/${jobId}/360p/seg_99999.m4s`);
    expect(keys).toContain(`videos/${videoId}/${jobId}/master.m3u8`);
    expect(keys).toHaveLength(13); // the fake ladder: 2 rungs × 3 files, audio, master, mpd, thumbnail, sprite, trickplay vtt, preview
    expect(h.catalog.recorded.filter((r) => r.videoId === videoId)).toHaveLength(1);
    await workerB.stop();
  });

  it("fails a job whose every attempt fails after MEDIA_MAX_ATTEMPTS, with the reason, and deletes its objects", async () => {
    const poison = createFakeEncoder({ fail: "ffmpeg exited with code 1: invalid data found when processing input" });
    const worker = await h.startWorker(poison, { MEDIA_MAX_ATTEMPTS: "2" });
    const { videoId, encodingJobId: jobId } = await upload();
    const job = await h.waitForJob(jobId, (j) => j.status === "FAILED");
    expect(job.failureReason).toBe("encoding gave up after 2 attempts: ffmpeg exited with code 1: invalid data found when processing input");
    expect(job.attempts).toBe(2);
    expect(poison.calls).toBe(2);
    expect(await listKeys(h.objects, `originals/${videoId}/`)).toEqual([]);
    expect(await listKeys(h.objects, `videos/${videoId}/`)).toEqual([]);
    expect(h.catalog.statusReports.filter((r) => r.videoId === videoId).map((r) => VideoStatus[r.status])).toEqual(["PROCESSING", "PROCESSING", "FAILED"]);
    expect(h.catalog.videos.get(videoId)?.status).toBe(VideoStatus.FAILED);
    const failed = await event(".video_encoding_failed", jobId, VideoEncodingFailedSchema);
    expect(fromBinary(VideoEncodingFailedSchema, failed.data).reason).toBe(job.failureReason);
    const watched = await watchAll(mediaB, jobId, "connect");
    expect(watched.map((m) => [m.status, m.failureReason])).toEqual([[EncodingJobStatus.FAILED, job.failureReason]]);
    await worker.stop();
  });
});
