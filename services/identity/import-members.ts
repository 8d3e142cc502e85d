import { MaturityRating, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { DEFAULT_PLAN, normaliseEmail, type AccountDeps } from "./accounts.js";
import { checkPasswordStrength } from "./password-policy.js";
import { hashPassword } from "./passwords.js";
import { newProfileValues, type ProfileInput } from "./profile-rules.js";
import { createProfile } from "./profiles.js";

export interface ImportedMemberOutcome {
  email: string;
  userId: string;
  profileId: string;
  created: boolean;
}

/**
 * Member accounts with one profile each, for an admin's bulk import. An email that has an account
 * already keeps it as it is, and its first profile is returned (made when it has none), so a
 * second import finds what the first made. The new accounts of one call share `password`: hashed
 * once, which makes an import of thousands of members take seconds rather than minutes of scrypt;
 * a member who changes it gets a hash of its own.
 */
export async function importMembers(
  deps: AccountDeps,
  input: { password: string; country: string; members: { email: string; profileName: string }[] },
): Promise<ImportedMemberOutcome[]> {
  const members = input.members.map((m) => ({ email: normaliseEmail(m.email), profileName: m.profileName }));
  for (const m of members) checkPasswordStrength(input.password, m.email);
  let passwordHash: Promise<string> | undefined;
  const outcomes: ImportedMemberOutcome[] = [];
  for (const m of members) {
    const existing = await deps.store.findUserByEmail(m.email);
    if (existing !== undefined) {
      outcomes.push({ email: m.email, userId: existing.id, profileId: await firstProfile(deps, existing.id, m.profileName), created: false });
      continue;
    }
    passwordHash ??= deps.hashSlots.run(() => hashPassword(input.password));
    const hash = await passwordHash;
    const made = await deps.store.transaction(async (tx) => {
      const user = await tx.insertUser({ email: m.email, passwordHash: hash, role: "member", plan: DEFAULT_PLAN, status: SubscriptionStatus.ACTIVE, country: input.country });
      // Another import made it a moment ago: it is found below, like any existing account.
      if (user === undefined) return undefined;
      await deps.events.userSignedUp(tx, user);
      const profile = await tx.insertProfile(user.id, newProfileValues(adultProfile(m.profileName)));
      await deps.events.profileCreated(tx, profile);
      return { userId: user.id, profileId: profile.id };
    });
    if (made !== undefined) {
      outcomes.push({ email: m.email, ...made, created: true });
      continue;
    }
    const raced = (await deps.store.findUserByEmail(m.email))!;
    outcomes.push({ email: m.email, userId: raced.id, profileId: await firstProfile(deps, raced.id, m.profileName), created: false });
  }
  return outcomes;
}

/** The account's first profile, made (named `name`, as CreateProfile makes one) when it has none. */
async function firstProfile(deps: AccountDeps, userId: string, name: string): Promise<string> {
  const [first] = await deps.store.listProfiles(userId);
  return first?.id ?? (await createProfile(deps, userId, adultProfile(name))).id;
}

/** An adult profile with the defaults CreateProfile gives one. */
const adultProfile = (name: string): ProfileInput => ({ name, avatarUrl: "", isKids: false, language: "", maturityLevel: MaturityRating.UNSPECIFIED });
