/** Layout of the trickplay sprite: one tile every `intervalSeconds`, `columns` tiles per row. */
export interface TrickplayGrid {
  /** A whole number of GOPs: tiles are keyframes, decoded alone. */
  intervalSeconds: number;
  keyframesPerTile: number;
  tileWidth: number;
  tileHeight: number;
  columns: number;
  rows: number;
  /** One tile per interval that starts before the end. */
  tileCount: number;
}

export interface TrickplayOptions {
  /** Seconds between keyframes of the rendition the tiles come from. */
  gopSeconds: number;
  /** Long side of a tile in pixels. */
  tileLongSide?: number;
  /** Shortest interval between tiles. */
  minIntervalSeconds?: number;
  /** The interval grows for long videos so the single sprite stays under this many tiles. */
  maxTiles?: number;
  columns?: number;
}

export function trickplayGrid(
  durationSeconds: number,
  frame: { width: number; height: number },
  { gopSeconds, tileLongSide = 160, minIntervalSeconds = 2, maxTiles = 600, columns = 10 }: TrickplayOptions,
): TrickplayGrid {
  const wanted = Math.max(minIntervalSeconds, durationSeconds / maxTiles);
  // The small tolerance keeps 2 s from becoming two GOPs of 1.9999999 s.
  const keyframesPerTile = Math.max(1, Math.ceil(wanted / gopSeconds - 1e-6));
  const intervalSeconds = keyframesPerTile * gopSeconds;
  const tileCount = Math.max(1, Math.ceil(durationSeconds / intervalSeconds - 1e-6));
  const landscape = frame.width >= frame.height;
  const [long, short] = landscape ? [frame.width, frame.height] : [frame.height, frame.width];
  const tileLong = Math.min(tileLongSide, long - (long % 2));
  const tileShort = Math.max(2, Math.round((short * tileLong) / long / 2) * 2);
  const cols = Math.min(columns, tileCount);
  return {
    intervalSeconds,
    keyframesPerTile,
    tileWidth: landscape ? tileLong : tileShort,
    tileHeight: landscape ? tileShort : tileLong,
    columns: cols,
    rows: Math.ceil(tileCount / cols),
    tileCount,
  };
}

/**
 * The WebVTT index of the sprite: cue k covers [k·interval, (k+1)·interval) and points at tile k;
 * the last cue runs to the end of the video.
 */
export function trickplayVtt(grid: TrickplayGrid, durationSeconds: number, spriteUri: string): string {
  const lines = ["WEBVTT", ""];
  for (let k = 0; k < grid.tileCount; k++) {
    const start = k * grid.intervalSeconds;
    const end = k === grid.tileCount - 1 ? durationSeconds : (k + 1) * grid.intervalSeconds;
    const x = (k % grid.columns) * grid.tileWidth;
    const y = Math.floor(k / grid.columns) * grid.tileHeight;
    lines.push(`${vttTime(start)} --> ${vttTime(end)}`, `${spriteUri}#xywh=${x},${y},${grid.tileWidth},${grid.tileHeight}`, "");
  }
  return lines.join("\n");
}

export function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms % 1000, 3)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
