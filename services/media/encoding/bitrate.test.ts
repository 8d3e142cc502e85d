import { describe, expect, it } from "vitest";
import { measureBitrate } from "./bitrate.js";

describe("measureBitrate", () => {
  it("averages over the whole rendition and takes the busiest segment as the peak", () => {
    const segments = [
      { bytes: 500_000, durationSeconds: 4 },
      { bytes: 1_500_000, durationSeconds: 4 },
      { bytes: 500_000, durationSeconds: 4 },
    ];
    expect(measureBitrate(segments, 4)).toEqual({ average: 1_666_667, peak: 3_000_000 });
  });

  it("judges a short last segment together with its neighbour", () => {
    const segments = [
      { bytes: 500_000, durationSeconds: 4 },
      { bytes: 100_000, durationSeconds: 0.5 },
    ];
    // Alone the 0.5 s tail (one keyframe) would read 1.6 Mbps.
    expect(measureBitrate(segments, 4).peak).toBe(1_066_667);
  });

  it("uses the average for content shorter than half a segment", () => {
    expect(measureBitrate([{ bytes: 1000, durationSeconds: 1 }], 4)).toEqual({ average: 8000, peak: 8000 });
  });
});
