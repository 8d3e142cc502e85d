import { describe, expect, it } from "vitest";
import { SubscriptionPlan } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { signUp, type AccountDeps } from "./accounts.js";
import { DomainError } from "./errors.js";
import type { UserRecord } from "./model.js";
import type { IdentityStore } from "./store.js";

/**
 * The order of sign-up's checks: every cheap refusal comes before the password is hashed, so a
 * flood of sign-ups for taken emails, or over the address's allowance, costs no scrypt.
 */
describe("sign-up checks before hashing", () => {
  const taken = { id: "u-1", email: "taken@example.com" } as UserRecord;
  const hashed: string[] = [];
  const deps = (admit: () => Promise<void> = async () => {}) =>
    ({
      store: { findUserByEmail: async (email: string) => (email === taken.email ? taken : undefined) } as Partial<IdentityStore> as IdentityStore,
      signUpThrottle: { admit },
      hashSlots: {
        run: async () => {
          hashed.push("hash");
          throw new Error("stop after hashing");
        },
      },
    }) as Partial<AccountDeps> as AccountDeps;
  const input = { email: "Taken@Example.com", password: "correct horse 42", country: "US", plan: SubscriptionPlan.UNSPECIFIED, clientIp: "10.0.0.1" };
  const kind = (p: Promise<unknown>) => p.then(() => "ok", (err: unknown) => (err instanceof DomainError ? err.kind : String(err)));

  it("refuses a taken email, a plan, a weak password and a throttled address without hashing", async () => {
    expect(await kind(signUp(deps(), input))).toBe("already_exists");
    expect(await kind(signUp(deps(), { ...input, email: "new@example.com", plan: SubscriptionPlan.PREMIUM }))).toBe("invalid_argument");
    expect(await kind(signUp(deps(), { ...input, email: "new@example.com", password: "12345678" }))).toBe("invalid_argument");
    const throttled = async () => {
      throw new DomainError("throttled", "too many");
    };
    expect(await kind(signUp(deps(throttled), { ...input, email: "new@example.com" }))).toBe("throttled");
    expect(hashed).toEqual([]);
    // A free email does reach the hash.
    expect(await kind(signUp(deps(), { ...input, email: "new@example.com" }))).toMatch(/stop after hashing/);
    expect(hashed).toEqual(["hash"]);
  });
});
