import { isAllowed } from "../../platform/domain/maturity.js";
import { ContentStatus, MaturityRating } from "./model.js";

/**
 * Who is reading, as far as what they may see goes: admins see drafts where an RPC offers them;
 * a profile's maturity cap hides every title rated above it, on every read path. No cap means an
 * account-level read (no profile named).
 */
export interface Viewer {
  admin: boolean;
  cap?: MaturityRating;
}

/** True when a title rated `rating` may be shown under `cap`. */
export function withinCap(rating: MaturityRating, cap: MaturityRating | undefined): boolean {
  return cap === undefined || isAllowed(rating, cap);
}

/**
 * True when the viewer may see the title. `drafts` says whether the read offers drafts at all
 * (GetContent does, to admins; category pages never do). A title the viewer may not see is
 * answered exactly as one that does not exist.
 */
export function canSee(viewer: Viewer, title: { status: ContentStatus; rating: MaturityRating }, drafts: boolean): boolean {
  if (title.status !== ContentStatus.PUBLISHED && !(drafts && viewer.admin)) return false;
  return withinCap(title.rating, viewer.cap);
}
