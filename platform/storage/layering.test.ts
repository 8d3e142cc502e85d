import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const HERE = fileURLToPath(new URL(".", import.meta.url));

/**
 * Storage adapters are the bottom layer: the event bus builds on them (the outbox), never the
 * other way round. select.ts is the one exception by design: it picks every port's engine from
 * the environment, the bus's included.
 */
describe("platform/storage layering", () => {
  it("imports nothing from platform/events", async () => {
    const files = (await readdir(HERE, { recursive: true })).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "select.ts");
    const offenders: string[] = [];
    for (const f of files) {
      const text = await readFile(`${HERE}/${f}`, "utf8");
      if (/from "(\.\.\/)+events\//.test(text)) offenders.push(f);
    }
    expect(offenders).toEqual([]);
  });
});
