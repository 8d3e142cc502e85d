import { describe, expect, it } from "vitest";
import { canTransition, InputRejectedError, planAfterFailure, planDelivery } from "./jobs.js";
import type { Job } from "./model.js";

const job = (over: Partial<Job>): Job => ({
  jobId: "j", videoId: "v", contentId: "c", sourceObjectKey: "k", createdBy: "u", attempts: 0, lastError: "", durationSeconds: 0,
  outcome: undefined, createdAt: new Date(0), startedAt: undefined, completedAt: undefined,
  status: "PENDING", percent: 0, etaSeconds: 0, renditions: [], failureReason: "", ...over,
});

describe("the encoding job state machine", () => {
  it("only moves forward", () => {
    expect(canTransition("PENDING", "PROCESSING")).toBe(true);
    expect(canTransition("PROCESSING", "PROCESSING")).toBe(true); // taken over after a crash
    expect(canTransition("COMPLETED", "PROCESSING")).toBe(false);
    expect(canTransition("FAILED", "COMPLETED")).toBe(false);
  });

  it("skips final jobs, runs live ones, and gives up once the attempts are used (a crashing input too)", () => {
    expect(planDelivery(undefined, 3).kind).toBe("skip");
    expect(planDelivery(job({ status: "COMPLETED" }), 3).kind).toBe("skip");
    expect(planDelivery(job({ status: "PROCESSING", attempts: 2 }), 3).kind).toBe("run");
    expect(planDelivery(job({ status: "PROCESSING", attempts: 3 }), 3)).toEqual({
      kind: "give-up",
      reason: "encoding gave up after 3 attempts: the worker stopped before finishing (it crashed or was killed)",
    });
    expect(planDelivery(job({ status: "PROCESSING", attempts: 3, lastError: "out of memory" }), 3)).toMatchObject({ reason: "encoding gave up after 3 attempts: out of memory" });
  });

  it("retries a failure with backoff until the last attempt, but never a rejected input", () => {
    expect(planAfterFailure(1, 3, new Error("boom"))).toEqual({ kind: "retry", delayMs: 1000 });
    expect(planAfterFailure(2, 3, new Error("boom"))).toEqual({ kind: "retry", delayMs: 2000 });
    expect(planAfterFailure(3, 3, new Error("boom"))).toEqual({ kind: "fail", reason: "encoding gave up after 3 attempts: boom" });
    expect(planAfterFailure(1, 3, new InputRejectedError("not a playable video: no video stream"))).toEqual({ kind: "fail", reason: "not a playable video: no video stream" });
  });
});
