import { SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { IdentityEvents } from "./domain-events.js";
import { DomainError, invalidArgument, invalidCredentials, notFound } from "./errors.js";
import type { LoginThrottle } from "./login-throttle.js";
import type { ProfileRecord, UserRecord } from "./model.js";
import { checkPasswordStrength } from "./password-policy.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import { openSession, sessionTokens, type SessionSettings, type SessionTokens } from "./sessions.js";
import type { IdentityStore } from "./store.js";

export interface AccountDeps {
  store: IdentityStore;
  events: IdentityEvents;
  sessions: SessionSettings;
  throttle: LoginThrottle;
  /** A hash of a random password, checked when the email is unknown so that answer costs what a wrong password costs. */
  dummyPasswordHash: string;
}

/** Sign-up without a plan starts on BASIC (payment is assumed to be handled upstream). */
export const DEFAULT_PLAN = SubscriptionPlan.BASIC;

/** The account key: addresses differing only in case or surrounding spaces are the same account. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function signUp(
  deps: AccountDeps,
  input: { email: string; password: string; country: string; plan: SubscriptionPlan },
): Promise<{ user: UserRecord; tokens: SessionTokens }> {
  const email = normaliseEmail(input.email);
  checkPasswordStrength(input.password, email);
  const passwordHash = await hashPassword(input.password);
  const plan = input.plan === SubscriptionPlan.UNSPECIFIED ? DEFAULT_PLAN : input.plan;
  const { user, opened } = await deps.store.transaction(async (tx) => {
    const user = await tx.insertUser({ email, passwordHash, role: "member", plan, status: SubscriptionStatus.ACTIVE, country: input.country });
    if (user === undefined) throw new DomainError("already_exists", "email: an account with this email already exists", "email");
    await deps.events.userSignedUp(tx, user);
    return { user, opened: await openSession(tx, deps.sessions, user.id) };
  });
  return { user, tokens: await sessionTokens(deps.sessions, user, opened) };
}

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
  const matches = await verifyPassword(input.password, user?.passwordHash ?? deps.dummyPasswordHash);
  if (user === undefined || !matches) throw invalidCredentials();
  await deps.throttle.succeeded(email, input.clientIp);
  const opened = await deps.store.transaction((tx) => openSession(tx, deps.sessions, user.id));
  const [tokens, profiles] = await Promise.all([sessionTokens(deps.sessions, user, opened), deps.store.listProfiles(user.id)]);
  return { user, tokens, profiles };
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
