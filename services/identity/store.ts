import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { EventMeta } from "../../gen/cinemesh/events/v1/meta_pb.js";
import type { SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { Role } from "../../platform/auth/tokens.js";
import type { NewUser, ProfileRecord, ProfileValues, RefreshTokenState, UserRecord } from "./model.js";

/**
 * Storage of accounts, profiles and sessions. Reads stand alone; every change runs inside
 * `transaction`, whose `emit` writes domain events to the outbox in the same transaction, so a
 * change and its event commit (or roll back) together.
 */
export interface IdentityStore {
  transaction<T>(fn: (tx: IdentityTx) => Promise<T>): Promise<T>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  listProfiles(userId: string): Promise<ProfileRecord[]>;
  /** The profile if it exists and belongs to `userId`. */
  findProfile(profileId: string, userId: string): Promise<ProfileRecord | undefined>;
  /** The profile and its owning account, whoever owns it (the caller authorises). */
  findProfileWithOwner(profileId: string): Promise<{ profile: ProfileRecord; owner: UserRecord } | undefined>;
}

export interface IdentityTx {
  /** Inserts the account, or answers undefined when its email is taken (decided by the unique index, so racing sign-ups cannot both win). */
  insertUser(user: NewUser): Promise<UserRecord | undefined>;
  /** The account, locked until the transaction ends: serialises profile creation and subscription changes per account. */
  lockUser(id: string): Promise<UserRecord | undefined>;
  setRole(id: string, role: Role): Promise<void>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  /** Sets plan and status; `restarted` also moves the subscription date to now. */
  updateSubscription(id: string, change: { plan: SubscriptionPlan; status: SubscriptionStatus; restarted: boolean }): Promise<UserRecord>;

  countProfiles(userId: string): Promise<number>;
  insertProfile(userId: string, values: ProfileValues): Promise<ProfileRecord>;
  /** The profile if it belongs to `userId`, locked until the transaction ends. */
  lockProfile(profileId: string, userId: string): Promise<ProfileRecord | undefined>;
  updateProfile(profileId: string, values: ProfileValues): Promise<ProfileRecord>;
  /** Deletes the profile if it belongs to `userId`; answers what was deleted. */
  deleteProfile(profileId: string, userId: string): Promise<ProfileRecord | undefined>;

  /** Opens a login session (a refresh-token family) with its first refresh token; answers the session id. */
  createSession(userId: string, refreshTokenHash: Buffer, refreshTtlSeconds: number): Promise<string>;
  /** The refresh token's state, locked (with its session) until the transaction ends. */
  lockRefreshToken(hash: Buffer): Promise<RefreshTokenState | undefined>;
  /** Marks `oldHash` used and adds `newHash` to the same session. */
  rotateRefreshToken(sessionId: string, oldHash: Buffer, newHash: Buffer, refreshTtlSeconds: number): Promise<void>;
  revokeSession(sessionId: string, reason: string): Promise<void>;
  /** Revokes the session if it belongs to `userId` (idempotently); answers whether it does. */
  revokeOwnSession(userId: string, target: { sessionId: string } | { refreshTokenHash: Buffer }, reason: string): Promise<boolean>;
  /** Revokes every open session of the account; answers how many were open. */
  revokeAllSessions(userId: string, reason: string): Promise<number>;

  emit<D extends DescMessage>(desc: D, event: MessageShape<D> & { meta?: EventMeta }): Promise<void>;
}
