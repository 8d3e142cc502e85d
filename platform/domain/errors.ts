/**
 * Why a domain operation refused. Domain code of every service throws these (or a subclass); the
 * RPC boundary (platform/rpc/errors.ts) turns each kind into its ConnectError code, so no RPC
 * type leaks into the domain. Anything else thrown is a fault, not a refusal.
 */
export type DomainErrorKind =
  | "invalid_argument"
  | "already_exists"
  | "unauthenticated"
  | "permission_denied"
  | "not_found"
  | "failed_precondition"
  | "aborted"
  | "throttled";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** The request field at fault, for INVALID_ARGUMENT's field violation. */
    readonly field?: string,
    /** For `throttled`: how long until a retry can succeed, at most. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
