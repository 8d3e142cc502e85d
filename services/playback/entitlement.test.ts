import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ContentSchema, VideoSchema, VideoStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { MaturityRating, SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { CheckProfileResponseSchema } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { UNCAPPED } from "../../platform/media/quality-cap.js";
import { entitle, PlaybackDenied } from "./entitlement.js";

const rung = (width: number, height: number) => ({ width, height, storageLocation: `videos/v/j/${Math.min(width, height)}p/index.m3u8` });
const video = (over: Partial<{ status: VideoStatus; files: ReturnType<typeof rung>[] }> = {}) =>
  create(VideoSchema, { videoId: "v", status: over.status ?? VideoStatus.READY, hlsManifestPath: "videos/v/j/master.m3u8", videoFiles: over.files ?? [rung(640, 360), rung(854, 480), rung(1920, 1080)] });
const content = (rating = MaturityRating.PG_13) => create(ContentSchema, { contentId: "c", title: "Harbour Lights", rating });
const profile = (over: Partial<{ plan: SubscriptionPlan; status: SubscriptionStatus; cap: MaturityRating; kids: boolean }> = {}) =>
  create(CheckProfileResponseSchema, { plan: over.plan ?? SubscriptionPlan.STANDARD, status: over.status ?? SubscriptionStatus.ACTIVE, maturityLevel: over.cap ?? MaturityRating.NC_17, isKids: over.kids ?? false });

const denial = (fn: () => unknown): PlaybackDenied => {
  try {
    fn();
  } catch (err) {
    if (err instanceof PlaybackDenied) return err;
    throw err;
  }
  throw new Error("expected a denial");
};

describe("entitlement", () => {
  it("caps each plan at its rung: BASIC 480p, STANDARD 1080p, PREMIUM everything", () => {
    expect(entitle(profile({ plan: SubscriptionPlan.BASIC }), content(), video())).toEqual({ maxShortSide: 480 });
    expect(entitle(profile({ plan: SubscriptionPlan.STANDARD }), content(), video())).toEqual({ maxShortSide: 1080 });
    expect(entitle(profile({ plan: SubscriptionPlan.PREMIUM }), content(), video())).toEqual({ maxShortSide: UNCAPPED });
  });

  it("refuses an inactive subscription with FAILED_PRECONDITION saying so", () => {
    for (const status of [SubscriptionStatus.EXPIRED, SubscriptionStatus.CANCELED]) {
      const d = denial(() => entitle(profile({ status }), content(), video()));
      expect(d.code).toBe(Code.FailedPrecondition);
      expect(d.message).toMatch(new RegExp(`subscription is ${SubscriptionStatus[status].toLowerCase()}`));
    }
  });

  it("refuses a title above the profile's maturity cap with PERMISSION_DENIED naming both ratings", () => {
    const d = denial(() => entitle(profile({ cap: MaturityRating.TV_Y7, kids: true }), content(MaturityRating.R), video()));
    expect(d.code).toBe(Code.PermissionDenied);
    expect(d.message).toBe('"Harbour Lights" is rated R, above what this kids profile allows (TV-Y7)');
    expect(entitle(profile({ cap: MaturityRating.TV_Y7, kids: true }), content(MaturityRating.G), video())).toEqual({ maxShortSide: 1080 });
  });

  it("refuses a video that is not encoded, saying what state it is in", () => {
    expect(denial(() => entitle(profile(), content(), video({ status: VideoStatus.PROCESSING }))).message).toMatch(/still being encoded/);
    expect(denial(() => entitle(profile(), content(), video({ status: VideoStatus.AWAITING_UPLOAD }))).message).toMatch(/not been uploaded/);
    expect(denial(() => entitle(profile(), content(), video({ status: VideoStatus.FAILED }))).code).toBe(Code.FailedPrecondition);
  });

  it("refuses when no rendition fits the plan rather than handing out an empty manifest", () => {
    const d = denial(() => entitle(profile({ plan: SubscriptionPlan.BASIC }), content(), video({ files: [rung(1280, 720)] })));
    expect(d.code).toBe(Code.FailedPrecondition);
    expect(d.message).toMatch(/no rendition the BASIC plan allows/);
  });

  it("measures portrait rungs by their short side", () => {
    expect(entitle(profile({ plan: SubscriptionPlan.BASIC }), content(), video({ files: [rung(480, 854)] }))).toEqual({ maxShortSide: 480 });
  });
});
