import { randomInt, randomUUID } from "node:crypto";
import { isMessage } from "@bufbuild/protobuf";
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { SubscriptionPlan } from "../../../gen/cinemesh/common/v1/enums_pb.js";
import { IdentityService, LoginRequestSchema, SignUpRequestSchema } from "../../../gen/cinemesh/identity/v1/identity_pb.js";
import { createTokenSigner, generateAuthKeyPair, type TokenSigner } from "../../../platform/auth/tokens.js";
import type { Env } from "../../../platform/config.js";
import { deleteNatsStreams } from "../../../platform/events/nats-streams.js";
import { startService } from "../../../platform/host/run-service.js";
import { createPool } from "../../../platform/storage/postgres.js";
import { openKv } from "../../../platform/storage/select.js";
import { openTestDatabase, type TestDatabase } from "../../../platform/storage/testing/test-database.js";
import { normaliseEmail } from "../accounts.js";
import { UNKNOWN_IP } from "../client-ip.js";
import { accountKey, ipKey, signUpKey } from "../login-throttle.js";
import { identityService, IDENTITY_SCHEMA } from "../service.js";

export type IdentityClient = Client<typeof IdentityService>;

/** Rows per table of the identity schema: what "no state changed" is checked against. */
export interface StateCounts {
  users: number;
  profiles: number;
  sessions: number;
  refresh_tokens: number;
  outbox: number;
}

export interface SignedUp {
  email: string;
  password: string;
  userId: string;
  token: string;
  refreshToken: string;
  /** A client calling as this user. */
  client: IdentityClient;
}

/**
 * The identity service on real engines for one test file: its own database (embedded Postgres, or
 * a scratch database on DATABASE_URL's server), Redis and NATS when their URLs are set, its own
 * bus namespace, and a fresh key pair. `close()` stops every instance and removes every trace.
 */
export class IdentityTestbed {
  readonly namespace = `idt${randomUUID().slice(0, 8)}`;
  private readonly stops: Array<() => Promise<void>> = [];
  /** Login-throttling counters this testbed's calls may have made, removed from a shared Redis at close. */
  private readonly throttleKeys = new Set<string>();

  private constructor(
    private readonly db: TestDatabase,
    /** The test's own connection, for looking at what the service stored. */
    readonly pool: pg.Pool,
    readonly keys: { publicKeyPem: string; privateKeyPem: string },
    /** Signs tokens with the service's key (e.g. already expired ones). */
    readonly signer: TokenSigner,
  ) {}

  static async open(): Promise<IdentityTestbed> {
    const db = await openTestDatabase(process.env.DATABASE_URL ? "DATABASE_URL" : "embedded");
    const keys = await generateAuthKeyPair();
    return new IdentityTestbed(db, createPool(db.url, { max: 2 }), keys, await createTokenSigner(keys.privateKeyPem));
  }

  /** The environment an instance starts with; `extra` overrides or adds variables. */
  env(extra: Env = {}): Env {
    return {
      DATABASE_URL: this.db.url,
      REDIS_URL: process.env.REDIS_URL,
      NATS_URL: process.env.NATS_URL,
      BUS_NAMESPACE: this.namespace,
      AUTH_PUBLIC_KEY: this.keys.publicKeyPem,
      AUTH_PRIVATE_KEY: this.keys.privateKeyPem,
      IDENTITY_PORT: "0",
      LOG_LEVEL: "silent",
      ...extra,
    };
  }

  /** Starts an instance (a replica: several may run on the same database); answers its URL. */
  async start(extra: Env = {}): Promise<{ url: string; stop: () => Promise<void> }> {
    const { host, stop } = await startService(identityService, this.env(extra));
    let stopped = false;
    const stopOnce = async () => {
      if (stopped) return;
      stopped = true;
      await stop();
    };
    this.stops.push(stopOnce);
    return { url: host.url, stop: stopOnce };
  }

  /**
   * A client of the instance at `url`, as the holder of `token` (if any), from the address `ip`
   * (a random one by default, so tests do not share login-throttling counters; null: none sent).
   */
  client(url: string, options: { token?: string; ip?: string | null } = {}): IdentityClient {
    const ip = options.ip === undefined ? randomIp() : options.ip;
    if (ip !== null) this.throttleKeys.add(ipKey(ip));
    const headers: Interceptor = (next) => (req) => {
      if (options.token !== undefined) req.header.set("authorization", `Bearer ${options.token}`);
      if (ip !== null) req.header.set("x-forwarded-for", ip);
      if (!req.stream && isMessage(req.message, LoginRequestSchema)) this.throttleKeys.add(accountKey(normaliseEmail(req.message.email), ip ?? UNKNOWN_IP));
      if (!req.stream && isMessage(req.message, SignUpRequestSchema)) this.throttleKeys.add(signUpKey(ip ?? UNKNOWN_IP));
      return next(req);
    };
    return createClient(IdentityService, createGrpcTransport({ baseUrl: url, interceptors: [headers] }));
  }

  /** Signs up a fresh account through the API; a `plan` other than the default is then set by an admin, the only way to change it. */
  async signUp(url: string, overrides: { email?: string; password?: string; plan?: SubscriptionPlan } = {}): Promise<SignedUp> {
    const email = overrides.email ?? uniqueEmail();
    const password = overrides.password ?? "correct horse 42";
    const res = await this.client(url).signUp({ email, password, country: "US" });
    if (overrides.plan !== undefined && overrides.plan !== SubscriptionPlan.BASIC) {
      const { token } = await this.signer.sign({ userId: randomUUID(), role: "admin", sessionId: randomUUID() }, 60);
      await this.client(url, { token }).adminUpdateUser({ userId: res.userId, plan: overrides.plan });
    }
    return { email, password, userId: res.userId, token: res.token, refreshToken: res.refreshToken, client: this.client(url, { token: res.token }) };
  }

  async counts(): Promise<StateCounts> {
    const s = IDENTITY_SCHEMA;
    const { rows } = await this.pool.query(
      `SELECT (SELECT count(*) FROM ${s}.users)::int AS users, (SELECT count(*) FROM ${s}.profiles)::int AS profiles,
              (SELECT count(*) FROM ${s}.sessions)::int AS sessions, (SELECT count(*) FROM ${s}.refresh_tokens)::int AS refresh_tokens,
              (SELECT count(*) FROM ${s}.outbox)::int AS outbox`,
    );
    return rows[0] as StateCounts;
  }

  /** The outbox rows whose subject ends with `.<event>` (e.g. `profile_created`), oldest first. */
  async outbox(event: string): Promise<{ subject: string; payload: Uint8Array; published: boolean }[]> {
    const { rows } = await this.pool.query(
      `SELECT subject, payload, published_at IS NOT NULL AS published FROM ${IDENTITY_SCHEMA}.outbox WHERE subject = $1 ORDER BY id`,
      [`${this.namespace}.events.identity.${event}`],
    );
    return rows.map((r) => ({ subject: r.subject, payload: new Uint8Array(r.payload), published: r.published }));
  }

  async close(): Promise<void> {
    for (const stop of this.stops.reverse()) await stop();
    await this.pool.end();
    const kv = await openKv(this.env(), { service: identityService.name });
    if (this.throttleKeys.size > 0) await kv.del([...this.throttleKeys]);
    await kv.close();
    if (process.env.NATS_URL) await deleteNatsStreams(process.env.NATS_URL, this.namespace);
    await this.db.drop();
  }
}

export function uniqueEmail(): string {
  return `viewer-${randomUUID().slice(0, 12)}@example.com`;
}

/** A random address in the IPv6 documentation prefix (RFC 3849): unique enough to share a Redis with other runs. */
export function randomIp(): string {
  const group = () => randomInt(0x10000).toString(16);
  return `2001:db8:${group()}:${group()}:${group()}:${group()}:${group()}:${group()}`;
}
