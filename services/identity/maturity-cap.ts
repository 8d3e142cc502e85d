import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { minimumAge } from "../../platform/domain/maturity.js";

/**
 * The highest rating a kids profile may ever watch: PG, i.e. age 8 on the platform scale
 * (platform/domain/maturity.ts), which also admits TV-Y7 and TV-PG and nothing above. A parent may
 * set a kids profile lower (e.g. TV-Y), never higher.
 */
export const KIDS_MATURITY_CAP = MaturityRating.PG;

/** An adult profile with no explicit level is unrestricted. */
export const ADULT_DEFAULT_MATURITY = MaturityRating.NC_17;

/** The level a profile may watch up to: the requested one (or the default), lowered to the kids cap for kids. */
export function effectiveMaturityCap(isKids: boolean, requested: MaturityRating): MaturityRating {
  if (!isKids) return requested === MaturityRating.UNSPECIFIED ? ADULT_DEFAULT_MATURITY : requested;
  if (requested === MaturityRating.UNSPECIFIED || minimumAge(requested) > minimumAge(KIDS_MATURITY_CAP)) return KIDS_MATURITY_CAP;
  return requested;
}
