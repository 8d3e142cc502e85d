import { DomainError } from "../../platform/domain/errors.js";

/**
 * Identity's refusals: the platform's typed domain errors, turned into RPC codes at the boundary
 * by platform/rpc/errors.ts, so no RPC type leaks into the domain.
 */
export { DomainError, type DomainErrorKind } from "../../platform/domain/errors.js";

export const invalidArgument = (field: string, message: string) => new DomainError("invalid_argument", `${field}: ${message}`, field);
export const notFound = (message: string) => new DomainError("not_found", message);

/** The one answer to every failed login, whichever of email or password was wrong. */
export const invalidCredentials = () => new DomainError("unauthenticated", "invalid email or password");
