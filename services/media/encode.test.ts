import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EncodingJobStatus, SubtitleFormat, VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { VideoStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { listKeys, mediaClient, readObject, tusPatch } from "./testing/clients.js";
import { startMediaHarness, type MediaHarness } from "./testing/harness.js";
import { makeVideo } from "./testing/media-files.js";

/** The whole path with the real encoder (ffmpeg): tus upload → worker → catalog → playable. */
describe("encoding end to end with ffmpeg", () => {
  let h: MediaHarness;
  let media: string;

  beforeAll(async () => {
    h = await startMediaHarness();
    media = (await h.startMedia()).url;
  });

  afterAll(async () => {
    await h?.close();
  });

  it("encodes an uploaded clip into a playable ladder the catalog records, with an uploaded subtitle in the master", async () => {
    const file = path.join(h.dataDir, "source.mp4");
    await makeVideo(file, { width: 640, height: 360, seconds: 2 });
    const bytes = await readFile(file);
    const admin = await h.adminHeaders();
    const client = mediaClient(media);
    const contentId = h.catalog.addTitle().contentId;
    const created = await client.createVideoUpload({ contentId, filename: "source.mp4", sizeBytes: BigInt(bytes.length), contentType: "video/mp4" }, { headers: admin });
    // Uploaded before encoding: packaged by the encoder.
    const srt = "1\n00:00:00,000 --> 00:00:01,500\nHello there\n";
    const sub = await client.uploadSubtitle({ videoId: created.videoId, language: "en", format: SubtitleFormat.SRT, content: new TextEncoder().encode(srt) }, { headers: admin });
    expect(sub.subtitle?.label).toBe("English");

    const worker = await h.startWorker();
    expect((await tusPatch(`${media}${created.uploadUrl}`, 0, bytes, admin)).status).toBe(204);

    const seen = [];
    for await (const m of client.watchJob({ jobId: created.encodingJobId }, { headers: admin })) seen.push(m);
    const last = seen[seen.length - 1];
    expect(last.failureReason).toBe("");
    expect(last.status).toBe(EncodingJobStatus.COMPLETED);

    const video = h.catalog.videos.get(created.videoId)!;
    expect(video.status).toBe(VideoStatus.READY);
    expect(video.durationSeconds).toBe(2);
    expect(video.videoFiles.map((f) => [f.quality, f.resolution])).toEqual([[VideoQuality.VIDEO_QUALITY_360P, "640x360"]]);
    expect(video.videoFiles[0].sizeBytes).toBeGreaterThan(0n);
    const prefix = `videos/${created.videoId}/${created.encodingJobId}/`;
    expect(video.hlsManifestPath.startsWith(prefix)).toBe(true);
    const keys = await listKeys(h.objects, prefix);
    expect(keys).toContain(video.hlsManifestPath);
    expect(keys).toContain(video.dashManifestPath);
    expect(keys).toContain(video.videoFiles[0].storageLocation);
    const master = (await readObject(h.objects, video.hlsManifestPath)).toString();
    expect(master).toMatch(/TYPE=SUBTITLES.*LANGUAGE="en"/);

    // Uploaded after encoding: the master is rewritten to list it.
    await client.uploadSubtitle({ videoId: created.videoId, language: "fr", format: SubtitleFormat.WEBVTT, content: new TextEncoder().encode("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nBonjour\n") }, { headers: admin });
    const rewritten = (await readObject(h.objects, video.hlsManifestPath)).toString();
    expect(rewritten).toMatch(/TYPE=SUBTITLES.*LANGUAGE="en"/);
    expect(rewritten).toMatch(/TYPE=SUBTITLES.*LANGUAGE="fr".*URI="[^"]*fr\.m3u8"/);
    expect(h.catalog.videos.get(created.videoId)?.subtitles.map((s) => s.language).sort()).toEqual(["en", "fr"]);
    await worker.stop();
  });
});
