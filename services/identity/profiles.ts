import type { MaturityRating, SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { Role } from "../../platform/auth/tokens.js";
import type { IdentityEvents } from "./domain-events.js";
import { DomainError, notFound } from "./errors.js";
import { effectiveMaturityCap } from "./maturity-cap.js";
import type { ProfileRecord } from "./model.js";
import { newProfileValues, patchedProfileValues, sameProfileValues, type ProfileInput, type ProfilePatch } from "./profile-rules.js";
import type { IdentityStore } from "./store.js";

/**
 * Profiles of an account. Every operation is scoped to the caller's account: a profile of another
 * account is "not found", exactly like one that does not exist, so ids cannot be probed.
 */
export interface ProfileDeps {
  store: IdentityStore;
  events: IdentityEvents;
}

export const MAX_PROFILES_PER_ACCOUNT = 5;

const profileNotFound = (profileId: string) => notFound(`profile ${profileId} not found`);

export async function createProfile(deps: ProfileDeps, userId: string, input: ProfileInput): Promise<ProfileRecord> {
  const values = newProfileValues(input);
  return deps.store.transaction(async (tx) => {
    // The account row lock makes count-then-insert atomic: two concurrent creations cannot both see 4.
    if ((await tx.lockUser(userId)) === undefined) throw notFound("account not found");
    if ((await tx.countProfiles(userId)) >= MAX_PROFILES_PER_ACCOUNT) {
      // FAILED_PRECONDITION, not RESOURCE_EXHAUSTED: the account's state forbids it until a profile
      // is deleted; waiting and retrying (what 429/RESOURCE_EXHAUSTED tells clients) never helps.
      throw new DomainError("failed_precondition", `an account has at most ${MAX_PROFILES_PER_ACCOUNT} profiles: delete one first`);
    }
    const profile = await tx.insertProfile(userId, values);
    await deps.events.profileCreated(tx, profile);
    return profile;
  });
}

export function listProfiles(store: IdentityStore, userId: string): Promise<ProfileRecord[]> {
  return store.listProfiles(userId);
}

export async function getProfile(store: IdentityStore, userId: string, profileId: string): Promise<ProfileRecord> {
  const profile = await store.findProfile(profileId, userId);
  if (profile === undefined) throw profileNotFound(profileId);
  return profile;
}

/** Applies the fields present in the patch; a patch that changes nothing writes nothing and emits nothing. */
export async function updateProfile(deps: ProfileDeps, userId: string, profileId: string, patch: ProfilePatch): Promise<ProfileRecord> {
  return deps.store.transaction(async (tx) => {
    const current = await tx.lockProfile(profileId, userId);
    if (current === undefined) throw profileNotFound(profileId);
    const values = patchedProfileValues(current, patch);
    if (sameProfileValues(current, values)) return current;
    const updated = await tx.updateProfile(profileId, values);
    await deps.events.profileUpdated(tx, updated);
    return updated;
  });
}

export async function deleteProfile(deps: ProfileDeps, userId: string, profileId: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const deleted = await tx.deleteProfile(profileId, userId);
    if (deleted === undefined) throw profileNotFound(profileId);
    await deps.events.profileDeleted(tx, deleted);
  });
}

/** What another service needs to let a profile watch: owner, kids flag, effective cap, subscription. */
export interface ProfileCheck {
  profile: ProfileRecord;
  maturityCap: MaturityRating;
  plan: SubscriptionPlan;
  status: SubscriptionStatus;
}

/** Resolves a profile for its owner (or an admin); anyone else gets "not found". */
export async function checkProfile(store: IdentityStore, caller: { userId: string; role: Role }, profileId: string): Promise<ProfileCheck> {
  const found = await store.findProfileWithOwner(profileId);
  if (found === undefined || (found.owner.id !== caller.userId && caller.role !== "admin")) throw profileNotFound(profileId);
  const { profile, owner } = found;
  return { profile, maturityCap: effectiveMaturityCap(profile.isKids, profile.maturityLevel), plan: owner.plan, status: owner.status };
}
