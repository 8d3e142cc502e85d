import { Code, ConnectError, type Client, type HandlerContext } from "@connectrpc/connect";
import type { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import type { Content, Video } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import type { CheckProfileResponse, IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { PROFILE_ID_HEADER } from "../../platform/rpc/context.js";
import { requireOwnedProfile } from "../../platform/rpc/profile-access.js";
import { entitle, PlaybackDenied } from "./entitlement.js";

/** What a profile was found entitled to: the video, its title and the plan's highest rendition. */
export interface Entitled {
  owner: CheckProfileResponse;
  video: Video;
  content: Content;
  maxShortSide: number;
}

/**
 * The checks every way of playing a video goes through (play, the manifest routes), as RPC
 * errors: a profile of another account or an unknown video is NOT_FOUND, then entitle()'s
 * FAILED_PRECONDITION / PERMISSION_DENIED.
 */
export async function authorisePlayback(
  deps: { identity: Client<typeof IdentityService>; catalog: Client<typeof CatalogService> },
  ctx: HandlerContext,
  profileId: string,
  videoId: string,
): Promise<Entitled> {
  // Both lookups run at once; the profile's answer is awaited first, so a profile of another
  // account is NOT_FOUND before anything about the video is said.
  const profile = requireOwnedProfile(deps.identity, ctx, profileId);
  // Without the profile, the catalog does not hide a title above the profile's maturity cap:
  // that check is ours, so it can say PERMISSION_DENIED and why instead of NOT_FOUND.
  const found = deps.catalog.getVideo({ videoId }, { headers: { [PROFILE_ID_HEADER]: "" } });
  found.catch(() => undefined);
  const owner = await profile;
  const { video, content } = await found;
  if (video === undefined || content === undefined) throw new ConnectError(`video ${videoId} not found`, Code.NotFound);
  try {
    return { owner, video, content, ...entitle(owner, content, video) };
  } catch (err) {
    if (err instanceof PlaybackDenied) throw new ConnectError(err.message, err.code);
    throw err;
  }
}
