import { parseRational, rationalValue, type Rational } from "./rational.js";

/** The rates cameras, phones, broadcast and film use; a source within 1 % of one gets exactly it. */
const STANDARD_RATES: readonly Rational[] = [
  [10, 1], [12, 1], [25, 2], [15, 1], [20, 1], [24000, 1001], [24, 1], [25, 1], [30000, 1001], [30, 1],
  [48000, 1001], [48, 1], [50, 1], [60000, 1001], [60, 1], [90, 1], [100, 1], [120000, 1001], [120, 1], [240, 1],
].map(([num, den]) => ({ num: num!, den: den! }));
const SNAP_TOLERANCE = 0.01;
/** How far below the nominal rate the average may fall (dropped frames) before the nominal is not believed. */
const MAX_NOMINAL_OVER_AVERAGE = 1.25;

/**
 * The constant rate to encode a source at, from ffprobe's two figures. `r_frame_rate` is the
 * nominal rate the timestamps are built on (30000/1001 for a phone's "30 fps"); `avg_frame_rate`
 * is frames ÷ duration, which a dropped frame or a jittered clock moves off every standard rate
 * (5,402 frames over 180.246 s is 243090000/8111111). Encoding at such a rate puts keyframes at
 * times that are not whole multiples of the muxer's timebase, so segments come out a GOP long.
 * The nominal rate wins unless it is far above the average (a variable-rate file whose timebase
 * is 90 kHz or 120 fps); either is then snapped to the standard rate it is within 1 % of.
 */
export function sourceFrameRate(nominal: string | undefined, average: string | undefined): Rational | undefined {
  const r = plausible(parseRational(nominal));
  const avg = plausible(parseRational(average));
  const chosen = r && (!avg || rationalValue(r) <= rationalValue(avg) * MAX_NOMINAL_OVER_AVERAGE) ? r : (avg ?? r);
  return chosen && snapToStandard(chosen);
}

export function snapToStandard(rate: Rational): Rational {
  const value = rationalValue(rate);
  let best: Rational | undefined;
  for (const standard of STANDARD_RATES) {
    const distance = Math.abs(rationalValue(standard) / value - 1);
    if (distance <= SNAP_TOLERANCE && (!best || distance < Math.abs(rationalValue(best) / value - 1))) best = standard;
  }
  if (best) return best;
  // Not a standard rate: keep it, in millihertz, so no timebase needs a nine-digit denominator.
  return reduce({ num: Math.round(value * 1000), den: 1000 });
}

function plausible(rate: Rational | undefined): Rational | undefined {
  return rate && rationalValue(rate) >= 1 && rationalValue(rate) <= 1000 ? rate : undefined;
}

function reduce({ num, den }: Rational): Rational {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}
