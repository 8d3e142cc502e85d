import { JetStreamApiError } from "@nats-io/jetstream";
import { describe, expect, it } from "vitest";
import { retryStoreFailure } from "./bus-nats.js";

const storeFailure = () => new JetStreamApiError({ code: 500, err_code: 10049, description: "error creating store for stream" });

/** The server's transient "error creating store" answer to a create, as CI's real-engines leg once saw it. */
describe("retryStoreFailure", () => {
  it("creates once the server stops failing to make the store", async () => {
    let calls = 0;
    const created = await retryStoreFailure(async () => {
      if (++calls < 3) throw storeFailure();
      return "created";
    });
    expect(created).toBe("created");
    expect(calls).toBe(3);
  });

  it("gives up after the last attempt with the server's error", async () => {
    let calls = 0;
    await expect(retryStoreFailure(async () => { calls++; throw storeFailure(); }, 3)).rejects.toThrow("error creating store for stream");
    expect(calls).toBe(3);
  });

  it("throws any other error at once", async () => {
    let calls = 0;
    const conflict = new JetStreamApiError({ code: 400, err_code: 10058, description: "stream name already in use with a different configuration" });
    await expect(retryStoreFailure(async () => { calls++; throw conflict; })).rejects.toBe(conflict);
    expect(calls).toBe(1);
  });
});
