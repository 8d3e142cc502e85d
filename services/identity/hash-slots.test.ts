import { describe, expect, it } from "vitest";
import { DomainError } from "./errors.js";
import { createHashSlots } from "./hash-slots.js";

describe("password-hash slots", () => {
  it("run at most `concurrency` hashes at once, queue the next ones, and refuse beyond the queue", async () => {
    const slots = createHashSlots(2, 1);
    let running = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const hash = () =>
      new Promise<string>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        gates.push(() => {
          running--;
          resolve("done");
        });
      });
    const started = [slots.run(hash), slots.run(hash), slots.run(hash)];
    const refused = await slots.run(hash).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ kind: "throttled", retryAfterMs: 1000 });
    await new Promise((r) => setImmediate(r));
    expect(running).toBe(2);
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
    // The queued one took the freed slot.
    expect(running).toBe(2);
    while (gates.length > 0) gates.shift()!();
    expect(await Promise.all(started)).toEqual(["done", "done", "done"]);
    expect(peak).toBe(2);
  });

  it("frees the slot when a hash fails", async () => {
    const slots = createHashSlots(1, 0);
    await expect(slots.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await slots.run(() => Promise.resolve(1))).toBe(1);
  });
});
