import { randomBytes } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { VideoFileSchema, VideoStatus } from "../../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { VideoQuality } from "../../../gen/cinemesh/common/v1/enums_pb.js";
import { PlaybackService } from "../../../gen/cinemesh/playback/v1/playback_pb.js";
import { startService } from "../../../platform/host/run-service.js";
import { startTestMesh, type FakeTitle, type FakeVideo, type TestMesh } from "../../../platform/testing/test-mesh.js";
import { playbackService } from "../service.js";

export interface PlaybackHarness {
  mesh: TestMesh;
  /** The playback service's address. */
  url: string;
  playback: Client<typeof PlaybackService>;
  signingKey: Buffer;
  mediaBaseUrl: string;
  /** A video the catalog answers as encoded: HLS and DASH manifests, 480p, 720p and 1080p rungs. */
  encodedVideo(title?: FakeTitle): FakeVideo;
  close(): Promise<void>;
}

/** The real playback service on the test mesh's stand-ins; the library is unreachable, so play resumes at 0. */
export async function startPlaybackHarness(): Promise<PlaybackHarness> {
  const mesh = await startTestMesh("playback");
  const signingKey = randomBytes(32);
  const mediaBaseUrl = "https://media.example/media";
  const { host, stop } = await startService(playbackService, {
    ...mesh.env,
    MEDIA_SIGNING_KEY: signingKey.toString("base64"),
    PLAYBACK_MEDIA_BASE_URL: mediaBaseUrl,
    LIBRARY_ADDR: "http://127.0.0.1:1",
  }).catch(async (err: unknown) => {
    await mesh.close();
    throw err;
  });
  const rung = (videoId: string, width: number, height: number, quality: VideoQuality) =>
    create(VideoFileSchema, { width, height, quality, bitrate: height * 8000, codec: "h264", storageLocation: `videos/${videoId}/job/${height}p/index.m3u8` });
  return {
    mesh,
    url: host.url,
    playback: createClient(PlaybackService, createGrpcTransport({ baseUrl: host.url })),
    signingKey,
    mediaBaseUrl,
    encodedVideo(title) {
      const v = mesh.addVideo(title);
      Object.assign(v, {
        status: VideoStatus.READY,
        hlsManifestPath: `videos/${v.videoId}/job/master.m3u8`,
        dashManifestPath: `videos/${v.videoId}/job/manifest.mpd`,
        videoFiles: [rung(v.videoId, 1920, 1080, VideoQuality.VIDEO_QUALITY_1080P), rung(v.videoId, 854, 480, VideoQuality.VIDEO_QUALITY_480P), rung(v.videoId, 1280, 720, VideoQuality.VIDEO_QUALITY_720P)],
      });
      return v;
    },
    async close() {
      await stop();
      await mesh.close();
    },
  };
}
