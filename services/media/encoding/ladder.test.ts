import { describe, expect, it } from "vitest";
import { chooseLadder, fitShortSide } from "./ladder.js";

describe("chooseLadder", () => {
  it("gives a 1080p source every H.264 rung up to 1080p, none upscaled", () => {
    const ladder = chooseLadder({ width: 1920, height: 1080 });
    expect(ladder.map((r) => [r.name, r.width, r.height, r.bitrate, r.codec])).toEqual([
      ["360p", 640, 360, 1_000_000, "h264"],
      ["480p", 854, 480, 2_000_000, "h264"],
      ["720p", 1280, 720, 5_000_000, "h264"],
      ["1080p", 1920, 1080, 8_000_000, "h264"],
    ]);
  });

  it("adds the 2160p H.265 rung only when the source has it", () => {
    const ladder = chooseLadder({ width: 3840, height: 2160 });
    expect(ladder.at(-1)).toMatchObject({ name: "2160p", width: 3840, height: 2160, codec: "h265", bitrate: 25_000_000 });
    expect(chooseLadder({ width: 2560, height: 1440 }).map((r) => r.name)).toEqual(["360p", "480p", "720p", "1080p"]);
  });

  it("uses the short side for portrait sources and keeps their aspect ratio with even sides", () => {
    const ladder = chooseLadder({ width: 1080, height: 1920 });
    expect(ladder.map((r) => `${r.width}x${r.height}`)).toEqual(["360x640", "480x854", "720x1280", "1080x1920"]);
    for (const r of chooseLadder({ width: 406, height: 722 })) {
      expect(r.width % 2).toBe(0);
      expect(r.height % 2).toBe(0);
      expect(r.width).toBeLessThanOrEqual(406);
      expect(Math.abs(r.height / r.width - 722 / 406)).toBeLessThan(0.01);
    }
  });

  it("stops below a rung the source does not reach (a 1036-line scope film tops out at 720p)", () => {
    expect(chooseLadder({ width: 1920, height: 1036 }).map((r) => r.name)).toEqual(["360p", "480p", "720p"]);
  });

  it("gives a source smaller than 360p one rendition at its own size", () => {
    const [only, ...rest] = chooseLadder({ width: 320, height: 240 });
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ name: "240p", width: 320, height: 240, codec: "h264" });
    expect(only!.bitrate).toBeLessThan(1_000_000);
  });

  it("caps peaks at 1.5× the average over a 2-second buffer", () => {
    expect(chooseLadder({ width: 1280, height: 720 }).at(-1)).toMatchObject({ bitrate: 5_000_000, maxrate: 7_500_000, bufsize: 10_000_000 });
  });
});

describe("fitShortSide", () => {
  it("never rounds an odd long side up past the source", () => {
    expect(fitShortSide({ width: 323, height: 180 }, 180)).toEqual({ width: 322, height: 180 });
  });
});
