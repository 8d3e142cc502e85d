import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { natsStreamName } from "./bus-nats.js";

/** Removes a bus namespace's streams (a test's, a benchmark's mesh); a stream that was never created is not an error. */
export async function deleteNatsStreams(url: string, namespace: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    for (const kind of ["events", "work"] as const) {
      await jsm.streams.delete(natsStreamName(namespace, kind)).catch(() => undefined);
    }
  } finally {
    await nc.close();
  }
}
