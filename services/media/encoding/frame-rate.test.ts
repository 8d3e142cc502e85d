import { describe, expect, it } from "vitest";
import { snapToStandard, sourceFrameRate } from "./frame-rate.js";

describe("sourceFrameRate", () => {
  it("takes the nominal rate of a camera file whose average was moved by dropped frames", () => {
    // The real upload: 5,402 frames over 180.246 s of a 30000/1001 stream.
    expect(sourceFrameRate("30000/1001", "243090000/8111111")).toEqual({ num: 30000, den: 1001 });
    expect(sourceFrameRate("30000/1001", "2070000/69223")).toEqual({ num: 30000, den: 1001 });
    expect(sourceFrameRate("25/1", "25/1")).toEqual({ num: 25, den: 1 });
  });

  it("trusts the average of a variable-rate file whose nominal rate is its timebase, snapped to a standard rate", () => {
    expect(sourceFrameRate("90000/1", "29850/1000")).toEqual({ num: 30000, den: 1001 });
    expect(sourceFrameRate("120/1", "2397/100")).toEqual({ num: 24000, den: 1001 });
  });

  it("falls back to whichever figure is readable, and refuses neither", () => {
    expect(sourceFrameRate(undefined, "50/1")).toEqual({ num: 50, den: 1 });
    expect(sourceFrameRate("60000/1001", "0/0")).toEqual({ num: 60000, den: 1001 });
    expect(sourceFrameRate("0/0", "0/0")).toBeUndefined();
  });
});

describe("snapToStandard", () => {
  it("keeps an unusual rate, in millihertz", () => {
    expect(snapToStandard({ num: 17, den: 1 })).toEqual({ num: 17, den: 1 });
    expect(snapToStandard({ num: 173333, den: 10000 })).toEqual({ num: 17333, den: 1000 });
  });
});
