import { fileURLToPath } from "node:url";
import type pg from "pg";
import type { Logger } from "pino";
import type { Bus } from "../events/bus.js";
import { DomainEvents } from "../events/domain-events.js";
import { DEFAULT_NAMESPACE } from "../events/subjects.js";
import { createOutboxTable } from "../events/outbox.js";
import { startOutboxRelay } from "../events/outbox-relay.js";
import type { Env } from "../config.js";
import type { Kv } from "../storage/kv.js";
import { migrate } from "../storage/migrate.js";
import type { ObjectStore } from "../storage/objects.js";
import { openBus, openKv, openObjects, openPostgres, type Relational } from "../storage/select.js";

/**
 * The engines a service uses, opened on first use from the environment (production engine when
 * its variable is set, embedded default otherwise) and closed in reverse order at shutdown. A
 * service asks only for what it needs; nothing is opened at start-up for a service that needs none.
 */
export class ServiceResources {
  private readonly closers: Array<() => Promise<void>> = [];
  private relational?: Promise<Relational>;
  private kvStore?: Promise<Kv>;
  private eventBus?: Promise<Bus>;
  private objectStore?: Promise<ObjectStore>;

  /** Domain events this service emits (through its outbox) and consumes. */
  readonly events: DomainEvents;

  constructor(
    private readonly env: Env,
    private readonly service: string,
    private readonly log: Logger,
  ) {
    this.events = new DomainEvents(env.BUS_NAMESPACE || DEFAULT_NAMESPACE, service, () => this.bus());
  }

  /** The service's Postgres pool, after applying its migrations to its own schema. */
  /** The shared pool, after applying the service's `migrations` to `schema` (none: a service whose only table is its outbox). */
  async postgres(schema: string, migrations?: URL): Promise<pg.Pool> {
    const rel = await this.relationalOnce();
    if (migrations !== undefined) await migrate({ connection: rel.url, schema, dir: fileURLToPath(migrations), log: this.log });
    return rel.pool;
  }

  kv(): Promise<Kv> {
    return (this.kvStore ??= this.track(openKv(this.env, { service: this.service, log: this.log })));
  }

  /** The event bus: NATS JetStream, or the Postgres-backed bus of the shared database. */
  bus(): Promise<Bus> {
    return (this.eventBus ??= this.relationalOnce().then((rel) => this.track(openBus(this.env, rel.pool, { service: this.service, log: this.log }))));
  }

  objects(): Promise<ObjectStore> {
    return (this.objectStore ??= this.track(openObjects(this.env)));
  }

  /** Creates `<schema>.outbox` if absent and publishes the events committed to it, until shutdown. */
  async startOutboxRelay(schema: string): Promise<void> {
    const [rel, bus] = await Promise.all([this.relationalOnce(), this.bus()]);
    await createOutboxTable(rel.pool, schema);
    const relay = startOutboxRelay({ pool: rel.pool, schema, bus, log: this.log });
    this.closers.push(() => relay.stop());
  }

  /** Runs `stop` at shutdown, before the engines it depends on are closed. */
  onClose(stop: () => Promise<void>): void {
    this.closers.push(stop);
  }

  async close(): Promise<void> {
    for (const close of this.closers.reverse()) {
      try {
        await close();
      } catch (err) {
        this.log.error({ err }, "closing a resource failed");
      }
    }
    this.closers.length = 0;
  }

  private relationalOnce(): Promise<Relational> {
    return (this.relational ??= this.track(openPostgres(this.env, { service: this.service, log: this.log })));
  }

  private async track<T extends { close(): Promise<void> }>(opening: Promise<T>): Promise<T> {
    const opened = await opening;
    this.closers.push(() => opened.close());
    return opened;
  }
}
