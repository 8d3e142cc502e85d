import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { generateAuthKeyPair } from "../auth/tokens.js";
import type { BusMessage } from "../events/bus.js";
import { enqueueEvent } from "../events/outbox.js";
import { withTransaction } from "../storage/postgres.js";
import { openTestDatabase, type TestDatabase } from "../storage/testing/test-database.js";
import { startService } from "./run-service.js";
import { deleteNatsStreams } from "../events/nats-streams.js";


/**
 * A service's runtime wiring end to end: migrations into its own schema at start, a state change
 * and its event committed together and relayed to the bus, and everything closed at shutdown.
 * Runs on the real Postgres when DATABASE_URL is set (and NATS when NATS_URL is), else embedded.
 */
describe("service resources", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(process.env.DATABASE_URL ? "DATABASE_URL" : "embedded");
  });
  afterAll(() => db?.drop());

  it("migrates the service schema, relays committed events, and closes its engines on stop", async () => {
    const schema = `svc_${randomUUID().slice(0, 8)}`;
    // Its own bus namespace, so nothing is left on a shared NATS server or bus schema.
    const namespace = `t${randomUUID().slice(0, 8)}`;
    let pool!: pg.Pool;
    const received: BusMessage[] = [];
    let gotEvent!: () => void;
    const eventArrived = new Promise<void>((r) => (gotEvent = r));
    const { stop } = await startService(
      {
        name: "catalog",
        services: [CatalogService],
        setup: async ({ resources }) => {
          pool = await resources.postgres(schema, new URL("../storage/testdata/migrations/", import.meta.url));
          await resources.startOutboxRelay(schema);
          const bus = await resources.bus();
          const consumer = await bus.consume({
            stream: "events",
            durable: `test-${schema}`,
            filterSubject: `${namespace}.events.${schema}.>`,
            handler: async (msg) => {
              received.push(msg);
              gotEvent();
            },
          });
          resources.onClose(() => consumer.stop());
          return { routes: (r) => r.service(CatalogService, {}) };
        },
      },
      {
        DATABASE_URL: db.url,
        NATS_URL: process.env.NATS_URL,
        BUS_NAMESPACE: namespace,
        AUTH_PUBLIC_KEY: (await generateAuthKeyPair()).publicKeyPem,
        CATALOG_PORT: "0",
        LOG_LEVEL: "silent",
      },
    );

    const tables = await pool.query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1", [schema]);
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(["outbox", "pgmigrations", "titles"]));

    const eventId = randomUUID();
    await withTransaction(pool, async (tx) => {
      await tx.query(`INSERT INTO "${schema}".titles (name, kind) VALUES ('Heat', 'movie')`);
      await enqueueEvent(tx, schema, { subject: `${namespace}.events.${schema}.created`, payload: new TextEncoder().encode("Heat"), msgId: eventId });
    });
    await eventArrived;
    expect(received.map((m) => [m.msgId, new TextDecoder().decode(m.data)])).toEqual([[eventId, "Heat"]]);

    await stop();
    await expect(pool.query("SELECT 1")).rejects.toThrow();
    if (process.env.NATS_URL) await deleteNatsStreams(process.env.NATS_URL, namespace);
  });
});
