import { fromBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Role, SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { SubscriptionChangedSchema, UserSignedUpSchema } from "../../gen/cinemesh/events/v1/identity_events_pb.js";
import { IdentityTestbed, uniqueEmail, type IdentityClient } from "./testing/identity-testbed.js";
import { rpcError } from "./testing/rpc-error.js";

const ADMIN_EMAIL = "Root@Cinemesh.example";
const ADMIN_PASSWORD = "admin pass phrase 1";

/** The bootstrap admin, admin-only RPCs, and the events they emit. */
describe("identity: admin", () => {
  let bed: IdentityTestbed;
  let url: string;
  let admin: IdentityClient;
  let adminId: string;
  const adminEnv = { CINEMESH_ADMIN_EMAIL: ADMIN_EMAIL, CINEMESH_ADMIN_PASSWORD: ADMIN_PASSWORD };

  beforeAll(async () => {
    bed = await IdentityTestbed.open();
    // Two replicas starting at once on an empty database: one admin, created once.
    const [a, b] = await Promise.all([bed.start(adminEnv), bed.start(adminEnv)]);
    await b.stop();
    url = a.url;
    const login = await bed.client(url).login({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    admin = bed.client(url, { token: login.token });
    adminId = login.userId;
  });
  afterAll(() => bed?.close());

  it("creates the configured admin exactly once, across concurrent replicas and restarts", async () => {
    const restarted = await bed.start(adminEnv);
    await restarted.stop();
    // A restart with another password neither fails nor resets the admin's password.
    const other = await bed.start({ ...adminEnv, CINEMESH_ADMIN_PASSWORD: "a different pass 2" });
    await other.stop();

    const { rows } = await bed.pool.query("SELECT id, email, role, plan FROM identity.users WHERE role = 'admin'");
    expect(rows).toEqual([{ id: adminId, email: ADMIN_EMAIL.toLowerCase(), role: "admin", plan: "PREMIUM" }]);
    const signedUp = (await bed.outbox("user_signed_up")).map((e) => fromBinary(UserSignedUpSchema, e.payload));
    expect(signedUp.filter((e) => e.userId === adminId)).toHaveLength(1);
    expect((await admin.getMe({})).user?.role).toBe(Role.ADMIN);
    await bed.client(url).login({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  });

  it("relays committed events to the bus", async () => {
    await vi.waitFor(async () => expect((await bed.outbox("user_signed_up")).every((e) => e.published)).toBe(true), { timeout: 20_000, interval: 100 });
  });

  it("lets an admin change a member's plan and status, announcing the change with the previous values", async () => {
    const member = await bed.signUp(url);
    const { user } = await admin.adminUpdateUser({ userId: member.userId, plan: SubscriptionPlan.PREMIUM });
    expect(user).toMatchObject({ userId: member.userId, subscriptionPlan: SubscriptionPlan.PREMIUM, subscriptionStatus: SubscriptionStatus.ACTIVE });
    const canceled = await admin.adminUpdateUser({ userId: member.userId, status: SubscriptionStatus.CANCELED });
    expect(canceled.user).toMatchObject({ subscriptionPlan: SubscriptionPlan.PREMIUM, subscriptionStatus: SubscriptionStatus.CANCELED });
    // The same values again: nothing to announce.
    await admin.adminUpdateUser({ userId: member.userId, status: SubscriptionStatus.CANCELED });

    expect((await member.client.getMe({})).user).toMatchObject({ subscriptionPlan: SubscriptionPlan.PREMIUM, subscriptionStatus: SubscriptionStatus.CANCELED });
    const changes = (await bed.outbox("subscription_changed")).map((e) => fromBinary(SubscriptionChangedSchema, e.payload)).filter((e) => e.userId === member.userId);
    expect(changes.map((e) => [e.previousPlan, e.previousStatus, e.plan, e.status])).toEqual([
      [SubscriptionPlan.BASIC, SubscriptionStatus.ACTIVE, SubscriptionPlan.PREMIUM, SubscriptionStatus.ACTIVE],
      [SubscriptionPlan.PREMIUM, SubscriptionStatus.ACTIVE, SubscriptionPlan.PREMIUM, SubscriptionStatus.CANCELED],
    ]);
    expect(changes[0].subscriptionDate).toBeDefined();
  });

  it("refuses AdminUpdateUser to members (PERMISSION_DENIED) and to anonymous callers, changing nothing", async () => {
    const member = await bed.signUp(url);
    const target = await bed.signUp(url);
    const before = await bed.counts();
    const denied = await rpcError(member.client.adminUpdateUser({ userId: target.userId, plan: SubscriptionPlan.PREMIUM }));
    expect(denied.code).toBe(Code.PermissionDenied);
    const self = await rpcError(member.client.adminUpdateUser({ userId: member.userId, plan: SubscriptionPlan.PREMIUM }));
    expect(self.code).toBe(Code.PermissionDenied);
    expect((await rpcError(bed.client(url).adminUpdateUser({ userId: target.userId, plan: SubscriptionPlan.PREMIUM }))).code).toBe(Code.Unauthenticated);
    expect(await bed.counts()).toEqual(before);
    expect((await target.client.getMe({})).user?.subscriptionPlan).toBe(SubscriptionPlan.BASIC);
  });

  it("refuses bad admin requests with precise codes, changing nothing", async () => {
    const before = await bed.counts();
    expect((await rpcError(admin.adminUpdateUser({ userId: "00000000-0000-4000-8000-000000000000", plan: SubscriptionPlan.BASIC }))).code).toBe(Code.NotFound);
    expect((await rpcError(admin.adminUpdateUser({ userId: adminId, plan: SubscriptionPlan.BASIC }))).code).toBe(Code.InvalidArgument);
    const member = await bed.signUp(url);
    const after = await bed.counts();
    expect((await rpcError(admin.adminUpdateUser({ userId: member.userId }))).code).toBe(Code.InvalidArgument);
    expect((await rpcError(admin.adminUpdateUser({ userId: "robert'); --", plan: SubscriptionPlan.BASIC }))).code).toBe(Code.InvalidArgument);
    expect(await bed.counts()).toEqual(after);
    expect(after.users).toBe(before.users + 1);
  });

  it("lets an admin check any account's profile", async () => {
    const member = await bed.signUp(url);
    const { profileId } = await member.client.createProfile({ name: "Viewer" });
    expect(await admin.checkProfile({ profileId })).toMatchObject({ profileId, userId: member.userId, plan: SubscriptionPlan.BASIC });
  });

  it("never promotes a member account that took the admin's address with another password", async () => {
    const squatter = await bed.signUp(url, { email: uniqueEmail() });
    await expect(bed.start({ CINEMESH_ADMIN_EMAIL: squatter.email, CINEMESH_ADMIN_PASSWORD: "operator pass 3" })).rejects.toThrow(/refusing to promote/);
    expect((await squatter.client.getMe({})).user?.role).toBe(Role.MEMBER);
    // With the account's own password, the operator proves it is theirs: promoted.
    const owner = await bed.start({ CINEMESH_ADMIN_EMAIL: squatter.email, CINEMESH_ADMIN_PASSWORD: squatter.password });
    await owner.stop();
    const login = await bed.client(url).login({ email: squatter.email, password: squatter.password });
    expect((await bed.client(url, { token: login.token }).getMe({})).user?.role).toBe(Role.ADMIN);
  });

  it("imports members streamed in batches, past the sign-up allowance, once however often it runs", async () => {
    const password = "imported pass phrase 7";
    const members = Array.from({ length: 12 }, (_, i) => ({ email: uniqueEmail(), profileName: `Member ${i}` }));
    const batches = () => [{ password, country: "US", members: members.slice(0, 7) }, { password, country: "US", members: members.slice(7) }];
    const first = (await admin.importMembers(streamOf(batches()))).members;
    expect(first.map((m) => [m.email, m.created])).toEqual(members.map((m) => [m.email.toLowerCase(), true]));

    // Each signs in with the password and finds its one profile.
    const login = await bed.client(url).login({ email: members[11]!.email, password });
    expect(login.userId).toBe(first[11]!.userId);
    expect(login.profiles.map((p) => [p.profileId, p.name])).toEqual([[first[11]!.profileId, "Member 11"]]);

    const again = (await admin.importMembers(streamOf(batches()))).members;
    expect(again).toEqual(first.map((m) => ({ ...m, created: false })));

    const member = bed.client(url, { token: login.token });
    expect((await rpcError(member.importMembers(streamOf(batches())))).code).toBe(Code.PermissionDenied);
    const weak = await rpcError(admin.importMembers(streamOf([{ password: "password", country: "US", members: [{ email: uniqueEmail(), profileName: "W" }] }])));
    expect(weak.code).toBe(Code.InvalidArgument);
  });
});

async function* streamOf<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}
