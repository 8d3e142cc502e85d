import type { HandlerContext } from "@connectrpc/connect";
import { PROFILE_ID_HEADER, requireCaller } from "../../platform/rpc/context.js";
import type { ProfileCheck } from "../../platform/rpc/profile-access.js";
import { profileCap } from "../../platform/domain/maturity.js";
import type { Viewer } from "./visibility.js";

/**
 * The caller of a read, from verified claims only: signed in (UNAUTHENTICATED otherwise), admin or
 * not, and — when the call names a profile — that profile's maturity cap, after identity confirms
 * the profile is the caller's (someone else's is NOT_FOUND). No profile named: no cap.
 */
export async function resolveViewer(ctx: HandlerContext, profiles: ProfileCheck): Promise<Viewer> {
  const claims = requireCaller(ctx);
  // Admins and Cinemesh services (e.g. the encoding worker) see drafts.
  const viewer: Viewer = { admin: claims.role === "admin" || claims.role === "service" };
  const profileId = ctx.requestHeader.get(PROFILE_ID_HEADER)?.trim();
  if (profileId) {
    const cap = profileCap(await profiles(ctx, profileId));
    if (cap !== undefined) viewer.cap = cap;
  }
  return viewer;
}
