export type VideoCodec = "h264" | "h265";

/** One rung of the bitrate ladder (seeds §6.1): its size is given by its short side. */
export interface LadderRung {
  /** Short side in pixels: "1080p" is 1920x1080 landscape, 1080x1920 portrait. */
  shortSide: number;
  /** Target average bitrate, bits per second. */
  bitrate: number;
  codec: VideoCodec;
}

export const DEFAULT_LADDER: readonly LadderRung[] = [
  { shortSide: 360, bitrate: 1_000_000, codec: "h264" },
  { shortSide: 480, bitrate: 2_000_000, codec: "h264" },
  { shortSide: 720, bitrate: 5_000_000, codec: "h264" },
  { shortSide: 1080, bitrate: 8_000_000, codec: "h264" },
  { shortSide: 2160, bitrate: 25_000_000, codec: "h265" },
];

/** A rung fitted to one source: what the encoder is told to produce. */
export interface VideoRendition {
  /** "1080p", or the source's own short side when it is below the lowest rung ("240p"). */
  name: string;
  width: number;
  height: number;
  codec: VideoCodec;
  bitrate: number;
  /** VBV cap and buffer: peaks up to 1.5× the average, over a 2-second buffer. */
  maxrate: number;
  bufsize: number;
}

/**
 * The renditions for a source of the given display size: every rung whose short side the source
 * reaches (never upscaling), each keeping the source's aspect ratio with even dimensions. A source
 * smaller than the lowest rung gets a single rendition at its own size.
 */
export function chooseLadder(display: { width: number; height: number }, ladder: readonly LadderRung[] = DEFAULT_LADDER): VideoRendition[] {
  const sourceShort = Math.min(display.width, display.height);
  const fitting = ladder.filter((rung) => rung.shortSide <= sourceShort);
  if (fitting.length > 0) return fitting.map((rung) => fitRung(display, rung.shortSide, rung.bitrate, rung.codec));
  const lowest = [...ladder].sort((a, b) => a.shortSide - b.shortSide)[0];
  if (!lowest) throw new Error("the ladder has no rungs");
  const ownShort = Math.max(2, evenFloor(sourceShort));
  // Fewer pixels than the lowest rung need proportionally fewer bits.
  const bitrate = Math.round((lowest.bitrate * (ownShort / lowest.shortSide) ** 2) / 1000) * 1000;
  return [fitRung(display, ownShort, Math.max(200_000, bitrate), lowest.codec)];
}

/** The size of `display` scaled so its short side is `shortSide`, both sides even. */
export function fitShortSide(display: { width: number; height: number }, shortSide: number): { width: number; height: number } {
  const landscape = display.width >= display.height;
  const [long, short] = landscape ? [display.width, display.height] : [display.height, display.width];
  // Rounding to even must not push the long side past the source's (an odd 1-pixel upscale).
  const scaledLong = Math.max(2, Math.min(Math.round((long * shortSide) / short / 2) * 2, evenFloor(long)));
  const even = evenFloor(shortSide);
  return landscape ? { width: scaledLong, height: even } : { width: even, height: scaledLong };
}

function fitRung(display: { width: number; height: number }, shortSide: number, bitrate: number, codec: VideoCodec): VideoRendition {
  const { width, height } = fitShortSide(display, shortSide);
  return {
    name: `${evenFloor(shortSide)}p`,
    width,
    height,
    codec,
    bitrate,
    maxrate: Math.round(bitrate * 1.5),
    bufsize: bitrate * 2,
  };
}

function evenFloor(n: number): number {
  return Math.floor(n / 2) * 2;
}
