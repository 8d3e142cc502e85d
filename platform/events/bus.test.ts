import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createPool } from "../storage/postgres.js";
import { openTestDatabase, type TestDatabase } from "../storage/testing/test-database.js";
import { nak, term, type Bus, type BusMessage, type LiveMessage, type MessageHandler } from "./bus.js";
import { createNatsBus, natsStreamName } from "./bus-nats.js";
import { createPostgresBus } from "./bus-postgres.js";
import { maxLivePayloadBytes } from "./bus-postgres-live.js";

const natsUrl = process.env.NATS_URL;
const databaseUrl = process.env.DATABASE_URL;

/**
 * A bus implementation under test. `open` may be called several times per test: each call is a
 * separate connection, standing in for a separate service process.
 */
interface BusTarget {
  label: string;
  skip: boolean;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  open(namespace: string): Promise<Bus>;
  removeNamespace(namespace: string): Promise<void>;
  /** The largest live payload the bus carries on `subject`. */
  maxLivePayload(subject: string): Promise<number>;
}

function postgresTarget(kind: "embedded" | "DATABASE_URL", label: string, skip: boolean): BusTarget {
  let db: TestDatabase;
  const pools: pg.Pool[] = [];
  return {
    label,
    skip,
    async setup() {
      db = await openTestDatabase(kind);
    },
    async teardown() {
      await Promise.all(pools.map((p) => p.end()));
      await db?.drop();
    },
    async open(namespace) {
      const pool = createPool(db.url, { max: 4 });
      pools.push(pool);
      return createPostgresBus({ pool, namespace, pollIntervalMs: 100 });
    },
    async removeNamespace() {
      // The database is dropped in teardown.
    },
    maxLivePayload: async (subject) => maxLivePayloadBytes(subject),
  };
}

const targets: BusTarget[] = [
  postgresTarget("embedded", "postgres log on embedded postgres", false),
  postgresTarget(
    "DATABASE_URL",
    databaseUrl ? "postgres log at DATABASE_URL" : "postgres log at DATABASE_URL (skipped: DATABASE_URL not set)",
    !databaseUrl,
  ),
  {
    label: natsUrl ? "nats jetstream at NATS_URL" : "nats jetstream at NATS_URL (skipped: NATS_URL not set)",
    skip: !natsUrl,
    async setup() {},
    async teardown() {},
    open: (namespace) => createNatsBus({ url: natsUrl!, namespace }),
    async removeNamespace(namespace) {
      const nc = await connect({ servers: natsUrl! });
      const jsm = await jetstreamManager(nc);
      for (const kind of ["events", "work"] as const) await jsm.streams.delete(natsStreamName(namespace, kind)).catch(() => {});
      await nc.close();
    },
    async maxLivePayload() {
      const nc = await connect({ servers: natsUrl! });
      const max = nc.info!.max_payload;
      await nc.close();
      return max;
    },
  },
];

const text = (s: string) => new TextEncoder().encode(s);
const body = (m: BusMessage) => new TextDecoder().decode(m.data);

/** Records every delivery; `handle` decides the disposition (default ack). */
function recorder(handle: MessageHandler = async () => {}) {
  const seen: BusMessage[] = [];
  const handler: MessageHandler = async (m) => {
    seen.push(m);
    return handle(m);
  };
  const bodies = () => seen.map(body);
  return { seen, handler, bodies };
}

const waitFor = (check: () => void, timeout = 15_000) => vi.waitFor(check, { timeout, interval: 20 });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Collects live messages; `subjects()` and `bodies()` in arrival order. */
function liveRecorder() {
  const seen: LiveMessage[] = [];
  return {
    seen,
    handler: (m: LiveMessage) => void seen.push(m),
    subjects: () => seen.map((m) => m.subject),
    bodies: () => seen.map((m) => new TextDecoder().decode(m.data)),
  };
}

describe.each(targets)("bus on $label", { timeout: 30_000 }, (target) => {
  const { skip } = target;
  let ns: string;
  const buses: Bus[] = [];

  const open = async () => {
    const bus = await target.open(ns);
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    if (!skip) await target.setup();
  }, 60_000);
  afterAll(async () => {
    if (!skip) await target.teardown();
  }, 60_000);
  afterEach(async () => {
    if (skip) return;
    await Promise.all(buses.splice(0).map((b) => b.close()));
    await target.removeNamespace(ns);
  }, 30_000);

  const fresh = () => {
    ns = `t${randomBytes(5).toString("hex")}`;
  };
  const events = (rest: string) => `${ns}.events.${rest}`;
  const work = (rest: string) => `${ns}.work.${rest}`;

  it.skipIf(skip)("delivers a published message with subject, payload, headers and msgId; the first delivery counts 1", async () => {
    fresh();
    const bus = await open();
    const r = recorder();
    await bus.consume({ stream: "events", durable: "catalog", filterSubject: events("catalog.>"), handler: r.handler });
    await bus.publish(events("catalog.title_published"), text("t1"), { msgId: "evt-1", headers: { "trace-id": "abc" } });
    await waitFor(() => expect(r.seen).toHaveLength(1));
    expect(r.seen[0]).toMatchObject({
      subject: events("catalog.title_published"),
      msgId: "evt-1",
      headers: { "trace-id": "abc" },
      deliveries: 1,
    });
    expect(body(r.seen[0])).toBe("t1");
  });

  it.skipIf(skip)("drops a second publish with the same msgId", async () => {
    fresh();
    const bus = await open();
    expect(await bus.publish(events("x.a"), text("first"), { msgId: "same" })).toEqual({ duplicate: false });
    expect(await bus.publish(events("x.a"), text("again"), { msgId: "same" })).toEqual({ duplicate: true });
    await bus.publish(events("x.b"), text("next"), { msgId: "other" });
    const r = recorder();
    await bus.consume({ stream: "events", durable: "d", filterSubject: events("x.*"), handler: r.handler });
    // Delivery follows publish order, so once "next" is in, a stored duplicate would have come first.
    await waitFor(() => expect(r.bodies()).toContain("next"));
    expect(r.bodies()).toEqual(["first", "next"]);
  });

  it.skipIf(skip)("gives every durable group every message, and a group only the subjects its filter selects", async () => {
    fresh();
    const bus = await open();
    const search = recorder();
    const browse = recorder();
    await bus.consume({ stream: "events", durable: "search", filterSubject: events("catalog.>"), handler: search.handler });
    await bus.consume({ stream: "events", durable: "browse", filterSubject: events("*.title_published"), handler: browse.handler });
    await bus.publish(events("catalog.title_published"), text("a"));
    await bus.publish(events("catalog.title_removed"), text("b"));
    await bus.publish(events("rating.title_published"), text("c"));
    await bus.publish(events("catalog.sub.deep"), text("d"));
    await waitFor(() => expect(search.bodies()).toEqual(["a", "b", "d"]));
    await waitFor(() => expect(browse.bodies()).toEqual(["a", "c"]));
  });

  it.skipIf(skip)("redelivers after a nak, counting deliveries", async () => {
    fresh();
    const bus = await open();
    const r = recorder(async (m) => (m.deliveries === 1 ? nak(50) : undefined));
    await bus.consume({ stream: "events", durable: "d", filterSubject: events(">"), handler: r.handler });
    await bus.publish(events("a"), text("retry me"));
    await waitFor(() => expect(r.seen.map((m) => m.deliveries)).toEqual([1, 2]));
  });

  it.skipIf(skip)("redelivers a message whose handler throws", async () => {
    fresh();
    const bus = await open();
    const r = recorder(async (m) => {
      if (m.deliveries === 1) throw new Error("transient");
    });
    await bus.consume({ stream: "work", durable: "encoder", filterSubject: work(">"), handler: r.handler });
    await bus.publish(work("encode"), text("job"));
    await waitFor(() => expect(r.seen.map((m) => m.deliveries)).toEqual([1, 2]));
  });

  it.skipIf(skip)("redelivers a message not acked within ackWait to another process of the group", async () => {
    fresh();
    const [busA, busB] = [await open(), await open()];
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const a = recorder(() => stuck);
    const b = recorder();
    const opts = { stream: "work" as const, durable: "encoder", filterSubject: work(">"), ackWaitMs: 500 };
    const consumerA = await busA.consume({ ...opts, handler: a.handler });
    await busA.publish(work("encode"), text("slow job"));
    await waitFor(() => expect(a.seen).toHaveLength(1));
    await busB.consume({ ...opts, handler: b.handler });
    await waitFor(() => expect(b.seen).toHaveLength(1));
    expect(body(b.seen[0])).toBe("slow job");
    expect(b.seen[0].deliveries).toBeGreaterThanOrEqual(2);
    release();
    await consumerA.stop();
  });

  it.skipIf(skip)("resumes a durable consumer after a restart where it left off", async () => {
    fresh();
    const bus = await open();
    const before = recorder();
    const opts = { stream: "events" as const, durable: "library", filterSubject: events(">") };
    const first = await bus.consume({ ...opts, handler: before.handler });
    await bus.publish(events("a"), text("1"));
    await bus.publish(events("a"), text("2"));
    await waitFor(() => expect(before.bodies()).toEqual(["1", "2"]));
    await first.stop();

    await bus.publish(events("a"), text("3"));
    await bus.publish(events("a"), text("4"));
    const restarted = await open();
    const after = recorder();
    await restarted.consume({ ...opts, handler: after.handler });
    await waitFor(() => expect(after.bodies()).toContain("4"));
    expect(after.bodies()).toEqual(["3", "4"]);
  });

  it.skipIf(skip)("hands each work-queue message to one process of the group at a time", async () => {
    fresh();
    const [busA, busB] = [await open(), await open()];
    const got = { a: [] as string[], b: [] as string[] };
    // Each process holds its first job until the other has one too: proof that the two held
    // different messages at the same moment.
    let bothBusy!: () => void;
    const barrier = new Promise<void>((resolve) => (bothBusy = resolve));
    const handler = (me: "a" | "b"): MessageHandler => async (m) => {
      got[me].push(body(m));
      if (got.a.length > 0 && got.b.length > 0) bothBusy();
      await barrier;
    };
    const opts = { stream: "work" as const, durable: "encoder", filterSubject: work("encode.*") };
    await busA.consume({ ...opts, handler: handler("a") });
    await busB.consume({ ...opts, handler: handler("b") });
    const jobs = Array.from({ length: 10 }, (_, i) => `job-${i}`);
    for (const job of jobs) await busA.publish(work(`encode.${job}`), text(job));
    await waitFor(() => expect([...got.a, ...got.b].sort()).toEqual([...jobs].sort()));
    expect(got.a.length).toBeGreaterThan(0);
    expect(got.b.length).toBeGreaterThan(0);
    expect(got.a.filter((job) => got.b.includes(job))).toEqual([]);
  });

  it.skipIf(skip)("lets several processes start the same new durable at the same moment", async () => {
    fresh();
    const buses = [await open(), await open(), await open()];
    const r = recorder();
    const opts = { stream: "events" as const, durable: "search", filterSubject: events(">"), handler: r.handler };
    await Promise.all(buses.map((bus) => bus.consume(opts)));
    await buses[0].publish(events("a"), text("once"));
    await waitFor(() => expect(r.bodies()).toEqual(["once"]));
  });

  it.skipIf(skip)("stops redelivering a termed message", async () => {
    fresh();
    const bus = await open();
    const r = recorder(async (m) => (body(m) === "poison" ? term("cannot parse") : undefined));
    await bus.consume({ stream: "events", durable: "d", filterSubject: events(">"), handler: r.handler });
    await bus.publish(events("a"), text("poison"));
    await waitFor(() => expect(r.bodies()).toEqual(["poison"]));
    await bus.publish(events("a"), text("fine"));
    await waitFor(() => expect(r.bodies()).toContain("fine"));
    expect(r.bodies()).toEqual(["poison", "fine"]);
  });

  it.skipIf(skip)("gives up on a message after maxDeliver deliveries", async () => {
    fresh();
    const bus = await open();
    const r = recorder(async (m) => (body(m) === "always fails" ? nak() : undefined));
    await bus.consume({ stream: "work", durable: "d", filterSubject: work(">"), handler: r.handler, maxDeliver: 3 });
    await bus.publish(work("a"), text("always fails"));
    await waitFor(() => expect(r.seen.map((m) => m.deliveries)).toEqual([1, 2, 3]));
    await bus.publish(work("a"), text("fine"));
    await waitFor(() => expect(r.bodies()).toContain("fine"));
    expect(r.bodies()).toEqual(["always fails", "always fails", "always fails", "fine"]);
  });

  it.skipIf(skip)("handles up to `concurrency` messages at once", async () => {
    fresh();
    const bus = await open();
    let active = 0;
    let peak = 0;
    let done = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await bus.consume({
      stream: "work",
      durable: "d",
      filterSubject: work(">"),
      concurrency: 3,
      handler: async () => {
        peak = Math.max(peak, ++active);
        if (peak === 3) release();
        await gate;
        active--;
        done++;
      },
    });
    for (let i = 0; i < 6; i++) await bus.publish(work("a"), text(String(i)));
    await waitFor(() => expect(done).toBe(6));
    expect(peak).toBe(3);
  });

  it.skipIf(skip)("rejects subjects outside the streams and filters outside the consumer's stream", async () => {
    fresh();
    const bus = await open();
    await expect(bus.publish("elsewhere.events.a", text("x"))).rejects.toThrow(/cannot publish/);
    await expect(bus.publish(events("*"), text("x"))).rejects.toThrow(/cannot publish/);
    await expect(
      bus.consume({ stream: "work", durable: "d", filterSubject: events(">"), handler: async () => {} }),
    ).rejects.toThrow(/invalid filter/);
  });
  it.skipIf(skip)("keeps a message with its process, past ackWait, for as long as the handler heartbeats", async () => {
    fresh();
    const [busA, busB] = [await open(), await open()];
    const ackWaitMs = 800;
    const got = { a: [] as string[], b: [] as string[] };
    let finish = false;
    const handler = (me: "a" | "b"): MessageHandler => async (m) => {
      got[me].push(`${body(m)}#${m.deliveries}`);
      while (body(m) === "long job" && !finish) {
        await m.working();
        await sleep(ackWaitMs / 4);
      }
    };
    const opts = { stream: "work" as const, durable: "encoder", filterSubject: work(">"), ackWaitMs };
    await busA.consume({ ...opts, handler: handler("a") });
    await busB.consume({ ...opts, handler: handler("b") });
    await busA.publish(work("encode.long"), text("long job"));
    await waitFor(() => expect([...got.a, ...got.b]).toEqual(["long job#1"]));
    const holder = got.a.length > 0 ? "a" : "b";
    const other = holder === "a" ? "b" : "a";
    // The other process is idle and polling: a probe goes to it, so it would also have taken the
    // long job had its lease run out.
    await busA.publish(work("encode.probe"), text("probe"));
    await waitFor(() => expect(got[other]).toEqual(["probe#1"]));
    await sleep(4 * ackWaitMs);
    finish = true;
    expect(got[holder]).toEqual(["long job#1"]);
    expect(got[other]).toEqual(["probe#1"]);
  });

  it.skipIf(skip)("redelivers to another process of the group once the handler stops heartbeating (its process died)", async () => {
    fresh();
    const [busA, busB] = [await open(), await open()];
    const ackWaitMs = 600;
    let release!: () => void;
    const killed = new Promise<void>((resolve) => (release = resolve));
    let beats = 0;
    const a = recorder(async (m) => {
      // Alive for twice ackWait, then gone: no more heartbeats, no ack, ever.
      for (; beats < 8; beats++) {
        await m.working();
        await sleep(ackWaitMs / 4);
      }
      await killed;
    });
    const b = recorder();
    const opts = { stream: "work" as const, durable: "encoder", filterSubject: work(">"), ackWaitMs };
    const consumerA = await busA.consume({ ...opts, handler: a.handler });
    await busA.publish(work("encode"), text("job"));
    await waitFor(() => expect(a.seen).toHaveLength(1));
    await busB.consume({ ...opts, handler: b.handler });
    await waitFor(() => expect(b.bodies()).toEqual(["job"]));
    expect(beats).toBe(8);
    expect(b.seen[0].deliveries).toBeGreaterThanOrEqual(2);
    expect(a.seen).toHaveLength(1);
    release();
    await consumerA.stop();
  });

  it.skipIf(skip)("delivers a live message to every matching subscriber in every process, in publish order", async () => {
    fresh();
    const [busA, busB] = [await open(), await open()];
    const live = (rest: string) => `${ns}.live.${rest}`;
    const subs = {
      aAll: liveRecorder(),
      aOneToken: liveRecorder(),
      bAll: liveRecorder(),
      bTail: liveRecorder(),
      bExact: liveRecorder(),
      bOther: liveRecorder(),
    };
    await busA.subscribeLive(live(">"), subs.aAll.handler);
    await busA.subscribeLive(live("job.*"), subs.aOneToken.handler);
    await busB.subscribeLive(live(">"), subs.bAll.handler);
    await busB.subscribeLive(live("job.>"), subs.bTail.handler);
    await busB.subscribeLive(live("job.j1.progress"), subs.bExact.handler);
    await busB.subscribeLive(live("other.*"), subs.bOther.handler);

    const published = ["job.j1", "job.j1.progress", "job.j2", "job.j1.progress", "news.x"];
    for (const [i, rest] of published.entries()) await busA.publishLive(live(rest), text(`m${i}`));
    await busB.publishLive(live("end"), text("end"));
    // Each process dispatches in arrival order, so once its catch-all has the last one, every
    // subscriber of that process has had all it is going to get.
    await waitFor(() => expect(subs.aAll.bodies().at(-1)).toBe("end"));
    await waitFor(() => expect(subs.bAll.bodies().at(-1)).toBe("end"));

    expect(subs.aAll.bodies()).toEqual(["m0", "m1", "m2", "m3", "m4", "end"]);
    expect(subs.bAll.subjects()).toEqual([...published, "end"].map(live));
    expect(subs.aOneToken.bodies()).toEqual(["m0", "m2"]);
    expect(subs.bTail.bodies()).toEqual(["m0", "m1", "m2", "m3"]);
    expect(subs.bExact.bodies()).toEqual(["m1", "m3"]);
    expect(subs.bOther.bodies()).toEqual([]);
  });

  it.skipIf(skip)("keeps no live message: a subscriber gets only what is published while it is subscribed", async () => {
    fresh();
    const [busA, busB] = [await open(), await open()];
    const subject = `${ns}.live.job.j1`;
    await busA.publishLive(subject, text("before anyone listened"));
    const late = liveRecorder();
    const leaving = liveRecorder();
    await busB.subscribeLive(subject, late.handler);
    const leavingSub = await busB.subscribeLive(subject, leaving.handler);
    await busA.publishLive(subject, text("1"));
    await waitFor(() => expect(leaving.bodies()).toEqual(["1"]));
    leavingSub.stop();
    leavingSub.stop();
    await busA.publishLive(subject, text("2"));
    await waitFor(() => expect(late.bodies()).toEqual(["1", "2"]));
    expect(leaving.bodies()).toEqual(["1"]);
  });

  it.skipIf(skip)("carries binary live payloads up to the bus's limit and rejects bigger ones clearly", async () => {
    fresh();
    const [busA, busB] = [await open(), await open()];
    const subject = `${ns}.live.job.j1.progress`;
    const max = await target.maxLivePayload(subject);
    const r = liveRecorder();
    await busB.subscribeLive(subject, r.handler);
    const biggest = new Uint8Array(randomBytes(max));
    await busA.publishLive(subject, biggest);
    await waitFor(() => expect(r.seen).toHaveLength(1));
    expect(Buffer.from(r.seen[0].data).equals(Buffer.from(biggest))).toBe(true);
    await expect(busA.publishLive(subject, new Uint8Array(max + 1))).rejects.toThrow(/payload|bytes/i);
  });

  it.skipIf(skip)("rejects live subjects outside <ns>.live, wildcards in a live publish, and malformed live filters", async () => {
    fresh();
    const bus = await open();
    await expect(bus.publishLive(events("a"), text("x"))).rejects.toThrow(/cannot publish live/);
    await expect(bus.publishLive(`${ns}.live.*`, text("x"))).rejects.toThrow(/cannot publish live/);
    await expect(bus.subscribeLive(`${ns}.events.>`, () => {})).rejects.toThrow(/invalid live filter/);
    await expect(bus.subscribeLive(`${ns}.live.>.x`, () => {})).rejects.toThrow(/invalid live filter/);
  });
});
