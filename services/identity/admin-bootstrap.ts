import { SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { normaliseEmail } from "./accounts.js";
import type { IdentityEvents } from "./domain-events.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import type { IdentityStore } from "./store.js";

/** Where the bootstrap admin's account says it lives; admins are staff, not viewers. */
const ADMIN_COUNTRY = "US";

export type AdminBootstrapOutcome = "created" | "present" | "promoted";

export class AdminBootstrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdminBootstrapError";
  }
}

/**
 * Makes sure the configured first admin exists, at every start of every replica. Idempotent: an
 * existing admin is left alone (its password is not reset from the environment). Race-safe: the
 * insert relies on the unique email index, and a replica that loses the race re-reads.
 *
 * A member account that already holds the address is promoted only when the configured password
 * opens it: otherwise whoever signed up first with the admin's address would become admin. That
 * case stops the start-up, since the operator's configuration cannot be honoured.
 */
export async function ensureBootstrapAdmin(
  deps: { store: IdentityStore; events: IdentityEvents },
  admin: { email: string; password: string },
): Promise<AdminBootstrapOutcome> {
  const email = normaliseEmail(admin.email);
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await deps.store.findUserByEmail(email);
    if (existing?.role === "admin") return "present";
    if (existing !== undefined) {
      if (!(await verifyPassword(admin.password, existing.passwordHash))) {
        throw new AdminBootstrapError(
          `CINEMESH_ADMIN_EMAIL ${email} belongs to an existing member account whose password differs from CINEMESH_ADMIN_PASSWORD; refusing to promote it (choose another admin email)`,
        );
      }
      await deps.store.transaction((tx) => tx.setRole(existing.id, "admin"));
      return "promoted";
    }
    const passwordHash = await hashPassword(admin.password);
    const created = await deps.store.transaction(async (tx) => {
      const user = await tx.insertUser({ email, passwordHash, role: "admin", plan: SubscriptionPlan.PREMIUM, status: SubscriptionStatus.ACTIVE, country: ADMIN_COUNTRY });
      if (user !== undefined) await deps.events.userSignedUp(tx, user);
      return user !== undefined;
    });
    if (created) return "created";
    // Another replica (or a sign-up) inserted the address first: look again.
  }
  throw new AdminBootstrapError(`could not create or find the admin account ${email}`);
}
