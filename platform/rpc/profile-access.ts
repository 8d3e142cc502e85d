import { Code, ConnectError, type Client, type HandlerContext } from "@connectrpc/connect";
import type { CheckProfileResponse, IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { requireUser } from "./context.js";

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
