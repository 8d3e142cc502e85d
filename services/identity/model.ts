import type { JsonObject } from "@bufbuild/protobuf";
import type { MaturityRating, SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import type { Role } from "../../platform/auth/tokens.js";

/** An account as stored. The password hash stays inside this service. */
export interface UserRecord {
  id: string;
  /** Normalised (trimmed, lower-case): the unique key of the account. */
  email: string;
  passwordHash: string;
  role: Role;
  plan: SubscriptionPlan;
  status: SubscriptionStatus;
  subscriptionDate: Date;
  country: string;
  createdAt: Date;
}

export type NewUser = Pick<UserRecord, "email" | "passwordHash" | "role" | "plan" | "status" | "country">;

/** A viewer profile as stored. For kids profiles `maturityLevel` is already within the kids cap. */
export interface ProfileRecord {
  id: string;
  userId: string;
  name: string;
  avatarUrl: string;
  isKids: boolean;
  language: string;
  maturityLevel: MaturityRating;
  preferences: JsonObject;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields a caller chooses; ids and timestamps come from the store. */
export type ProfileValues = Pick<ProfileRecord, "name" | "avatarUrl" | "isKids" | "language" | "maturityLevel" | "preferences">;

/** A refresh token looked up (and locked) for rotation, with the session and account it belongs to. */
export interface RefreshTokenState {
  sessionId: string;
  userId: string;
  role: Role;
  /** Already exchanged once: presenting it again means it leaked. */
  used: boolean;
  expired: boolean;
  sessionRevoked: boolean;
}
