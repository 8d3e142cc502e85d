import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  ProfileCreatedSchema,
  ProfileDeletedSchema,
  ProfileUpdatedSchema,
  SubscriptionChangedSchema,
  UserSignedUpSchema,
} from "../../gen/cinemesh/events/v1/identity_events_pb.js";
import type { EventMeta } from "../../gen/cinemesh/events/v1/meta_pb.js";
import { toProfileMessage } from "./messages.js";
import type { ProfileRecord, UserRecord } from "./model.js";
import type { IdentityTx } from "./store.js";

/**
 * The events identity emits (proto/cinemesh/events/v1/identity_events.proto), each written through
 * the transaction that makes the change. `meta` makes a fresh envelope (event id, time, producer).
 */
export class IdentityEvents {
  constructor(private readonly meta: () => EventMeta) {}

  userSignedUp(tx: IdentityTx, u: UserRecord): Promise<void> {
    return tx.emit(UserSignedUpSchema, create(UserSignedUpSchema, { meta: this.meta(), userId: u.id, email: u.email, country: u.country, plan: u.plan, status: u.status }));
  }

  profileCreated(tx: IdentityTx, p: ProfileRecord): Promise<void> {
    return tx.emit(ProfileCreatedSchema, create(ProfileCreatedSchema, { meta: this.meta(), profile: toProfileMessage(p) }));
  }

  profileUpdated(tx: IdentityTx, p: ProfileRecord): Promise<void> {
    return tx.emit(ProfileUpdatedSchema, create(ProfileUpdatedSchema, { meta: this.meta(), profile: toProfileMessage(p) }));
  }

  profileDeleted(tx: IdentityTx, p: ProfileRecord): Promise<void> {
    return tx.emit(ProfileDeletedSchema, create(ProfileDeletedSchema, { meta: this.meta(), profileId: p.id, userId: p.userId }));
  }

  subscriptionChanged(tx: IdentityTx, before: UserRecord, after: UserRecord): Promise<void> {
    return tx.emit(
      SubscriptionChangedSchema,
      create(SubscriptionChangedSchema, {
        meta: this.meta(),
        userId: after.id,
        plan: after.plan,
        status: after.status,
        previousPlan: before.plan,
        previousStatus: before.status,
        subscriptionDate: timestampFromDate(after.subscriptionDate),
      }),
    );
  }
}
