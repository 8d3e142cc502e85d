import { DomainError } from "../../platform/domain/errors.js";

/**
 * Why a catalog operation refused: the platform's typed domain errors, turned into RPC codes only
 * at the handler boundary (platform/rpc/errors.ts). Anything else thrown is a fault, not a refusal.
 */
export type CatalogErrorKind = "not_found" | "already_exists" | "failed_precondition" | "invalid_argument";

export class CatalogError extends DomainError {
  constructor(kind: CatalogErrorKind, message: string) {
    super(kind, message);
    this.name = "CatalogError";
  }
}

export const contentNotFound = (contentId: string) => new CatalogError("not_found", `content ${contentId} not found`);
export const videoNotFound = (videoId: string) => new CatalogError("not_found", `video ${videoId} not found`);
export const invalid = (message: string) => new CatalogError("invalid_argument", message);
export const precondition = (message: string) => new CatalogError("failed_precondition", message);
export const alreadyExists = (message: string) => new CatalogError("already_exists", message);
