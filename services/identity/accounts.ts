import { SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { IdentityEvents } from "./domain-events.js";
import { DomainError, invalidArgument, invalidCredentials, notFound } from "./errors.js";
import type { HashSlots } from "./hash-slots.js";
import type { LoginThrottle, SignUpThrottle } from "./login-throttle.js";
import type { ProfileRecord, UserRecord } from "./model.js";
import { checkPasswordStrength } from "./password-policy.js";
import { hashPassword, needsRehash, verifyPassword } from "./passwords.js";
import { openSession, sessionTokens, type SessionSettings, type SessionTokens } from "./sessions.js";
import type { IdentityStore } from "./store.js";

export interface AccountDeps {
  store: IdentityStore;
  events: IdentityEvents;
  sessions: SessionSettings;
  throttle: LoginThrottle;
  signUpThrottle: SignUpThrottle;
  /** Every password hash and verification runs in one of these slots. */
  hashSlots: HashSlots;
  /** A hash of a random password, checked when the email is unknown so that answer costs what a wrong password costs. */
  dummyPasswordHash: string;
}

/** Every account starts on BASIC; only an admin changes the plan (AdminUpdateUser). */
export const DEFAULT_PLAN = SubscriptionPlan.BASIC;

/** The account key: addresses differing only in case or surrounding spaces are the same account. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A new account on the default plan. The cheap checks (plan, password policy, the address's
 * sign-up allowance, a taken email) run before the password is hashed, so refusals cost no scrypt;
 * the insert still decides a race for one email (unique index).
 */
export async function signUp(
  deps: AccountDeps,
  input: { email: string; password: string; country: string; plan: SubscriptionPlan; clientIp: string },
): Promise<{ user: UserRecord; tokens: SessionTokens }> {
  // Asking for a plan was how anyone got PREMIUM for free; refused rather than ignored, so no client believes it worked.
  if (input.plan !== SubscriptionPlan.UNSPECIFIED) throw invalidArgument("plan", "a plan cannot be chosen at sign-up: every account starts on BASIC and an admin changes it");
  const email = normaliseEmail(input.email);
  checkPasswordStrength(input.password, email);
  await deps.signUpThrottle.admit(input.clientIp);
  if ((await deps.store.findUserByEmail(email)) !== undefined) throw emailTaken();
  const passwordHash = await deps.hashSlots.run(() => hashPassword(input.password));
  const { user, opened } = await deps.store.transaction(async (tx) => {
    const user = await tx.insertUser({ email, passwordHash, role: "member", plan: DEFAULT_PLAN, status: SubscriptionStatus.ACTIVE, country: input.country });
    if (user === undefined) throw emailTaken();
    await deps.events.userSignedUp(tx, user);
    return { user, opened: await openSession(tx, deps.sessions, user.id) };
  });
  return { user, tokens: await sessionTokens(deps.sessions, user, opened) };
}

const emailTaken = () => new DomainError("already_exists", "email: an account with this email already exists", "email");

/**
 * Unknown email and wrong password get the same error after the same work (one scrypt
 * verification), so neither the message nor the timing tells whether an account exists.
 */
export async function logIn(
  deps: AccountDeps,
  input: { email: string; password: string; clientIp: string },
): Promise<{ user: UserRecord; tokens: SessionTokens; profiles: ProfileRecord[] }> {
  const email = normaliseEmail(input.email);
  await deps.throttle.admit(email, input.clientIp);
  const user = await deps.store.findUserByEmail(email);
  const matches = await deps.hashSlots.run(() => verifyPassword(input.password, user?.passwordHash ?? deps.dummyPasswordHash));
  if (user === undefined || !matches) throw invalidCredentials();
  await deps.throttle.succeeded(email, input.clientIp);
  if (needsRehash(user.passwordHash)) await upgradeHash(deps, user.id, input.password);
  const opened = await deps.store.transaction((tx) => openSession(tx, deps.sessions, user.id));
  const [tokens, profiles] = await Promise.all([sessionTokens(deps.sessions, user, opened), deps.store.listProfiles(user.id)]);
  return { user, tokens, profiles };
}

/** Re-hashes a password verified against older scrypt parameters with today's, while it is at hand. */
async function upgradeHash(deps: AccountDeps, userId: string, password: string): Promise<void> {
  const passwordHash = await deps.hashSlots.run(() => hashPassword(password));
  await deps.store.transaction((tx) => tx.setPasswordHash(userId, passwordHash));
}

export async function getAccount(store: IdentityStore, userId: string): Promise<UserRecord> {
  const user = await store.findUserById(userId);
  if (user === undefined) throw notFound("account not found");
  return user;
}

/**
 * An admin changes another account's plan and/or status. The subscription date restarts when the
 * plan changes or the account becomes ACTIVE again; a change to the same values is a no-op (no event).
 */
export async function changeSubscription(
  deps: Pick<AccountDeps, "store" | "events">,
  adminId: string,
  userId: string,
  change: { plan?: SubscriptionPlan; status?: SubscriptionStatus },
): Promise<UserRecord> {
  if (userId === adminId) throw invalidArgument("user_id", "admins change other accounts, not their own");
  return deps.store.transaction(async (tx) => {
    const before = await tx.lockUser(userId);
    if (before === undefined) throw notFound(`user ${userId} not found`);
    const plan = change.plan ?? before.plan;
    const status = change.status ?? before.status;
    if (plan === before.plan && status === before.status) return before;
    const restarted = plan !== before.plan || (status === SubscriptionStatus.ACTIVE && before.status !== SubscriptionStatus.ACTIVE);
    const after = await tx.updateSubscription(userId, { plan, status, restarted });
    await deps.events.subscriptionChanged(tx, before, after);
    return after;
  });
}
