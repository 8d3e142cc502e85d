import { randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VideoStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { SubtitleFormat, VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { movie, show } from "./testing/fixtures.js";
import { startCatalogHarness, type CatalogHarness } from "./testing/harness.js";

/** The RPCs the media pipeline calls: video slots, encoding results, subtitles, and GetVideo for playback. */
describe("videos for the media pipeline", () => {
  let h: CatalogHarness;
  beforeAll(async () => {
    h = await startCatalogHarness();
  });
  afterAll(() => h?.close());

  const rendition = (quality: VideoQuality, height: number, bitrate: number) => ({
    quality,
    codec: "h264",
    bitrate,
    peakBitrate: bitrate * 2,
    resolution: `${Math.round((height * 16) / 9)}x${height}`,
    width: Math.round((height * 16) / 9),
    height,
    frameRate: 23.976,
    storageLocation: `videos/v/${height}p/index.m3u8`,
    sizeBytes: BigInt(height) * 1_000_000n,
  });

  const encoded = (videoId: string, encodingJobId = randomUUID()) => ({
    videoId,
    encodingJobId,
    durationSeconds: 5400,
    renditions: [rendition(VideoQuality.VIDEO_QUALITY_1080P, 1080, 8_000_000), rendition(VideoQuality.VIDEO_QUALITY_360P, 360, 1_000_000)],
    audioTracks: [
      { language: "en", label: "English (Original)", codec: "aac", channels: 6, bitrate: 384_000, storageLocation: "videos/v/audio-en.m3u8", isDefault: true },
      { language: "fr", label: "Français", codec: "aac", channels: 2, bitrate: 128_000, storageLocation: "videos/v/audio-fr.m3u8", isDefault: false },
    ],
    subtitles: [{ language: "en", label: "English (CC)", format: SubtitleFormat.WEBVTT, storageLocation: "videos/v/en-cc.vtt", closedCaptions: true }],
    hlsManifestPath: "videos/v/master.m3u8",
    dashManifestPath: "videos/v/manifest.mpd",
    trickplayVttPath: "videos/v/trickplay.vtt",
    previewPath: "videos/v/preview.mp4",
    thumbnailUrl: "https://img.example/still.jpg",
  });

  it("EnsureVideo returns the movie's feature, and creates an episode slot once", async () => {
    const m = await h.admin.createContent(movie());
    const feature = await h.admin.ensureVideo({ contentId: m.contentId });
    expect(feature).toMatchObject({ created: false, video: { videoId: m.content!.video!.videoId } });

    const s = await h.admin.createContent(show());
    const first = await h.admin.ensureVideo({ contentId: s.contentId, seasonNumber: 1, episodeNumber: 3, title: "Camping" });
    expect(first).toMatchObject({ created: true, video: { seasonNumber: 1, episodeNumber: 3, title: "Camping", status: VideoStatus.AWAITING_UPLOAD } });
    const again = await h.admin.ensureVideo({ contentId: s.contentId, seasonNumber: 1, episodeNumber: 3 });
    expect(again).toMatchObject({ created: false, video: { videoId: first.video!.videoId } });
    await expect(h.admin.ensureVideo({ contentId: s.contentId })).rejects.toMatchObject({ code: Code.FailedPrecondition });
    await expect(h.admin.ensureVideo({ contentId: s.contentId, seasonNumber: 1 })).rejects.toMatchObject({ code: Code.InvalidArgument });
  });

  it("RecordRenditions makes a video playable, once per encoding job", async () => {
    const m = await h.admin.createContent(movie({ thumbnailUrl: undefined, durationMinutes: 0 }));
    const videoId = m.content!.video!.videoId;
    const report = encoded(videoId);
    const { video } = await h.admin.recordRenditions(report);
    expect(video).toMatchObject({ status: VideoStatus.READY, durationSeconds: 5400, hlsManifestPath: "videos/v/master.m3u8", encodingJobId: report.encodingJobId });
    expect(video!.videoFiles.map((f) => f.quality)).toEqual([VideoQuality.VIDEO_QUALITY_360P, VideoQuality.VIDEO_QUALITY_1080P]);
    expect(video!.audioTracks.map((a) => a.language)).toEqual(["en", "fr"]);
    expect(video!.subtitles).toMatchObject([{ language: "en", closedCaptions: true, storageLocation: "videos/v/en-cc.vtt" }]);

    // The title learns its runtime and takes the still as its thumbnail.
    const content = (await h.admin.getContent({ contentId: m.contentId })).content!;
    expect(content).toMatchObject({ durationMinutes: 90, thumbnailUrl: "https://img.example/still.jpg" });

    // The same job again changes nothing (media retries).
    const before = await h.snapshot();
    await h.admin.recordRenditions({ ...report, durationSeconds: 1, renditions: [report.renditions[0]] });
    expect(await h.snapshot()).toEqual(before);

    const twice = { ...encoded(videoId), renditions: [report.renditions[0], report.renditions[0]] };
    await expect(h.admin.recordRenditions(twice)).rejects.toMatchObject({ code: Code.InvalidArgument });
    expect(await h.snapshot()).toEqual(before);

    // Markers are now checked against the known runtime.
    await expect(h.admin.setVideoMarkers({ videoId, markers: { creditsStartSeconds: 5300, creditsEndSeconds: 5401 } })).rejects.toMatchObject({
      code: Code.InvalidArgument,
    });
    await h.admin.setVideoMarkers({ videoId, markers: { creditsStartSeconds: 5300, creditsEndSeconds: 5400 } });
  });

  it("SetVideoEncodingStatus shows a job PROCESSING, then FAILED; a READY video and its recorded job are never moved back", async () => {
    const m = await h.admin.createContent(movie());
    const videoId = m.content!.video!.videoId;
    const [first, second] = [randomUUID(), randomUUID()];
    const status = async () => (await h.admin.getVideo({ videoId })).video!.status;
    expect(await status()).toBe(VideoStatus.AWAITING_UPLOAD);

    const processing = await h.admin.setVideoEncodingStatus({ videoId, encodingJobId: first, status: VideoStatus.PROCESSING });
    expect(processing.video).toMatchObject({ videoId, status: VideoStatus.PROCESSING });
    await h.admin.setVideoEncodingStatus({ videoId, encodingJobId: first, status: VideoStatus.FAILED });
    expect(await status()).toBe(VideoStatus.FAILED);
    // A new upload of the same slot is encoded: PROCESSING again, then READY.
    await h.admin.setVideoEncodingStatus({ videoId, encodingJobId: second, status: VideoStatus.PROCESSING });
    expect(await status()).toBe(VideoStatus.PROCESSING);
    await h.admin.recordRenditions(encoded(videoId, second));
    expect(await status()).toBe(VideoStatus.READY);

    // A late report of that job, or a later job that fails, leaves the renditions playable.
    const before = await h.snapshot();
    await h.admin.setVideoEncodingStatus({ videoId, encodingJobId: second, status: VideoStatus.FAILED });
    await h.admin.setVideoEncodingStatus({ videoId, encodingJobId: randomUUID(), status: VideoStatus.PROCESSING });
    await h.admin.setVideoEncodingStatus({ videoId, encodingJobId: randomUUID(), status: VideoStatus.FAILED });
    expect(await h.snapshot()).toEqual(before);

    await expect(h.admin.setVideoEncodingStatus({ videoId, encodingJobId: first, status: VideoStatus.READY })).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(h.admin.setVideoEncodingStatus({ videoId: randomUUID(), encodingJobId: first, status: VideoStatus.FAILED })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(h.member.setVideoEncodingStatus({ videoId, encodingJobId: first, status: VideoStatus.FAILED })).rejects.toMatchObject({ code: Code.PermissionDenied });
  });

  it("GetVideo gives playback the paths and the title; members' detail pages leave the paths out", async () => {
    const m = await h.admin.createContent(movie());
    const videoId = m.content!.video!.videoId;
    await h.admin.recordRenditions(encoded(videoId));
    const { video, content } = await h.member.getVideo({ videoId });
    expect(video).toMatchObject({ videoId, hlsManifestPath: "videos/v/master.m3u8" });
    expect(video!.videoFiles[0].storageLocation).toBe("videos/v/360p/index.m3u8");
    expect(content).toMatchObject({ contentId: m.contentId, rating: m.content!.rating });
    expect(content!.video).toBeUndefined();

    const page = (await h.member.getContent({ contentId: m.contentId })).content!;
    expect(page.video).toMatchObject({ videoId, status: VideoStatus.READY, durationSeconds: 5400, hlsManifestPath: "", dashManifestPath: "", encodingJobId: "" });
    expect(page.video!.videoFiles.map((f) => f.storageLocation)).toEqual(["", ""]);
    expect((await h.admin.getContent({ contentId: m.contentId })).content!.video!.hlsManifestPath).toBe("videos/v/master.m3u8");
  });

  it("AddSubtitle adds a track, or replaces the one with the same language and captions flag", async () => {
    const m = await h.admin.createContent(movie());
    const videoId = m.content!.video!.videoId;
    const es = { language: "es-419", label: "Español", format: SubtitleFormat.WEBVTT, storageLocation: "subs/es.vtt", closedCaptions: false };
    const first = (await h.admin.addSubtitle({ videoId, subtitle: es })).subtitle!;
    expect(first).toMatchObject({ videoId, language: "es-419", storageLocation: "subs/es.vtt" });
    const replaced = (await h.admin.addSubtitle({ videoId, subtitle: { ...es, storageLocation: "subs/es-v2.vtt" } })).subtitle!;
    expect(replaced).toMatchObject({ subtitleId: first.subtitleId, storageLocation: "subs/es-v2.vtt" });
    await h.admin.addSubtitle({ videoId, subtitle: { ...es, closedCaptions: true, label: "Español (CC)" } });
    const { video } = await h.admin.getVideo({ videoId });
    expect(video!.subtitles.map((s) => [s.language, s.closedCaptions, s.storageLocation])).toEqual([
      ["es-419", false, "subs/es-v2.vtt"],
      ["es-419", true, "subs/es.vtt"],
    ]);
    await expect(h.admin.addSubtitle({ videoId, subtitle: { ...es, language: "not a language" } })).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(h.admin.addSubtitle({ videoId: randomUUID(), subtitle: es })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(h.member.addSubtitle({ videoId, subtitle: es })).rejects.toMatchObject({ code: Code.PermissionDenied });
  });
});
