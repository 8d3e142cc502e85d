import { describe, expect, it } from "vitest";
import { createProgressReporter, type RenditionProgress } from "./progress.js";

function setup(durationSeconds = 100) {
  let now = 0;
  const events: RenditionProgress[] = [];
  const reporter = createProgressReporter({
    renditions: [
      { name: "360p", kind: "video" },
      { name: "audio-en", kind: "audio" },
    ],
    durationSeconds,
    onProgress: (p) => events.push(p),
    now: () => now,
  });
  return { reporter, events, advance: (ms: number) => (now += ms) };
}

describe("progress reporter", () => {
  it("starts every rendition queued and reports state changes at once", () => {
    const { reporter, events } = setup();
    expect(reporter.snapshot().map((p) => p.state)).toEqual(["queued", "queued"]);
    reporter.setState(["360p", "audio-en"], "encoding");
    reporter.setState(["360p", "audio-en"], "encoding");
    expect(events.map((e) => `${e.rendition}:${e.state}`)).toEqual(["360p:encoding", "audio-en:encoding"]);
  });

  it("turns output time into percent, speed and ETA", () => {
    const { reporter, events, advance } = setup(100);
    reporter.setState(["360p"], "encoding");
    advance(10_000);
    reporter.encoded(25);
    expect(events.at(-1)).toEqual({ rendition: "360p", kind: "video", state: "encoding", percent: 25, speed: 2.5, etaSeconds: 30 });
    // Renditions not encoding are left alone.
    expect(events.some((e) => e.rendition === "audio-en")).toBe(false);
  });

  it("sends at most one update per rendition per 250 ms", () => {
    const { reporter, events, advance } = setup(100);
    reporter.setState(["360p"], "encoding");
    for (let i = 1; i <= 20; i++) {
      advance(50);
      reporter.encoded(i);
    }
    // 1 s of ticks every 50 ms: the state change, then one update per 250 ms.
    expect(events.filter((e) => e.state === "encoding").length).toBe(1 + 4);
  });

  it("reports 100 % and no ETA once packaging and done", () => {
    const { reporter, events, advance } = setup(100);
    reporter.setState(["360p"], "encoding");
    advance(1000);
    reporter.encoded(50);
    reporter.setState(["360p"], "packaging");
    reporter.setState(["360p"], "done");
    expect(events.slice(-2).map((e) => [e.state, e.percent, e.etaSeconds])).toEqual([
      ["packaging", 100, 0],
      ["done", 100, 0],
    ]);
  });

  it("refuses an unknown rendition", () => {
    expect(() => setup().reporter.setState(["4320p"], "done")).toThrow(/unknown rendition/);
  });
});
