import { randomUUID } from "node:crypto";
import { readdir, readFile, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VideoStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { VideoEncodingFailedSchema } from "../../gen/cinemesh/events/v1/media_events_pb.js";
import type { BusMessage, Consumer } from "../../platform/events/bus.js";
import { listKeys, mediaClient, tusHead, tusPatch } from "./testing/clients.js";
import { startMediaHarness, type MediaHarness } from "./testing/harness.js";
import { makeVideo } from "./testing/media-files.js";

/** Waits (bounded by the suite's timeout, never asserted on) until `check` holds. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 100));
}

describe("abandoned uploads", () => {
  let h: MediaHarness;
  let sweeping: string;
  let patient: string;
  let clip: Buffer;
  let uploadDir: string;
  const events: BusMessage[] = [];
  let consumer: Consumer;

  beforeAll(async () => {
    h = await startMediaHarness();
    // One replica gives uploads a second and sweeps every second; the other keeps the defaults
    // (a day to finish) and does not sweep, so its uploads show what the sweep must leave alone.
    sweeping = (await h.startMedia({ MEDIA_UPLOAD_TTL_SECONDS: "1", MEDIA_UPLOAD_SWEEP_INTERVAL_SECONDS: "1" })).url;
    patient = (await h.startMedia({ MEDIA_UPLOAD_SWEEP_INTERVAL_SECONDS: "0" })).url;
    const file = path.join(h.dataDir, "clip.mp4");
    await makeVideo(file, { seconds: 1 });
    clip = await readFile(file);
    uploadDir = path.join(h.dataDir, "uploads");
    consumer = await h.bus.consume({ stream: "events", durable: "abandoned-test", filterSubject: `${h.bus.namespace}.events.media.>`, handler: async (m) => void events.push(m) });
  });

  afterAll(async () => {
    await consumer?.stop();
    await h?.close();
  });

  const staged = async () => readdir(uploadDir).catch(() => [] as string[]);

  it("fails a started upload that was not finished in time, deletes its bytes and tells the uploader; leaves live uploads alone", async () => {
    const uploader = randomUUID();
    const admin = await h.adminHeaders(uploader);
    const start = async (url: string) => {
      const contentId = h.catalog.addTitle().contentId;
      const res = await mediaClient(url).createVideoUpload({ contentId, filename: "clip.mp4", sizeBytes: BigInt(clip.length), contentType: "video/mp4" }, { headers: admin });
      expect((await tusPatch(`${url}${res.uploadUrl}`, 0, clip.subarray(0, 1000), admin)).status).toBe(204);
      return res;
    };
    const live = await start(patient);
    const abandoned = await start(sweeping);
    // What a crash between the tus resource and its row, or a killed multipart request, leaves behind.
    const orphans = [randomUUID(), `${randomUUID()}.json`, `multipart-${randomUUID()}`];
    const anHourAgo = new Date(Date.now() - 3600_000);
    for (const name of [...orphans, live.uploadId, `${live.uploadId}.json`]) {
      if (orphans.includes(name)) await writeFile(path.join(uploadDir, name), "partial");
      await utimes(path.join(uploadDir, name), anHourAgo, anHourAgo);
    }

    const job = await h.waitForJob(abandoned.encodingJobId, (j) => j.status === "FAILED");
    expect(job.failureReason).toMatch(/^upload abandoned: 1000 bytes of .+ received; it was not completed by \d{4}-\d\d-\d\dT/);
    await eventually(async () => !(await staged()).some((n) => orphans.includes(n)));
    // The pass that removed those saw the live upload too (passes of one replica never overlap,
    // so once a later orphan is gone, that pass is over).
    const later = `multipart-${randomUUID()}`;
    await writeFile(path.join(uploadDir, later), "partial");
    await utimes(path.join(uploadDir, later), anHourAgo, anHourAgo);
    await eventually(async () => !(await staged()).includes(later));

    const left = await staged();
    expect(left.filter((n) => n.startsWith(abandoned.uploadId))).toEqual([]);
    expect(left).toEqual(expect.arrayContaining([live.uploadId, `${live.uploadId}.json`]));
    expect(await listKeys(h.objects, `originals/${abandoned.videoId}/`)).toEqual([]);
    expect((await h.store.getJob(live.encodingJobId))?.status).toBe("PENDING");
    expect(Number((await tusHead(`${patient}${live.uploadUrl}`, admin)).headers.get("upload-offset"))).toBe(1000);

    // The client that comes back is told why; the slot in the catalog never showed anything.
    expect((await tusHead(`${sweeping}${abandoned.uploadUrl}`, admin)).status).toBe(410);
    const resumed = await tusPatch(`${sweeping}${abandoned.uploadUrl}`, 1000, clip.subarray(1000), admin);
    expect(resumed.status).toBe(410);
    expect(await resumed.text()).toContain("upload abandoned");
    const status = await mediaClient(patient).getEncodingStatus({ jobId: abandoned.encodingJobId }, { headers: admin });
    expect(status.failureReason).toBe(job.failureReason);
    expect(h.catalog.videos.get(abandoned.videoId)?.status).toBe(VideoStatus.AWAITING_UPLOAD);
    await eventually(async () => events.some((m) => m.subject.endsWith(".video_encoding_failed")));
    const failed = fromBinary(VideoEncodingFailedSchema, events.find((m) => m.subject.endsWith(".video_encoding_failed"))!.data);
    expect(failed).toMatchObject({ jobId: abandoned.encodingJobId, uploadedBy: uploader, reason: job.failureReason });
  });
});
