import { describe, expect, it } from "vitest";
import { applyEncoderUpdate, applyUploadProgress, completedProgress, estimateEtaSeconds, processingProgress, Throttle } from "./progress.js";

describe("job progress", () => {
  it("weighs renditions by picture size and keeps the last 10 % for the upload", () => {
    let p = processingProgress();
    p = applyEncoderUpdate(p, { rendition: "360p", state: "done", percent: 100, speed: 3, etaSeconds: 0 });
    p = applyEncoderUpdate(p, { rendition: "1080p", state: "queued", percent: 0, speed: 0, etaSeconds: 0 });
    // 360p is 1/10 of the weight (1 vs 9): done 360p, queued 1080p → 10 % of the encoding share.
    expect(p.percent).toBeCloseTo(9, 5);
    expect(p.renditions.map((r) => [r.name, r.state])).toEqual([["360p", "DONE"], ["1080p", "QUEUED"]]);
    p = applyEncoderUpdate(p, { rendition: "1080p", state: "done", percent: 100, speed: 1, etaSeconds: 0 });
    expect(p.percent).toBeCloseTo(90, 5);
    p = applyUploadProgress(p, 0.5);
    expect(p.percent).toBeCloseTo(95, 5);
    expect(p.renditions.every((r) => r.state === "UPLOADING")).toBe(true);
    expect(applyUploadProgress(p, 1).percent).toBeLessThan(100);
    expect(completedProgress(p)).toMatchObject({ status: "COMPLETED", percent: 100, etaSeconds: 0 });
  });

  it("keeps each rendition's own numbers and never reports nonsense", () => {
    const p = applyEncoderUpdate(processingProgress(), { rendition: "720p", state: "encoding", percent: 140, speed: Number.NaN, etaSeconds: -3 });
    expect(p.renditions[0]).toMatchObject({ state: "ENCODING", percent: 100, speed: 0, etaSeconds: 0 });
  });

  it("extrapolates the ETA from the time spent so far", () => {
    expect(estimateEtaSeconds(25, 30)).toBe(90);
    expect(estimateEtaSeconds(0.5, 30)).toBe(0);
    expect(estimateEtaSeconds(100, 30)).toBe(0);
  });

  it("throttles on the injected clock, forced passes excepted", () => {
    const t = new Throttle(1000);
    expect([t.pass(0), t.pass(500), t.pass(600, true), t.pass(1500), t.pass(1700)]).toEqual([true, false, true, false, true]);
  });
});
