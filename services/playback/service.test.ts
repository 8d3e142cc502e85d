import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VideoStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { MaturityRating, SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { verifyMediaToken } from "../../platform/media/media-token.js";
import type { FakeProfile, FakeVideo } from "../../platform/testing/test-mesh.js";
import { startPlaybackHarness, type PlaybackHarness } from "./testing/harness.js";

/** The signed URL's parts: the token (checked with the harness's key) and the object key after it. */
const signed = (h: PlaybackHarness, url: string) => {
  expect(url.startsWith(`${h.mediaBaseUrl}/`), url).toBe(true);
  const [token, ...key] = url.slice(h.mediaBaseUrl.length + 1).split("/");
  const check = verifyMediaToken(h.signingKey, token, Math.floor(Date.now() / 1000));
  if (!check.ok) throw new Error(`token refused: ${check.reason}`);
  return { grant: check.grant, key: key.join("/") };
};

const codeOf = async (call: Promise<unknown>): Promise<Code | "ok"> =>
  call.then(
    () => "ok" as const,
    (err: unknown) => ConnectError.from(err).code,
  );

describe("playback: the manifest routes", () => {
  let h: PlaybackHarness;
  let viewer: FakeProfile;
  let video: FakeVideo;

  beforeAll(async () => {
    h = await startPlaybackHarness();
    viewer = h.mesh.addProfile(randomUUID());
    video = h.encodedVideo();
  });
  afterAll(async () => h?.close());

  const as = async (p: FakeProfile) => ({ headers: await h.mesh.headers(p.userId, p.profileId) });

  it("sends the viewer to the signed HLS master of a new session, capped at the plan", async () => {
    const { redirect } = await h.playback.getHlsManifestLocation({ videoId: video.videoId }, await as(viewer));
    const { grant, key } = signed(h, redirect!.location);
    expect(key).toBe(`videos/${video.videoId}/job/master.m3u8`);
    expect(grant).toMatchObject({ prefix: `videos/${video.videoId}/`, maxShortSide: 1080 });
    const play = await h.playback.startPlayback({ videoId: video.videoId }, await as(viewer));
    expect(signed(h, play.hlsManifestUrl).key).toBe(key);

    const basic = h.mesh.addProfile(randomUUID());
    basic.plan = SubscriptionPlan.BASIC;
    const capped = await h.playback.getHlsManifestLocation({ videoId: video.videoId }, await as(basic));
    expect(signed(h, capped.redirect!.location).grant.maxShortSide).toBe(480);
  });

  it("sends the viewer to the signed DASH MPD, and says NOT_FOUND when the video has none", async () => {
    const { redirect } = await h.playback.getDashManifestLocation({ videoId: video.videoId }, await as(viewer));
    expect(signed(h, redirect!.location).key).toBe(`videos/${video.videoId}/job/manifest.mpd`);
    const hlsOnly = h.encodedVideo();
    hlsOnly.dashManifestPath = "";
    expect(await codeOf(h.playback.getDashManifestLocation({ videoId: hlsOnly.videoId }, await as(viewer)))).toBe(Code.NotFound);
  });

  it("refuses exactly as play does: another account's profile, an inactive subscription, the maturity cap, a video not encoded", async () => {
    const strangers = h.mesh.addProfile(randomUUID());
    const canceled = h.mesh.addProfile(randomUUID());
    canceled.status = SubscriptionStatus.CANCELED;
    const kid = h.mesh.addProfile(randomUUID(), MaturityRating.TV_Y7);
    const adult = h.encodedVideo(h.mesh.addTitle(MaturityRating.R));
    const encoding = h.encodedVideo();
    encoding.status = VideoStatus.PROCESSING;
    const cases: Array<[string, { headers: Record<string, string> }, FakeVideo, Code]> = [
      ["another account's profile", { headers: await h.mesh.headers(viewer.userId, strangers.profileId) }, video, Code.NotFound],
      ["an unknown video", await as(viewer), { ...video, videoId: randomUUID() }, Code.NotFound],
      ["a canceled subscription", await as(canceled), video, Code.FailedPrecondition],
      ["a title above the cap", await as(kid), adult, Code.PermissionDenied],
      ["a video still encoding", await as(viewer), encoding, Code.FailedPrecondition],
    ];
    for (const [what, opts, v, code] of cases) {
      const req = { videoId: v.videoId };
      expect(await codeOf(h.playback.startPlayback(req, opts)), `play: ${what}`).toBe(code);
      expect(await codeOf(h.playback.getHlsManifestLocation(req, opts)), `HLS: ${what}`).toBe(code);
      expect(await codeOf(h.playback.getDashManifestLocation(req, opts)), `DASH: ${what}`).toBe(code);
    }
  });

  it("needs a signed-in caller and a Profile-Id", async () => {
    expect(await codeOf(h.playback.getHlsManifestLocation({ videoId: video.videoId }))).toBe(Code.Unauthenticated);
    expect(await codeOf(h.playback.getHlsManifestLocation({ videoId: video.videoId }, { headers: await h.mesh.headers(viewer.userId) }))).toBe(Code.InvalidArgument);
  });
});
