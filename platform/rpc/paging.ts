/** Rows per page when a request leaves `limit` unset (0), as every list RPC of the contract says. */
export const DEFAULT_PAGE_SIZE = 20;

/** Which rows a 1-based page of a list covers. */
export interface PageWindow {
  /** 1-based. */
  page: number;
  limit: number;
  /** Rows before the page: (page - 1) × limit. */
  offset: number;
}

/**
 * The one reading of a list request's `page` and `limit`: page 0 means the first page, limit 0
 * means DEFAULT_PAGE_SIZE. The proto rules have already bounded both.
 */
export function pageWindow(req: { page: number; limit: number }): PageWindow {
  const page = Math.max(req.page, 1);
  const limit = req.limit > 0 ? req.limit : DEFAULT_PAGE_SIZE;
  return { page, limit, offset: (page - 1) * limit };
}

/** At most `limit` items, DEFAULT_PAGE_SIZE when unset (0): for lists that have no pages. */
export function limitOrDefault(limit: number): number {
  return limit > 0 ? limit : DEFAULT_PAGE_SIZE;
}
