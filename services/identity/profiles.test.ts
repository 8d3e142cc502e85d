import { fromBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MaturityRating, SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { ProfileCreatedSchema, ProfileDeletedSchema, ProfileUpdatedSchema } from "../../gen/cinemesh/events/v1/identity_events_pb.js";
import { IdentityTestbed, type SignedUp } from "./testing/identity-testbed.js";
import { rpcError } from "./testing/rpc-error.js";

const HOSTILE = "Robert'); DROP TABLE users;-- <script>alert(1)</script>";

/** Profiles: ownership, the five-profile limit, kids caps, hostile input, events. */
describe("identity: profiles", () => {
  let bed: IdentityTestbed;
  let url: string;

  beforeAll(async () => {
    bed = await IdentityTestbed.open();
    ({ url } = await bed.start());
  });
  afterAll(() => bed?.close());

  it("creates, lists, gets, updates and deletes a profile, announcing each change", async () => {
    const s = await bed.signUp(url);
    const created = await s.client.createProfile({ name: "Ann", avatarUrl: "https://img.example.com/a.png?size=64&x=%3Cb%3E" });
    expect(created.name).toBe("Ann");
    expect(created.profile).toMatchObject({
      profileId: created.profileId,
      userId: s.userId,
      avatarUrl: "https://img.example.com/a.png?size=64&x=%3Cb%3E",
      isKids: false,
      language: "en",
      maturityLevel: MaturityRating.NC_17,
    });
    expect((await s.client.listProfiles({})).profiles.map((p) => p.profileId)).toEqual([created.profileId]);
    expect((await s.client.getProfile({ profileId: created.profileId })).profile?.name).toBe("Ann");

    const updated = await s.client.updateProfile({ profileId: created.profileId, name: "Annie", language: "pt-BR", preferences: { autoplay: false } });
    expect(updated.profile).toMatchObject({ name: "Annie", language: "pt-BR", avatarUrl: "https://img.example.com/a.png?size=64&x=%3Cb%3E", preferences: { autoplay: false } });
    // Unchanged values write nothing and announce nothing.
    await s.client.updateProfile({ profileId: created.profileId, name: "Annie" });
    expect(await s.client.deleteProfile({ profileId: created.profileId })).toMatchObject({ success: true });
    expect((await rpcError(s.client.getProfile({ profileId: created.profileId }))).code).toBe(Code.NotFound);

    const createdEvents = (await bed.outbox("profile_created")).map((e) => fromBinary(ProfileCreatedSchema, e.payload));
    expect(createdEvents.filter((e) => e.profile?.userId === s.userId).map((e) => e.profile?.name)).toEqual(["Ann"]);
    const updatedEvents = (await bed.outbox("profile_updated")).map((e) => fromBinary(ProfileUpdatedSchema, e.payload));
    expect(updatedEvents.filter((e) => e.profile?.userId === s.userId).map((e) => [e.profile?.name, e.profile?.language])).toEqual([["Annie", "pt-BR"]]);
    const deletedEvents = (await bed.outbox("profile_deleted")).map((e) => fromBinary(ProfileDeletedSchema, e.payload));
    expect(deletedEvents.filter((e) => e.userId === s.userId).map((e) => e.profileId)).toEqual([created.profileId]);
  });

  it("stores and returns SQL and HTML verbatim", async () => {
    const s = await bed.signUp(url);
    const { profileId } = await s.client.createProfile({ name: HOSTILE, preferences: { note: HOSTILE, "'; --": ["<img src=x onerror=alert(1)>"] } });
    for (const p of [(await s.client.getProfile({ profileId })).profile, (await s.client.listProfiles({})).profiles[0]]) {
      expect(p?.name).toBe(HOSTILE);
      expect(p?.preferences).toEqual({ note: HOSTILE, "'; --": ["<img src=x onerror=alert(1)>"] });
    }
    const { rows } = await bed.pool.query("SELECT to_regclass('identity.users') IS NOT NULL AS users_table_exists");
    expect(rows[0].users_table_exists).toBe(true);
  });

  it("allows five profiles per account; the sixth is FAILED_PRECONDITION and changes nothing", async () => {
    const s = await bed.signUp(url);
    for (let i = 1; i <= 5; i++) await s.client.createProfile({ name: `P${i}` });
    const before = await bed.counts();
    const err = await rpcError(s.client.createProfile({ name: "P6" }));
    expect(err.code).toBe(Code.FailedPrecondition);
    expect(err.rawMessage).toMatch(/at most 5 profiles/);
    expect(await bed.counts()).toEqual(before);
  });

  it("holds the limit under concurrent creations", async () => {
    const s = await bed.signUp(url);
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => s.client.createProfile({ name: `Racer ${i}` })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    for (const r of results) if (r.status === "rejected") expect((r.reason as { code: Code }).code).toBe(Code.FailedPrecondition);
    expect((await s.client.listProfiles({})).profiles).toHaveLength(5);
  });

  describe("another account's profile", () => {
    let owner: SignedUp;
    let other: SignedUp;
    let profileId: string;

    beforeAll(async () => {
      owner = await bed.signUp(url);
      other = await bed.signUp(url);
      ({ profileId } = await owner.client.createProfile({ name: "Owner's secret name", isKids: true }));
    });

    it("is NOT_FOUND for every call, gives away no data, and is left untouched", async () => {
      const before = await bed.counts();
      const calls = [
        () => other.client.getProfile({ profileId }),
        () => other.client.updateProfile({ profileId, name: "pwned" }),
        () => other.client.deleteProfile({ profileId }),
        () => other.client.checkProfile({ profileId }),
      ];
      for (const call of calls) {
        const err = await rpcError(call());
        expect(err.code).toBe(Code.NotFound);
        expect(err.rawMessage).toBe(`profile ${profileId} not found`);
        expect(err.details).toEqual([]);
      }
      expect((await other.client.listProfiles({})).profiles).toEqual([]);
      expect(await bed.counts()).toEqual(before);
      expect((await owner.client.getProfile({ profileId })).profile?.name).toBe("Owner's secret name");
    });

    it("answers like a profile that does not exist", async () => {
      const ghost = "00000000-0000-4000-8000-000000000000";
      const err = await rpcError(other.client.getProfile({ profileId: ghost }));
      expect(err.code).toBe(Code.NotFound);
      expect(err.rawMessage).toBe(`profile ${ghost} not found`);
    });
  });

  describe("kids profiles", () => {
    it("are capped at PG whatever level is asked, on creation and on update", async () => {
      const s = await bed.signUp(url);
      const kid = await s.client.createProfile({ name: "Kid", isKids: true, maturityLevel: MaturityRating.R });
      expect(kid.profile?.maturityLevel).toBe(MaturityRating.PG);
      const raised = await s.client.updateProfile({ profileId: kid.profileId, maturityLevel: MaturityRating.TV_MA });
      expect(raised.profile?.maturityLevel).toBe(MaturityRating.PG);
      const lowered = await s.client.updateProfile({ profileId: kid.profileId, maturityLevel: MaturityRating.TV_Y });
      expect(lowered.profile?.maturityLevel).toBe(MaturityRating.TV_Y);

      const adult = await s.client.createProfile({ name: "Dad", maturityLevel: MaturityRating.TV_MA });
      const turned = await s.client.updateProfile({ profileId: adult.profileId, isKids: true });
      expect(turned.profile).toMatchObject({ isKids: true, maturityLevel: MaturityRating.PG });
    });
  });

  describe("CheckProfile", () => {
    it("tells the owner's services who owns it, the effective cap and the subscription", async () => {
      const s = await bed.signUp(url, { plan: SubscriptionPlan.STANDARD });
      const kid = await s.client.createProfile({ name: "Kid", isKids: true, language: "fr" });
      expect(await s.client.checkProfile({ profileId: kid.profileId })).toMatchObject({
        profileId: kid.profileId,
        userId: s.userId,
        isKids: true,
        maturityLevel: MaturityRating.PG,
        plan: SubscriptionPlan.STANDARD,
        status: SubscriptionStatus.ACTIVE,
        language: "fr",
      });
      expect((await rpcError(bed.client(url).checkProfile({ profileId: kid.profileId }))).code).toBe(Code.Unauthenticated);
    });
  });

  describe("bad input", () => {
    it("is INVALID_ARGUMENT naming the field, and changes nothing", async () => {
      const s = await bed.signUp(url);
      const { profileId } = await s.client.createProfile({ name: "Ok" });
      const before = await bed.counts();
      const cases: Array<[() => Promise<unknown>, string]> = [
        [() => s.client.createProfile({ name: "x".repeat(101) }), "name"],
        [() => s.client.createProfile({ name: "" }), "name"],
        [() => s.client.createProfile({ name: "   " }), "name"],
        [() => s.client.createProfile({ name: "tab\there" }), "name"],
        [() => s.client.createProfile({ name: "Ok", avatarUrl: `https://x.example/${"a".repeat(500)}` }), "avatar_url"],
        [() => s.client.createProfile({ name: "Ok", avatarUrl: "javascript:alert(1)" }), "avatar_url"],
        [() => s.client.createProfile({ name: "Ok", language: "english!" }), "language"],
        [() => s.client.createProfile({ name: "Ok", maturityLevel: 99 as MaturityRating }), "maturity_level"],
        [() => s.client.createProfile({ name: "Ok", preferences: { big: "x".repeat(20_000) } }), "preferences"],
        [() => s.client.updateProfile({ profileId, name: "x".repeat(101) }), "name"],
        [() => s.client.updateProfile({ profileId, maturityLevel: MaturityRating.UNSPECIFIED }), "maturity_level"],
        [() => s.client.updateProfile({ profileId: "not-a-uuid", name: "x" }), "profile_id"],
        [() => s.client.getProfile({ profileId: "1 OR 1=1" }), "profile_id"],
      ];
      for (const [call, field] of cases) {
        const err = await rpcError(call());
        expect(err.code, field).toBe(Code.InvalidArgument);
        expect(err.rawMessage).toContain(field);
      }
      expect(await bed.counts()).toEqual(before);
    });

    it("clears an avatar with an empty string", async () => {
      const s = await bed.signUp(url);
      const { profileId } = await s.client.createProfile({ name: "Ok", avatarUrl: "https://img.example.com/a.png" });
      expect((await s.client.updateProfile({ profileId, avatarUrl: "" })).profile?.avatarUrl).toBe("");
    });
  });
});
