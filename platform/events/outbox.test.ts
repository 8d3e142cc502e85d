import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createPool, withTransaction } from "../storage/postgres.js";
import { openTestDatabase, type TestDatabase } from "../storage/testing/test-database.js";
import type { Bus, BusMessage } from "./bus.js";
import { createNatsBus, natsStreamName } from "./bus-nats.js";
import { createPostgresBus } from "./bus-postgres.js";
import { createOutboxTable, enqueueEvent } from "./outbox.js";
import { startOutboxRelay, type OutboxRelay } from "./outbox-relay.js";

const env = process.env;

interface Target {
  label: string;
  skip: boolean;
  db: "embedded" | "DATABASE_URL";
  bus: "postgres" | "nats";
}

const targets: Target[] = [
  { label: "embedded postgres, postgres bus", skip: false, db: "embedded", bus: "postgres" },
  {
    label: env.DATABASE_URL ? "postgres at DATABASE_URL, postgres bus" : "postgres at DATABASE_URL (skipped: DATABASE_URL not set)",
    skip: !env.DATABASE_URL,
    db: "DATABASE_URL",
    bus: "postgres",
  },
  {
    label: env.NATS_URL ? "embedded postgres, nats bus at NATS_URL" : "nats bus at NATS_URL (skipped: NATS_URL not set)",
    skip: !env.NATS_URL,
    db: "embedded",
    bus: "nats",
  },
];

/** Wraps a real bus; publish fails while `down` is set, as during a NATS outage. */
function interruptible(bus: Bus) {
  const state = { down: false, failedPublishes: 0 };
  const wrapped: Bus = {
    ...bus,
    async publish(subject, payload, opts) {
      if (state.down) {
        state.failedPublishes++;
        throw new Error("bus unavailable");
      }
      return bus.publish(subject, payload, opts);
    },
  };
  return { bus: wrapped, state };
}

const text = (s: string) => new TextEncoder().encode(s);
const waitFor = (check: () => void | Promise<void>, timeout = 15_000) => vi.waitFor(check, { timeout, interval: 20 });

describe.each(targets)("outbox on $label", { timeout: 30_000 }, (target) => {
  const { skip } = target;
  let db: TestDatabase;
  let pool: pg.Pool;
  let ns: string;
  let schema: string;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (skip) return;
    db = await openTestDatabase(target.db);
    pool = createPool(db.url, { max: 8 });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  }, 60_000);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  }, 30_000);

  /** A fresh service schema with a table and an outbox, a bus, and a consumer recording events. */
  const setup = async () => {
    ns = `t${randomBytes(5).toString("hex")}`;
    schema = `svc_${ns}`;
    await createOutboxTable(pool, schema);
    await pool.query(`CREATE TABLE ${schema}.titles (id text PRIMARY KEY)`);
    const bus = await openBus();
    const seen: BusMessage[] = [];
    const consumer = await bus.consume({
      stream: "events",
      durable: "recorder",
      filterSubject: `${ns}.events.>`,
      handler: async (m) => void seen.push(m),
    });
    cleanups.push(() => consumer.stop());
    return { bus, seen, ids: () => seen.map((m) => m.msgId) };
  };

  const openBus = async (): Promise<Bus> => {
    if (target.bus === "postgres") {
      const bus = await createPostgresBus({ pool, namespace: ns, pollIntervalMs: 100 });
      cleanups.push(() => bus.close());
      return bus;
    }
    const bus = await createNatsBus({ url: env.NATS_URL!, namespace: ns });
    const namespace = ns;
    cleanups.push(async () => {
      await bus.close();
      const nc = await connect({ servers: env.NATS_URL! });
      const jsm = await jetstreamManager(nc);
      for (const kind of ["events", "work"] as const) await jsm.streams.delete(natsStreamName(namespace, kind)).catch(() => {});
      await nc.close();
    });
    return bus;
  };

  const relay = (bus: Bus): OutboxRelay => {
    const r = startOutboxRelay({ pool, schema, bus, pollIntervalMs: 100, batchSize: 5 });
    cleanups.push(() => r.stop());
    return r;
  };

  /** A state change and its event, committed together. */
  const addTitle = (id: string) =>
    withTransaction(pool, async (tx) => {
      await tx.query(`INSERT INTO ${schema}.titles (id) VALUES ($1)`, [id]);
      await enqueueEvent(tx, schema, { subject: `${ns}.events.catalog.title_added`, payload: text(id), msgId: `evt-${id}` });
    });

  it.skipIf(skip)("publishes an event committed with its state change, with msgId = event id", async () => {
    const { bus, seen } = await setup();
    relay(bus);
    await addTitle("arrival");
    await waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toMatchObject({ subject: `${ns}.events.catalog.title_added`, msgId: "evt-arrival" });
    // The relay marks the row once the bus acknowledged it, which can be after a subscriber got it.
    await waitFor(async () => {
      const { rows } = await pool.query(`SELECT published_at FROM ${schema}.outbox`);
      expect(rows[0].published_at).not.toBeNull();
    });
  });

  it.skipIf(skip)("publishes nothing for a transaction that rolled back", async () => {
    const { bus, ids } = await setup();
    relay(bus);
    await expect(
      withTransaction(pool, async (tx) => {
        await enqueueEvent(tx, schema, { subject: `${ns}.events.catalog.title_added`, payload: text("x"), msgId: "evt-rolled-back" });
        throw new Error("validation failed after the event was written");
      }),
    ).rejects.toThrow();
    await addTitle("after");
    // Events are relayed in order, so the rolled-back one would have arrived first.
    await waitFor(() => expect(ids()).toContain("evt-after"));
    expect(ids()).toEqual(["evt-after"]);
  });

  it.skipIf(skip)("keeps events through a bus outage and delivers them, in order, once it ends", async () => {
    const { bus, ids } = await setup();
    const flaky = interruptible(bus);
    flaky.state.down = true;
    relay(flaky.bus);
    for (const id of ["a", "b", "c", "d", "e", "f", "g"]) await addTitle(id);
    await waitFor(() => expect(flaky.state.failedPublishes).toBeGreaterThanOrEqual(2));
    expect(ids()).toEqual([]);
    flaky.state.down = false;
    await waitFor(() => expect(ids()).toHaveLength(7));
    expect(ids()).toEqual(["a", "b", "c", "d", "e", "f", "g"].map((id) => `evt-${id}`));
  });

  it.skipIf(skip)("does not duplicate events when several relays run, or when a relay publishes an event twice", async () => {
    const { bus, ids } = await setup();
    // A relay that crashed after publishing "early" but before marking it published.
    await addTitle("early");
    await bus.publish(`${ns}.events.catalog.title_added`, text("early"), { msgId: "evt-early" });
    relay(bus);
    relay(bus);
    relay(await openBus());
    const titles = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, "0")}`);
    await Promise.all(titles.map((id) => addTitle(id)));
    await addTitle("zz-last");
    await waitFor(() => expect(ids()).toContain("evt-zz-last"));
    expect([...ids()].sort()).toEqual(["evt-early", ...titles.map((id) => `evt-${id}`), "evt-zz-last"].sort());
  });
});
