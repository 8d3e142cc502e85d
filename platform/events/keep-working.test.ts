import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BusMessage } from "./bus.js";
import { keepWorking } from "./keep-working.js";

/** A delivery that counts its heartbeats; the bus side of working() is covered by bus.test.ts. */
function delivery(working: () => Promise<void>): BusMessage {
  return { subject: "t.work.encode", data: new Uint8Array(), headers: {}, msgId: undefined, deliveries: 1, working };
}

describe("keepWorking", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("heartbeats every interval while the work runs, and stops when it ends", async () => {
    let beats = 0;
    let finish!: (v: string) => void;
    const running = keepWorking(delivery(async () => void beats++), 100, () => new Promise<string>((r) => (finish = r)));
    await vi.advanceTimersByTimeAsync(350);
    expect(beats).toBe(3);
    finish("done");
    expect(await running).toBe("done");
    await vi.advanceTimersByTimeAsync(1000);
    expect(beats).toBe(3);
  });

  it("keeps working through failed heartbeats and skips ticks while one is still out", async () => {
    let calls = 0;
    let answer!: () => void;
    const msg = delivery(() => {
      calls++;
      if (calls === 1) return Promise.reject(new Error("nats down"));
      return calls === 2 ? new Promise<void>((r) => (answer = r)) : Promise.resolve();
    });
    let finish!: () => void;
    const running = keepWorking(msg, 100, () => new Promise<void>((r) => (finish = r)));
    await vi.advanceTimersByTimeAsync(250); // first fails, second hangs
    await vi.advanceTimersByTimeAsync(300); // ticks while the second is out are skipped
    expect(calls).toBe(2);
    answer();
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toBe(3);
    finish();
    await expect(running).resolves.toBeUndefined();
  });

  it("passes the work's failure through", async () => {
    await expect(keepWorking(delivery(async () => {}), 100, async () => Promise.reject(new Error("ffmpeg exited 1")))).rejects.toThrow("ffmpeg exited 1");
  });
});
