import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, type Client, type HandlerContext } from "@connectrpc/connect";
import { CheckProfileResponseSchema, type CheckProfileResponse, type IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { Kv } from "../storage/kv.js";
import type { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { profileCap } from "../domain/maturity.js";
import { PROFILE_ID_HEADER, requireUser } from "./context.js";

/**
 * The profile a call acts for, checked against the verified caller: the identity service resolves
 * it, and a profile of another account is NOT_FOUND, exactly like one that does not exist, so ids
 * cannot be probed. The caller's token travels with the call (clients.ts), so identity checks it too.
 */
export async function requireOwnedProfile(identity: Client<typeof IdentityService>, ctx: HandlerContext, profileId: string): Promise<CheckProfileResponse> {
  const claims = requireUser(ctx);
  let profile: CheckProfileResponse;
  try {
    profile = await identity.checkProfile({ profileId });
  } catch (err) {
    const e = ConnectError.from(err);
    if (e.code === Code.NotFound || e.code === Code.PermissionDenied || e.code === Code.InvalidArgument) throw new ConnectError(`profile ${profileId} not found`, Code.NotFound);
    throw e;
  }
  if (profile.userId !== claims.userId) throw new ConnectError(`profile ${profileId} not found`, Code.NotFound);
  return profile;
}

/** The owned-profile check of a call: the profile's CheckProfile answer (plan, maturity cap), or NOT_FOUND. */
export type ProfileCheck = (ctx: HandlerContext, profileId: string) => Promise<CheckProfileResponse>;

/**
 * How long a profile's CheckProfile answer is trusted without asking identity again. Players
 * report progress and heartbeats every few seconds; this makes that one identity call per
 * viewer per minute. A profile deleted, or its maturity level changed, shows within this long.
 */
export const PROFILE_CHECK_TTL_MS = 60_000;

/**
 * requireOwnedProfile with its answer remembered in kv (shared by the replicas when kv is Redis),
 * keyed by the caller's login session and the profile: a token of another session or user never
 * rides on an entry. Only confirmed profiles are remembered; a refusal is asked again each time.
 */
export function cachedProfileCheck(deps: { identity: Client<typeof IdentityService>; kv: Kv; keyPrefix: string; ttlMs?: number }): ProfileCheck {
  const ttlMs = deps.ttlMs ?? PROFILE_CHECK_TTL_MS;
  return async (ctx, profileId) => {
    const claims = requireUser(ctx);
    const key = claims.sessionId ? `${deps.keyPrefix}profile-check:${claims.sessionId}:${profileId}` : undefined;
    const cached = key === undefined ? null : await deps.kv.get(key);
    if (cached !== null) {
      const profile = fromBinary(CheckProfileResponseSchema, Buffer.from(cached, "base64"));
      if (profile.userId === claims.userId) return profile;
    }
    const profile = await requireOwnedProfile(deps.identity, ctx, profileId);
    if (key !== undefined) await deps.kv.set(key, Buffer.from(toBinary(CheckProfileResponseSchema, profile)).toString("base64"), { ttlMs });
    return profile;
  };
}

/**
 * The maturity cap of the profile a call names in its Profile-Id header, after the check confirms
 * it is the caller's; none without the header.
 */
export async function headerProfileCap(profiles: ProfileCheck, ctx: HandlerContext): Promise<MaturityRating | undefined> {
  const profileId = ctx.requestHeader.get(PROFILE_ID_HEADER)?.trim();
  return profileId ? profileCap(await profiles(ctx, profileId)) : undefined;
}
