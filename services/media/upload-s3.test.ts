import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listKeys, mediaClient, readObject, tusHead, tusPatch } from "./testing/clients.js";
import { startMediaHarness, type MediaHarness } from "./testing/harness.js";
import { makeGarbage, makeVideo } from "./testing/media-files.js";

// The tus S3 store needs an S3 with ListParts; MEDIA_UPLOAD_STORE=file says the server at hand lacks it.
const s3 = process.env.MEDIA_UPLOAD_STORE === "file" ? undefined : process.env.S3_ENDPOINT;

/**
 * With S3_ENDPOINT set, tus writes straight to the bucket (@tus/s3-store, a multipart upload at the
 * original's key). Needs a real S3 or MinIO (docker-compose): s3rver, the in-process S3 of the
 * object-store tests, has no ListParts, which the tus S3 store relies on.
 */
describe.skipIf(!s3)(s3 ? "media uploads to S3 at S3_ENDPOINT" : "media uploads to S3 (skipped: S3_ENDPOINT not set, or MEDIA_UPLOAD_STORE=file)", () => {
  let h: MediaHarness;
  let mediaUrl: string;

  beforeAll(async () => {
    h = await startMediaHarness();
    mediaUrl = (await h.startMedia()).url;
  });

  afterAll(async () => {
    await h?.close();
  });

  const upload = async (bytes: Buffer) => {
    const admin = await h.adminHeaders();
    const res = await mediaClient(mediaUrl).createVideoUpload(
      { contentId: h.catalog.addTitle().contentId, filename: "clip.mp4", sizeBytes: BigInt(bytes.length), contentType: "video/mp4" },
      { headers: admin },
    );
    const url = `${mediaUrl}${res.uploadUrl}`;
    const half = Math.floor(bytes.length / 2);
    expect((await tusPatch(url, 0, bytes.subarray(0, half), admin)).status).toBe(204);
    expect((await tusHead(url, admin)).headers.get("upload-offset")).toBe(String(half));
    return { res, last: await tusPatch(url, half, bytes.subarray(half), admin) };
  };

  it("assembles the chunks at the original's key and queues the job", async () => {
    const file = path.join(h.dataDir, "clip.mp4");
    await makeVideo(file, { seconds: 2 });
    const clip = await readFile(file);
    const { res, last } = await upload(clip);
    expect(last.status).toBe(204);
    const key = `originals/${res.videoId}/${res.encodingJobId}/source`;
    expect((await readObject(h.objects, key)).equals(clip)).toBe(true);
    expect(await listKeys(h.objects, `originals/${res.videoId}/`)).toEqual([key]);
    expect((await h.store.getJob(res.encodingJobId))?.status).toBe("PENDING");
  });

  it("deletes a rejected file from the bucket", async () => {
    const file = path.join(h.dataDir, "garbage.mp4");
    await makeGarbage(file, 128 * 1024);
    const { res, last } = await upload(await readFile(file));
    expect(last.status).toBe(422);
    expect((await h.store.getJob(res.encodingJobId))?.status).toBe("FAILED");
    expect(await listKeys(h.objects, `originals/${res.videoId}/`)).toEqual([]);
  });
});
