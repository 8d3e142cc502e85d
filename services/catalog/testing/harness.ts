import { randomBytes, randomUUID } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type pg from "pg";
import { CatalogService } from "../../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { MaturityRating, SubscriptionPlan, SubscriptionStatus } from "../../../gen/cinemesh/common/v1/enums_pb.js";
import { IdentityService } from "../../../gen/cinemesh/identity/v1/identity_pb.js";
import { createTokenSigner, generateAuthKeyPair } from "../../../platform/auth/tokens.js";
import type { Env } from "../../../platform/config.js";
import { natsStreamName } from "../../../platform/events/bus-nats.js";
import { startService } from "../../../platform/host/run-service.js";
import { requireUser } from "../../../platform/rpc/context.js";
import { createRedisKv } from "../../../platform/storage/kv-redis.js";
import { createPool } from "../../../platform/storage/postgres.js";
import { openTestDatabase, type TestDatabase } from "../../../platform/storage/testing/test-database.js";
import { catalogService, CATALOG_SCHEMA } from "../service.js";
import { startStandIn } from "../../../platform/testing/stand-in.js";

/**
 * A real catalog process for end-to-end tests: its own database (the real Postgres when
 * DATABASE_URL is set, else an embedded one), Redis when REDIS_URL is set, NATS when NATS_URL is
 * set, its own bus namespace and cache key prefix, and a stand-in identity service answering
 * CheckProfile for a few fixed profiles. `close()` removes every trace.
 */
export interface CatalogHarness {
  env: Env;
  /** Direct access to the catalog's database, to assert on what is stored. */
  pool: pg.Pool;
  namespace: string;
  admin: Client<typeof CatalogService>;
  member: Client<typeof CatalogService>;
  anonymous: Client<typeof CatalogService>;
  /** The member acting for one of their profiles. */
  asProfile(profile: keyof typeof PROFILES): Client<typeof CatalogService>;
  /** A client of another catalog process on the same database, cache and bus. */
  startReplica(): Promise<{ admin: Client<typeof CatalogService>; member: Client<typeof CatalogService>; stop: () => Promise<void> }>;
  /** Every table of the catalog's schema, outbox included, as one comparable value. */
  snapshot(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

const MEMBER_ID = randomUUID();
const OTHER_MEMBER_ID = randomUUID();

/** Profiles identity knows: the member's adult and kids profiles, and another account's. */
export const PROFILES = {
  adult: { profileId: randomUUID(), userId: MEMBER_ID, isKids: false, maturityLevel: MaturityRating.NC_17 },
  kids: { profileId: randomUUID(), userId: MEMBER_ID, isKids: true, maturityLevel: MaturityRating.TV_Y7 },
  teen: { profileId: randomUUID(), userId: MEMBER_ID, isKids: false, maturityLevel: MaturityRating.PG_13 },
  someoneElses: { profileId: randomUUID(), userId: OTHER_MEMBER_ID, isKids: false, maturityLevel: MaturityRating.NC_17 },
};

export async function startCatalogHarness(): Promise<CatalogHarness> {
  const db: TestDatabase = await openTestDatabase(process.env.DATABASE_URL ? "DATABASE_URL" : "embedded");
  const namespace = `t${randomBytes(5).toString("hex")}`;
  const keys = await generateAuthKeyPair();
  const signer = await createTokenSigner(keys.privateKeyPem);
  const baseEnv: Env = { AUTH_PUBLIC_KEY: keys.publicKeyPem, LOG_LEVEL: "silent", IDENTITY_PORT: "0", CATALOG_PORT: "0" };

  const identity = await startStandIn("identity", IdentityService, baseEnv, {
    checkProfile(req, ctx) {
      requireUser(ctx);
      const p = Object.values(PROFILES).find((x) => x.profileId === req.profileId);
      if (p === undefined) throw new ConnectError(`profile ${req.profileId} not found`, Code.NotFound);
      return { ...p, plan: SubscriptionPlan.PREMIUM, status: SubscriptionStatus.ACTIVE, language: "en" };
    },
  });

  const env: Env = {
    ...baseEnv,
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL,
    NATS_URL: process.env.NATS_URL,
    BUS_NAMESPACE: namespace,
    IDENTITY_ADDR: identity.host.url,
    CATALOG_CACHE_NAMESPACE: `${namespace}:`,
  };
  const stops: Array<() => Promise<void>> = [];
  const startCatalog = async () => {
    const started = await startService(catalogService, env);
    stops.push(started.stop);
    return started.host.url;
  };
  const url = await startCatalog();
  const pool = createPool(db.url, { max: 2 });

  const tokens = {
    admin: (await signer.sign({ userId: randomUUID(), role: "admin", sessionId: "s-admin" }, 3600)).token,
    member: (await signer.sign({ userId: MEMBER_ID, role: "member", sessionId: "s-member" }, 3600)).token,
  };
  const clientOf = (baseUrl: string, headers: Record<string, string>) => {
    const setHeaders: Interceptor = (next) => (req) => {
      for (const [k, v] of Object.entries(headers)) req.header.set(k, v);
      return next(req);
    };
    return createClient(CatalogService, createGrpcTransport({ baseUrl, interceptors: [setHeaders] }));
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  return {
    env,
    pool,
    namespace,
    admin: clientOf(url, bearer(tokens.admin)),
    member: clientOf(url, bearer(tokens.member)),
    anonymous: clientOf(url, {}),
    asProfile: (profile) => clientOf(url, { ...bearer(tokens.member), "profile-id": PROFILES[profile].profileId }),
    async startReplica() {
      const replicaUrl = await startCatalog();
      const stop = stops.pop()!;
      return { admin: clientOf(replicaUrl, bearer(tokens.admin)), member: clientOf(replicaUrl, bearer(tokens.member)), stop };
    },
    async snapshot() {
      const tables = await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'pgmigrations' ORDER BY 1`, [
        CATALOG_SCHEMA,
      ]);
      const state: Record<string, string> = {};
      for (const { table_name } of tables.rows) {
        // The relay stamps outbox rows as it publishes them: what was enqueued is what matters.
        const columns = table_name === "outbox" ? "(t.event_id, t.subject)" : "t";
        const rows = await pool.query(`SELECT ${columns}::text AS row FROM ${CATALOG_SCHEMA}."${table_name}" t ORDER BY 1`);
        state[table_name] = rows.rows.map((r) => r.row).join("\n");
      }
      return state;
    },
    async close() {
      for (const stop of stops.reverse()) await stop();
      await identity.stop();
      await pool.end();
      if (process.env.REDIS_URL) {
        const kv = createRedisKv({ url: process.env.REDIS_URL, namespace: "cinemesh:catalog:" });
        await kv.delByPrefix(`${namespace}:`);
        await kv.close();
      }
      if (process.env.NATS_URL) {
        const nc = await connect({ servers: process.env.NATS_URL });
        const jsm = await jetstreamManager(nc);
        for (const kind of ["events", "work"] as const) await jsm.streams.delete(natsStreamName(namespace, kind)).catch(() => undefined);
        await nc.close();
      }
      await db.drop();
    },
  };
}
