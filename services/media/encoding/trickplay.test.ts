import { describe, expect, it } from "vitest";
import { trickplayGrid, trickplayVtt, vttTime } from "./trickplay.js";

describe("trickplayGrid", () => {
  it("takes a tile every GOP for short videos", () => {
    expect(trickplayGrid(60, { width: 640, height: 360 }, { gopSeconds: 2 })).toEqual({
      intervalSeconds: 2,
      keyframesPerTile: 1,
      tileWidth: 160,
      tileHeight: 90,
      columns: 10,
      rows: 3,
      tileCount: 30,
    });
  });

  it("widens the interval in whole GOPs to keep a two-hour film under the tile limit", () => {
    const grid = trickplayGrid(7200, { width: 640, height: 360 }, { gopSeconds: 2.002 });
    expect(grid.keyframesPerTile).toBe(6);
    expect(grid.intervalSeconds).toBeCloseTo(12.012, 6);
    expect(grid.tileCount).toBeLessThanOrEqual(600);
  });

  it("makes portrait tiles with the long side vertical", () => {
    expect(trickplayGrid(8, { width: 360, height: 640 }, { gopSeconds: 2 })).toMatchObject({ tileWidth: 90, tileHeight: 160, columns: 4, rows: 1 });
  });
});

describe("trickplayVtt", () => {
  it("has one cue per tile, back to back, the last ending at the duration", () => {
    const grid = trickplayGrid(25, { width: 640, height: 360 }, { gopSeconds: 2, columns: 4 });
    const vtt = trickplayVtt(grid, 25, "sprite.jpg");
    expect(vtt.startsWith("WEBVTT\n")).toBe(true);
    expect(vtt).toContain("00:00:00.000 --> 00:00:02.000\nsprite.jpg#xywh=0,0,160,90");
    expect(vtt).toContain("00:00:08.000 --> 00:00:10.000\nsprite.jpg#xywh=0,90,160,90");
    expect(vtt).toContain("00:00:24.000 --> 00:00:25.000\nsprite.jpg#xywh=0,270,160,90");
    expect(vtt.match(/-->/g)).toHaveLength(13);
  });

  it("writes hours", () => {
    expect(vttTime(3723.5)).toBe("01:02:03.500");
  });
});
