import { Code } from "@connectrpc/connect";
import { VideoStatus, type Content, type Video } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { MaturityRating, SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { CheckProfileResponse } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { isAllowed } from "../../platform/domain/maturity.js";
import { maxShortSideOf } from "../../platform/media/quality-cap.js";

/** Why a profile may not play a video, with the RPC code that says it (handlers turn it into a ConnectError). */
export class PlaybackDenied extends Error {
  constructor(
    readonly code: Code.PermissionDenied | Code.FailedPrecondition,
    message: string,
  ) {
    super(message);
    this.name = "PlaybackDenied";
  }
}

/**
 * May this profile play this video, and up to which rendition (short side in pixels)? The checks of
 * seeds/000 §7.2.1 in order: an active subscription with a plan, the profile's maturity cap
 * (already lowered for kids profiles by identity), then a video that is encoded and has a rendition
 * the plan allows. The profile's ownership and the video's existence are checked before (NOT_FOUND).
 */
export function entitle(profile: CheckProfileResponse, content: Content, video: Video): { maxShortSide: number } {
  if (profile.status !== SubscriptionStatus.ACTIVE) {
    throw new PlaybackDenied(Code.FailedPrecondition, `subscription is ${SubscriptionStatus[profile.status]?.toLowerCase() ?? "inactive"}: an active subscription is required to play`);
  }
  const maxShortSide = maxShortSideOf(profile.plan);
  if (maxShortSide === 0) throw new PlaybackDenied(Code.FailedPrecondition, "the account has no subscription plan");
  if (!isAllowed(content.rating, profile.maturityLevel)) {
    const kind = profile.isKids ? "this kids profile" : "this profile";
    throw new PlaybackDenied(Code.PermissionDenied, `"${content.title}" is rated ${ratingName(content.rating)}, above what ${kind} allows (${ratingName(profile.maturityLevel)})`);
  }
  if (video.status !== VideoStatus.READY) {
    const state = { [VideoStatus.AWAITING_UPLOAD]: "has not been uploaded yet", [VideoStatus.PROCESSING]: "is still being encoded", [VideoStatus.FAILED]: "failed to encode" }[video.status as number] ?? "is not playable";
    throw new PlaybackDenied(Code.FailedPrecondition, `video ${video.videoId} ${state}`);
  }
  if (video.hlsManifestPath === "" || !video.videoFiles.some((f) => Math.min(f.width, f.height) <= maxShortSide)) {
    throw new PlaybackDenied(Code.FailedPrecondition, `video ${video.videoId} has no rendition the ${SubscriptionPlan[profile.plan]} plan allows`);
  }
  return { maxShortSide };
}

function ratingName(rating: MaturityRating): string {
  return (MaturityRating[rating] ?? "UNRATED").replace("_", "-");
}
