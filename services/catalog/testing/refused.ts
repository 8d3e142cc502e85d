import type { Code } from "@connectrpc/connect";
import { expect } from "vitest";
import type { CatalogHarness } from "./harness.js";

/** The call fails with `code` (and a message matching `message`), and nothing is stored or announced. */
export async function expectRefused(h: CatalogHarness, call: () => Promise<unknown>, code: Code, message?: RegExp): Promise<void> {
  const before = await h.snapshot();
  const err = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, "the call should have been refused").toMatchObject({ code });
  if (message) expect((err as Error).message).toMatch(message);
  expect(await h.snapshot()).toEqual(before);
}
