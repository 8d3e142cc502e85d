/**
 * Why a domain operation refused. Domain code throws these; the RPC boundary (handlers.ts) turns
 * each kind into its ConnectError code, so no RPC type leaks into the domain.
 */
export type DomainErrorKind =
  | "invalid_argument"
  | "already_exists"
  | "unauthenticated"
  | "permission_denied"
  | "not_found"
  | "failed_precondition"
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

export const invalidArgument = (field: string, message: string) => new DomainError("invalid_argument", `${field}: ${message}`, field);
export const notFound = (message: string) => new DomainError("not_found", message);

/** The one answer to every failed login, whichever of email or password was wrong. */
export const invalidCredentials = () => new DomainError("unauthenticated", "invalid email or password");
