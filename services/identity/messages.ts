import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Role as RoleEnum } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { ProfileSchema, UserSchema, type Profile, type User } from "../../gen/cinemesh/identity/v1/identity_types_pb.js";
import type { ProfileRecord, UserRecord } from "./model.js";

/** Stored records as the contract's messages (responses and event payloads alike). */
export function toUserMessage(u: UserRecord): User {
  return create(UserSchema, {
    userId: u.id,
    email: u.email,
    subscriptionPlan: u.plan,
    subscriptionStatus: u.status,
    subscriptionDate: timestampFromDate(u.subscriptionDate),
    country: u.country,
    role: u.role === "admin" ? RoleEnum.ADMIN : RoleEnum.MEMBER,
    createdAt: timestampFromDate(u.createdAt),
  });
}

export function toProfileMessage(p: ProfileRecord): Profile {
  return create(ProfileSchema, {
    profileId: p.id,
    userId: p.userId,
    name: p.name,
    avatarUrl: p.avatarUrl,
    isKids: p.isKids,
    language: p.language,
    maturityLevel: p.maturityLevel,
    preferences: p.preferences,
    createdAt: timestampFromDate(p.createdAt),
    updatedAt: timestampFromDate(p.updatedAt),
  });
}
