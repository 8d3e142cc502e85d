import { fromBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Role, SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { UserSignedUpSchema } from "../../gen/cinemesh/events/v1/identity_events_pb.js";
import { BadRequestSchema, RetryInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { createTokenSigner, generateAuthKeyPair } from "../../platform/auth/tokens.js";
import { IDENTITY_SCHEMA } from "./service.js";
import { hashPassword } from "./passwords.js";
import { IdentityTestbed, randomIp, uniqueEmail } from "./testing/identity-testbed.js";
import { rpcError } from "./testing/rpc-error.js";

/**
 * Sign-up, login, tokens and sessions, through the real service on real engines. Each password
 * hash costs what production's does (scrypt N=2^17, seconds on a loaded machine), and a
 * throttling test makes up to a dozen: hence the generous per-test timeout.
 */
describe("identity: accounts and sessions", { timeout: 180_000 }, () => {
  let bed: IdentityTestbed;
  let url: string;

  beforeAll(async () => {
    bed = await IdentityTestbed.open();
    ({ url } = await bed.start({ IDENTITY_LOGIN_MAX_FAILURES_PER_ACCOUNT: "3", IDENTITY_LOGIN_MAX_FAILURES_PER_IP: "6", IDENTITY_SIGNUP_MAX_PER_IP: "2" }));
  });
  afterAll(() => bed?.close());

  describe("sign-up", () => {
    it("creates an ACTIVE account on BASIC by default, answers tokens that work, and announces it", async () => {
      const email = uniqueEmail().replace("viewer", "Viewer");
      const res = await bed.client(url).signUp({ email, password: "correct horse 42", country: "SE" });
      expect(res.userId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(res.expiresIn).toBe(900);

      const { user } = await bed.client(url, { token: res.token }).getMe({});
      expect(user).toMatchObject({
        userId: res.userId,
        email: email.toLowerCase(),
        subscriptionPlan: SubscriptionPlan.BASIC,
        subscriptionStatus: SubscriptionStatus.ACTIVE,
        country: "SE",
        role: Role.MEMBER,
      });
      expect(user?.createdAt).toBeDefined();

      const events = (await bed.outbox("user_signed_up")).map((e) => fromBinary(UserSignedUpSchema, e.payload));
      expect(events.find((e) => e.userId === res.userId)).toMatchObject({ email: email.toLowerCase(), country: "SE", plan: SubscriptionPlan.BASIC, status: SubscriptionStatus.ACTIVE });
    });

    it("refuses to let the new account pick its plan (PREMIUM for free), and changes nothing", async () => {
      const before = await bed.counts();
      for (const plan of [SubscriptionPlan.PREMIUM, SubscriptionPlan.STANDARD, SubscriptionPlan.BASIC]) {
        const err = await rpcError(bed.client(url).signUp({ email: uniqueEmail(), password: "correct horse 42", country: "US", plan }));
        expect(err.code).toBe(Code.InvalidArgument);
        expect(err.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe("plan");
      }
      expect(await bed.counts()).toEqual(before);
    });

    it("limits sign-ups per client address, refused ones included; other addresses still sign up", async () => {
      const ip = randomIp();
      const taken = await bed.signUp(url);
      await bed.client(url, { ip }).signUp({ email: uniqueEmail(), password: "correct horse 42", country: "US" });
      expect((await rpcError(bed.client(url, { ip }).signUp({ email: taken.email, password: "correct horse 42", country: "US" }))).code).toBe(Code.AlreadyExists);
      const err = await rpcError(bed.client(url, { ip }).signUp({ email: uniqueEmail(), password: "correct horse 42", country: "US" }));
      expect(err.code).toBe(Code.ResourceExhausted);
      expect(err.rawMessage).toMatch(/too many sign-ups from this address/);
      expect(Number(err.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds)).toBe(3600);
      expect((await bed.client(url).signUp({ email: uniqueEmail(), password: "correct horse 42", country: "US" })).userId).toBeTruthy();
    });

    it("refuses an email that is taken, also in another case, and changes nothing", async () => {
      const s = await bed.signUp(url);
      const before = await bed.counts();
      for (const email of [s.email, s.email.toUpperCase()]) {
        const err = await rpcError(bed.client(url).signUp({ email, password: "another pass 7", country: "US" }));
        expect(err.code).toBe(Code.AlreadyExists);
        expect(err.rawMessage).toMatch(/email/);
      }
      // Racing sign-ups for one new address: the unique index lets exactly one win.
      const email = uniqueEmail();
      const results = await Promise.allSettled([1, 2, 3].map((i) => bed.client(url).signUp({ email: i === 2 ? email.toUpperCase() : email, password: "race pass 99", country: "US" })));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect((r.reason as { code: Code }).code).toBe(Code.AlreadyExists);
      const after = await bed.counts();
      expect(after.users).toBe(before.users + 1);
    });

    it("refuses weak passwords with INVALID_ARGUMENT naming the password, and changes nothing", async () => {
      const before = await bed.counts();
      for (const password of ["abcdefgh", "12345678", "aaaaaaaaaaaaaa", "short1"]) {
        const err = await rpcError(bed.client(url).signUp({ email: uniqueEmail(), password, country: "US" }));
        expect(err.code, password).toBe(Code.InvalidArgument);
        expect(err.rawMessage).toMatch(/^password: /);
        expect(err.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe("password");
      }
      expect(await bed.counts()).toEqual(before);
    });

    it("refuses oversized and malformed fields with INVALID_ARGUMENT, and changes nothing", async () => {
      const before = await bed.counts();
      const cases = [
        { email: `${"a".repeat(250)}@example.com`, password: "correct horse 42", country: "US" },
        { email: uniqueEmail(), password: `Aa1${"x".repeat(200)}`, country: "US" },
        { email: "not an email", password: "correct horse 42", country: "US" },
        { email: uniqueEmail(), password: "correct horse 42", country: "usa" },
        { email: uniqueEmail(), password: "correct horse 42", country: "US", plan: 42 as SubscriptionPlan },
      ];
      for (const req of cases) {
        expect((await rpcError(bed.client(url).signUp(req))).code, JSON.stringify(req).slice(0, 80)).toBe(Code.InvalidArgument);
      }
      expect(await bed.counts()).toEqual(before);
    });
  });

  describe("login", () => {
    it("accepts the email in any case and answers tokens and the profiles", async () => {
      const s = await bed.signUp(url);
      await s.client.createProfile({ name: "Ann" });
      const res = await bed.client(url).login({ email: s.email.toUpperCase(), password: s.password });
      expect(res.userId).toBe(s.userId);
      expect(res.expiresIn).toBe(900);
      expect(res.refreshToken).not.toBe(s.refreshToken);
      expect(res.profiles.map((p) => p.name)).toEqual(["Ann"]);
      expect((await bed.client(url, { token: res.token }).getMe({})).user?.userId).toBe(s.userId);
    });

    it("gives a wrong password and an unknown email the same UNAUTHENTICATED answer, and changes nothing", async () => {
      const s = await bed.signUp(url);
      const before = await bed.counts();
      const wrongPassword = await rpcError(bed.client(url).login({ email: s.email, password: "not the password 1" }));
      const unknownEmail = await rpcError(bed.client(url).login({ email: uniqueEmail(), password: s.password }));
      for (const err of [wrongPassword, unknownEmail]) {
        expect(err.code).toBe(Code.Unauthenticated);
        expect(err.rawMessage).toBe("invalid email or password");
      }
      expect(await bed.counts()).toEqual(before);
    });
  });

  describe("access tokens", () => {
    it("rejects missing, expired, tampered and foreign tokens with UNAUTHENTICATED", async () => {
      const s = await bed.signUp(url);
      const expired = (await bed.signer.sign({ userId: s.userId, role: "member", sessionId: "s" }, -120)).token;
      const [header, payload, signature] = s.token.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
      const promoted = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: "admin" })).toString("base64url")}.${signature}`;
      const foreignSigner = await createTokenSigner((await generateAuthKeyPair()).privateKeyPem);
      const foreign = (await foreignSigner.sign({ userId: s.userId, role: "member", sessionId: "s" }, 600)).token;

      expect((await rpcError(bed.client(url).getMe({}))).code).toBe(Code.Unauthenticated);
      for (const token of [expired, promoted, foreign, `${s.token.slice(0, -2)}xx`, "garbage"]) {
        expect((await rpcError(bed.client(url, { token }).getMe({}))).code).toBe(Code.Unauthenticated);
      }
      expect((await rpcError(bed.client(url, { token: expired }).getMe({}))).rawMessage).toMatch(/expired/);
    });
  });

  describe("refresh tokens", () => {
    it("rotates: each refresh token works once and yields a new pair", async () => {
      const s = await bed.signUp(url);
      const first = await bed.client(url).refreshToken({ refreshToken: s.refreshToken });
      expect(first.refreshToken).not.toBe(s.refreshToken);
      expect(first.expiresIn).toBe(900);
      expect((await bed.client(url, { token: first.token }).getMe({})).user?.userId).toBe(s.userId);
      const second = await bed.client(url).refreshToken({ refreshToken: first.refreshToken });
      expect(second.refreshToken).not.toBe(first.refreshToken);
    });

    it("revokes the whole session when a used refresh token comes back (a stolen copy)", async () => {
      const s = await bed.signUp(url);
      const other = await bed.client(url).login({ email: s.email, password: s.password });
      const rotated = await bed.client(url).refreshToken({ refreshToken: s.refreshToken });

      const reuse = await rpcError(bed.client(url).refreshToken({ refreshToken: s.refreshToken }));
      expect(reuse.code).toBe(Code.Unauthenticated);
      // The legitimate holder's newer token is dead too: the family is revoked.
      expect((await rpcError(bed.client(url).refreshToken({ refreshToken: rotated.refreshToken }))).code).toBe(Code.Unauthenticated);
      // Other sessions of the account are untouched.
      await bed.client(url).refreshToken({ refreshToken: other.refreshToken });

      const { rows } = await bed.pool.query("SELECT revoked_reason FROM identity.sessions WHERE user_id = $1 AND revoked_at IS NOT NULL", [s.userId]);
      expect(rows).toEqual([{ revoked_reason: "refresh token reused" }]);
    });

    it("stores only a hash of each refresh token", async () => {
      const s = await bed.signUp(url);
      const { rows } = await bed.pool.query(
        "SELECT encode(t.token_hash, 'hex') AS h FROM identity.refresh_tokens t JOIN identity.sessions s ON s.id = t.session_id WHERE s.user_id = $1",
        [s.userId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].h).not.toContain(Buffer.from(s.refreshToken).toString("hex"));
      expect(rows[0].h).toBe((await import("node:crypto")).createHash("sha256").update(s.refreshToken).digest("hex"));
    });

    it("refuses unknown refresh tokens and changes nothing", async () => {
      const before = await bed.counts();
      for (const refreshToken of ["nope", "A".repeat(43)]) {
        expect((await rpcError(bed.client(url).refreshToken({ refreshToken }))).code).toBe(Code.Unauthenticated);
      }
      expect((await rpcError(bed.client(url).refreshToken({ refreshToken: "x".repeat(2000) }))).code).toBe(Code.InvalidArgument);
      expect(await bed.counts()).toEqual(before);
    });
  });

  describe("logout", () => {
    it("revokes the refresh token sent, or the calling session when none is sent", async () => {
      const s = await bed.signUp(url);
      expect(await s.client.logout({ refreshToken: s.refreshToken })).toMatchObject({ success: true });
      expect((await rpcError(bed.client(url).refreshToken({ refreshToken: s.refreshToken }))).code).toBe(Code.Unauthenticated);

      const login = await bed.client(url).login({ email: s.email, password: s.password });
      expect(await bed.client(url, { token: login.token }).logout({})).toMatchObject({ success: true });
      expect((await rpcError(bed.client(url).refreshToken({ refreshToken: login.refreshToken }))).code).toBe(Code.Unauthenticated);
    });

    it("revokes every session with all_sessions", async () => {
      const s = await bed.signUp(url);
      const a = await bed.client(url).login({ email: s.email, password: s.password });
      const b = await bed.client(url).login({ email: s.email, password: s.password });
      expect(await s.client.logout({ allSessions: true })).toMatchObject({ success: true });
      for (const refreshToken of [s.refreshToken, a.refreshToken, b.refreshToken]) {
        expect((await rpcError(bed.client(url).refreshToken({ refreshToken }))).code).toBe(Code.Unauthenticated);
      }
    });

    it("cannot end another account's session, and needs a signed-in caller", async () => {
      const victim = await bed.signUp(url);
      const attacker = await bed.signUp(url);
      expect(await attacker.client.logout({ refreshToken: victim.refreshToken })).toMatchObject({ success: false });
      await bed.client(url).refreshToken({ refreshToken: victim.refreshToken });
      expect((await rpcError(bed.client(url).logout({ allSessions: true }))).code).toBe(Code.Unauthenticated);
    });
  });

  describe("login throttling (limits 3 per account and address, 6 per IP in this file)", () => {
    it("stops guessing at an account from one address after 3 failures, whatever the password, with a retry hint", async () => {
      const s = await bed.signUp(url);
      const attacker = randomIp();
      for (let i = 0; i < 3; i++) {
        expect((await rpcError(bed.client(url, { ip: attacker }).login({ email: s.email, password: `wrong guess ${i}` }))).code).toBe(Code.Unauthenticated);
      }
      for (const password of [s.password, "wrong guess 4"]) {
        const err = await rpcError(bed.client(url, { ip: attacker }).login({ email: s.email.toUpperCase(), password }));
        expect(err.code).toBe(Code.ResourceExhausted);
        expect(err.rawMessage).toMatch(/try again in at most 15 minutes/);
        expect(Number(err.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds)).toBe(900);
      }
      // Unknown accounts are throttled the same way, so throttling reveals nothing either.
      const ghost = uniqueEmail();
      const prober = randomIp();
      for (let i = 0; i < 3; i++) await rpcError(bed.client(url, { ip: prober }).login({ email: ghost, password: "wrong guess 9" }));
      expect((await rpcError(bed.client(url, { ip: prober }).login({ email: ghost, password: "wrong guess 9" }))).code).toBe(Code.ResourceExhausted);
    });

    it("does not lock the owner out: failures from address A leave the owner's login from address B alone", async () => {
      const s = await bed.signUp(url);
      const attackers = [randomIp(), randomIp()];
      for (const ip of attackers) {
        for (let i = 0; i < 4; i++) await rpcError(bed.client(url, { ip }).login({ email: s.email, password: `wrong guess ${i}` }));
        expect((await rpcError(bed.client(url, { ip }).login({ email: s.email, password: s.password }))).code).toBe(Code.ResourceExhausted);
      }
      expect((await bed.client(url, { ip: randomIp() }).login({ email: s.email, password: s.password })).userId).toBe(s.userId);
    });

    it("stops an address after 6 failures across accounts; other addresses still get in", async () => {
      const s = await bed.signUp(url);
      const ip = randomIp();
      for (let i = 0; i < 6; i++) {
        expect((await rpcError(bed.client(url, { ip }).login({ email: uniqueEmail(), password: "spray pass 1" }))).code).toBe(Code.Unauthenticated);
      }
      expect((await rpcError(bed.client(url, { ip }).login({ email: s.email, password: s.password }))).code).toBe(Code.ResourceExhausted);
      expect((await bed.client(url).login({ email: s.email, password: s.password })).userId).toBe(s.userId);
    });

    it("throttles callers with no known address per account only (a shared bucket would lock them all out)", async () => {
      const s = await bed.signUp(url);
      for (let i = 0; i < 7; i++) {
        expect((await rpcError(bed.client(url, { ip: null }).login({ email: uniqueEmail(), password: "spray pass 1" }))).code).toBe(Code.Unauthenticated);
      }
      expect((await bed.client(url, { ip: null }).login({ email: s.email, password: s.password })).userId).toBe(s.userId);
    });

    it("does not count a successful login against the address, nor forgive the address's failures", async () => {
      const s = await bed.signUp(url);
      const ip = randomIp();
      const fail = async () => (await rpcError(bed.client(url, { ip }).login({ email: uniqueEmail(), password: "spray pass 1" }))).code;
      expect([await fail(), await fail()]).toEqual([Code.Unauthenticated, Code.Unauthenticated]);
      await bed.client(url, { ip }).login({ email: s.email, password: s.password });
      // Four more failures make six: still answered (the success was not counted)…
      expect([await fail(), await fail(), await fail(), await fail()]).toEqual(Array(4).fill(Code.Unauthenticated));
      // …and the seventh attempt is refused (the success did not reset the count).
      expect((await rpcError(bed.client(url, { ip }).login({ email: s.email, password: s.password }))).code).toBe(Code.ResourceExhausted);
    });

    it("a successful login clears the account's failures from that address", async () => {
      const s = await bed.signUp(url);
      const ip = randomIp();
      for (let i = 0; i < 2; i++) await rpcError(bed.client(url, { ip }).login({ email: s.email, password: "wrong guess 1" }));
      await bed.client(url, { ip }).login({ email: s.email, password: s.password });
      for (let i = 0; i < 3; i++) {
        expect((await rpcError(bed.client(url, { ip }).login({ email: s.email, password: "wrong guess 2" }))).code).toBe(Code.Unauthenticated);
      }
    });
  });

  describe("password hashes", () => {
    it("verifies a hash made with the old scrypt parameters and upgrades it to today's on login", async () => {
      const s = await bed.signUp(url);
      const stored = async () => (await bed.pool.query(`SELECT password_hash FROM ${IDENTITY_SCHEMA}.users WHERE id = $1`, [s.userId])).rows[0].password_hash as string;
      expect(await stored()).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
      await bed.pool.query(`UPDATE ${IDENTITY_SCHEMA}.users SET password_hash = $2 WHERE id = $1`, [s.userId, await hashPassword(s.password, { ln: 15, r: 8, p: 1 })]);
      expect((await bed.client(url).login({ email: s.email, password: s.password })).userId).toBe(s.userId);
      expect(await stored()).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$/);
      expect((await bed.client(url).login({ email: s.email, password: s.password })).userId).toBe(s.userId);
    });
  });
});
