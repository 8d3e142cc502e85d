import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VideoStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { VideoEncodingFailedSchema, VideoUploadedSchema } from "../../gen/cinemesh/events/v1/media_events_pb.js";
import { EncodingTaskSchema } from "../../gen/cinemesh/media/v1/media_types_pb.js";
import type { BusMessage, Consumer } from "../../platform/events/bus.js";
import { encodeTaskSubject } from "./events.js";
import { interruptedPatch, listKeys, mediaClient, readObject, tusHead, tusPatch } from "./testing/clients.js";
import { startMediaHarness, type MediaHarness } from "./testing/harness.js";
import { makeGarbage, makeVideo } from "./testing/media-files.js";

const MAX_UPLOAD = 4 * 1024 * 1024;

describe("media uploads", () => {
  let h: MediaHarness;
  let mediaUrl: string;
  let clip: Buffer;
  const received: BusMessage[] = [];
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    h = await startMediaHarness({ MEDIA_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) });
    mediaUrl = (await h.startMedia()).url;
    const file = path.join(h.dataDir, "clip.mp4");
    await makeVideo(file, { seconds: 2 });
    clip = await readFile(file);
    // What the encoders and the notification service would see on the bus.
    const take = async (msg: BusMessage) => void received.push(msg);
    consumers.push(await h.bus.consume({ stream: "work", durable: "media-encoders", filterSubject: encodeTaskSubject(h.bus.namespace), handler: take }));
    consumers.push(await h.bus.consume({ stream: "events", durable: "upload-test", filterSubject: `${h.bus.namespace}.events.media.>`, handler: take }));
  });

  afterAll(async () => {
    for (const c of consumers) await c.stop();
    await h?.close();
  });

  const messageOn = async (subjectEnd: string, match: (m: BusMessage) => boolean): Promise<BusMessage> => {
    for (;;) {
      const found = received.find((m) => m.subject.endsWith(subjectEnd) && match(m));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const createUpload = async (size: number, filename = "clip.mp4") => {
    const contentId = h.catalog.addTitle().contentId;
    const res = await mediaClient(mediaUrl).createVideoUpload({ contentId, filename, sizeBytes: BigInt(size), contentType: "video/mp4" }, { headers: await h.adminHeaders() });
    return { contentId, res, url: `${mediaUrl}${res.uploadUrl}` };
  };

  it("takes a file over tus in chunks, resumes an interrupted PATCH from the server's offset, and queues the job", async () => {
    const admin = await h.adminHeaders();
    const { res, url } = await createUpload(clip.length);
    expect(res.uploadUrl).toBe(`/api/v1/uploads/${res.uploadId}`);
    expect((await h.store.getJob(res.encodingJobId))?.status).toBe("PENDING");

    const head0 = await tusHead(url, admin);
    expect(head0.status).toBe(200);
    expect(head0.headers.get("upload-offset")).toBe("0");
    expect(head0.headers.get("upload-length")).toBe(String(clip.length));

    const first = Math.floor(clip.length / 4);
    const patch1 = await tusPatch(url, 0, clip.subarray(0, first), admin);
    expect(patch1.status).toBe(204);
    expect(patch1.headers.get("upload-offset")).toBe(String(first));

    // The connection drops part-way through the second chunk.
    const sent = Math.floor(clip.length / 4);
    await interruptedPatch(url, first, clip.subarray(first), sent, admin);
    let offset = -1;
    for (;;) {
      const head = await tusHead(url, admin);
      if (head.status === 200) {
        const now = Number(head.headers.get("upload-offset"));
        if (now === offset) break; // settled
        offset = now;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(offset).toBeGreaterThanOrEqual(first);
    expect(offset).toBeLessThanOrEqual(first + sent);

    const last = await tusPatch(url, offset, clip.subarray(offset), admin);
    expect(last.status).toBe(204);
    expect(last.headers.get("upload-offset")).toBe(String(clip.length));

    const job = await h.store.getJob(res.encodingJobId);
    expect(job?.status).toBe("PENDING");
    expect((await h.store.getUpload(res.uploadId))?.completedAt).toBeDefined();
    expect((await readObject(h.objects, job!.sourceObjectKey)).equals(clip)).toBe(true);
    expect(job!.sourceObjectKey).toBe(`originals/${res.videoId}/${res.encodingJobId}/source`);

    const task = await messageOn(".work.media.encode", (m) => fromBinary(EncodingTaskSchema, m.data).jobId === res.encodingJobId);
    expect(fromBinary(EncodingTaskSchema, task.data).sourceObjectKey).toBe(job!.sourceObjectKey);
    const uploaded = await messageOn(".video_uploaded", (m) => fromBinary(VideoUploadedSchema, m.data).encodingJobId === res.encodingJobId);
    expect(fromBinary(VideoUploadedSchema, uploaded.data).sizeBytes).toBe(BigInt(clip.length));

    // A client that lost the last answer asks again: the upload is complete.
    const again = await tusHead(url, admin);
    expect(again.headers.get("upload-offset")).toBe(String(clip.length));
    const status = await mediaClient(mediaUrl).getEncodingStatus({ jobId: res.encodingJobId }, { headers: admin });
    expect(status.progress).toBe(0);
  });

  it("takes a small file as multipart/form-data, episode slot included", async () => {
    const contentId = h.catalog.addTitle().contentId;
    const form = new FormData();
    form.set("seasonNumber", "1");
    form.set("episodeNumber", "3");
    form.set("video", new Blob([clip], { type: "video/mp4" }), "episode.mp4");
    const res = await fetch(`${mediaUrl}/api/v1/admin/content/${contentId}/video`, { method: "POST", body: form, headers: await h.adminHeaders() });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { videoId: string; encodingJobId: string; status: string };
    expect(body.status).toBe("PENDING");
    const video = h.catalog.videos.get(body.videoId);
    expect(video?.seasonNumber).toBe(1);
    expect(video?.episodeNumber).toBe(3);
    const job = await h.store.getJob(body.encodingJobId);
    expect((await readObject(h.objects, job!.sourceObjectKey)).equals(clip)).toBe(true);
    await messageOn(".work.media.encode", (m) => fromBinary(EncodingTaskSchema, m.data).jobId === body.encodingJobId);
  });

  it("fails the job of a file that is not video, with a reason a person understands, and keeps nothing of it", async () => {
    const admin = await h.adminHeaders("0f9d6a2e-6a55-4f0e-9a4b-0c1e2d3f4a5b");
    const garbagePath = path.join(h.dataDir, "garbage.mp4");
    await makeGarbage(garbagePath, 256 * 1024);
    const garbage = await readFile(garbagePath);
    const contentId = h.catalog.addTitle().contentId;
    const res = await mediaClient(mediaUrl).createVideoUpload({ contentId, filename: "movie.mp4", sizeBytes: BigInt(garbage.length), contentType: "video/mp4" }, { headers: admin });
    const url = `${mediaUrl}${res.uploadUrl}`;

    const half = garbage.length / 2;
    expect((await tusPatch(url, 0, garbage.subarray(0, half), admin)).status).toBe(204);
    const last = await tusPatch(url, half, garbage.subarray(half), admin);
    expect(last.status).toBe(422);
    expect(await last.text()).toMatch(/^not a playable video: /);

    const job = await h.store.getJob(res.encodingJobId);
    expect(job?.status).toBe("FAILED");
    expect(job?.failureReason).toMatch(/^not a playable video: .{10,}/);
    const status = await mediaClient(mediaUrl).getEncodingStatus({ jobId: res.encodingJobId }, { headers: admin });
    expect(status.failureReason).toBe(job?.failureReason);

    expect(await listKeys(h.objects, `originals/${res.videoId}/`)).toEqual([]);
    expect(await listKeys(h.objects, `videos/${res.videoId}/`)).toEqual([]);
    expect((await readdir(path.join(h.dataDir, "uploads"))).filter((f) => f.startsWith(res.uploadId))).toEqual([]);
    expect(h.catalog.videos.get(res.videoId)?.status).toBe(VideoStatus.AWAITING_UPLOAD);
    expect(h.catalog.recorded.filter((r) => r.videoId === res.videoId)).toEqual([]);

    const failed = await messageOn(".video_encoding_failed", (m) => fromBinary(VideoEncodingFailedSchema, m.data).jobId === res.encodingJobId);
    expect(fromBinary(VideoEncodingFailedSchema, failed.data).reason).toBe(job?.failureReason);
    expect(fromBinary(VideoEncodingFailedSchema, failed.data).uploadedBy).toBe("0f9d6a2e-6a55-4f0e-9a4b-0c1e2d3f4a5b");
    // The client learns it too if it asks again.
    expect((await tusHead(url, admin)).status).toBe(410);
  });

  it("refuses a declared length over the limit before anything is created or stored", async () => {
    const ensureCalls = h.catalog.ensureCalls;
    const { rows: before } = await h.pool.query("SELECT count(*)::int AS n FROM media.jobs");
    const err = await createUpload(MAX_UPLOAD + 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.InvalidArgument);
    expect((err as ConnectError).rawMessage).toMatch(/uploads are limited to 4\.0 MiB/);
    expect(h.catalog.ensureCalls).toBe(ensureCalls);
    const { rows: after } = await h.pool.query("SELECT count(*)::int AS n FROM media.jobs");
    expect(after[0].n).toBe(before[0].n);

    // The same limit holds for multipart, on the declared length.
    const form = new FormData();
    form.set("video", new Blob([new Uint8Array(MAX_UPLOAD + 2 * 1024 * 1024)]), "big.mp4");
    const res = await fetch(`${mediaUrl}/api/v1/admin/content/${h.catalog.addTitle().contentId}/video`, { method: "POST", body: form, headers: await h.adminHeaders() });
    expect(res.status).toBe(413);
    expect(h.catalog.ensureCalls).toBe(ensureCalls);
  });

  it("lets only admins send bytes", async () => {
    const { url } = await createUpload(clip.length);
    expect((await tusHead(url, {})).status).toBe(401);
    expect((await tusPatch(url, 0, clip.subarray(0, 10), await h.memberHeaders())).status).toBe(403);
    expect((await fetch(`${mediaUrl}/api/v1/uploads`, { method: "POST", headers: { ...(await h.adminHeaders()), "tus-resumable": "1.0.0", "upload-length": "10" } })).status).toBe(405);
  });
});
