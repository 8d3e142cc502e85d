import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VideoStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { MaturityRating, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { verifyMediaToken } from "../../platform/media/media-token.js";
import type { FakeProfile } from "../../platform/testing/test-mesh.js";
import { startPlaybackHarness, type PlaybackHarness } from "../../services/playback/testing/harness.js";
import type { EdgeGateway } from "../gateway.js";
import { startTestEdge } from "../testing/test-edge.js";

/** seeds/000 §4.3 as a client written against the seeds calls it: the edge in front of the real playback service. */
describe("the video streaming routes at the edge", () => {
  let h: PlaybackHarness;
  let edge: EdgeGateway;
  let viewer: FakeProfile;
  let videoId: string;

  beforeAll(async () => {
    h = await startPlaybackHarness();
    edge = await startTestEdge({ env: { PLAYBACK_ADDR: h.url } });
    viewer = h.mesh.addProfile(randomUUID());
    videoId = h.encodedVideo().videoId;
  });
  afterAll(async () => {
    await edge?.close();
    await h?.close();
  });

  const get = async (path: string, p: FakeProfile) => fetch(`${edge.url}${path}`, { headers: await h.mesh.headers(p.userId, p.profileId), redirect: "manual" });

  it("answers play with the seeds' qualities: \"1080p\", not VIDEO_QUALITY_1080P", async () => {
    const res = await get(`/api/v1/video/${videoId}/play`, viewer);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { qualities: { quality: string; resolution: string }[] };
    expect(body.qualities.map((q) => [q.quality, q.resolution])).toEqual([["480p", "854x480"], ["720p", "1280x720"], ["1080p", "1920x1080"]]);
  });

  for (const [route, file] of [["manifest.m3u8", "master.m3u8"], ["manifest.mpd", "manifest.mpd"]]) {
    it(`answers GET …/${route} with 302 to the signed ${file}`, async () => {
      const res = await get(`/api/v1/video/${videoId}/${route}`, viewer);
      expect(res.status).toBe(302);
      expect(res.headers.get("cache-control")).toMatch(/no-store/);
      expect(await res.text()).toBe("");
      const location = res.headers.get("location") ?? "";
      expect(location.startsWith(`${h.mediaBaseUrl}/`), location).toBe(true);
      const [token, ...key] = location.slice(h.mediaBaseUrl.length + 1).split("/");
      expect(key.join("/")).toBe(`videos/${videoId}/job/${file}`);
      expect(verifyMediaToken(h.signingKey, token, Math.floor(Date.now() / 1000))).toMatchObject({ ok: true, grant: { prefix: `videos/${videoId}/`, maxShortSide: 1080 } });
    });
  }

  it("maps the refusals of the manifest route to the statuses play answers: 404, 412, 403, 412", async () => {
    const strangers = h.mesh.addProfile(randomUUID());
    const canceled = h.mesh.addProfile(randomUUID());
    canceled.status = SubscriptionStatus.CANCELED;
    const kid = h.mesh.addProfile(randomUUID(), MaturityRating.TV_Y7);
    const adult = h.encodedVideo(h.mesh.addTitle(MaturityRating.R)).videoId;
    const encoding = h.encodedVideo();
    encoding.status = VideoStatus.PROCESSING;
    const notMine = { ...strangers, userId: viewer.userId };
    for (const [who, id, status] of [[notMine, videoId, 404], [canceled, videoId, 412], [kid, adult, 403], [viewer, encoding.videoId, 412]] as const) {
      const play = await get(`/api/v1/video/${id}/play`, who);
      const manifest = await get(`/api/v1/video/${id}/manifest.m3u8`, who);
      expect([play.status, manifest.status]).toEqual([status, status]);
      expect(manifest.headers.get("location")).toBeNull();
      expect(((await manifest.json()) as { message: string }).message).toBe(((await play.json()) as { message: string }).message);
    }
  });
});
