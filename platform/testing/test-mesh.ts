import { randomBytes, randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { Client as CqlClient } from "cassandra-driver";
import type pg from "pg";
import { MaturityRating, SubscriptionPlan, SubscriptionStatus } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { createTokenSigner, generateAuthKeyPair } from "../auth/tokens.js";
import type { Bus } from "../events/bus.js";
import { DomainEvents } from "../events/domain-events.js";
import { deleteNatsStreams } from "../events/nats-streams.js";
import { PROFILE_ID_HEADER } from "../rpc/context.js";
import type { ServiceName } from "../services.js";
import { createPool } from "../storage/postgres.js";
import { openBus } from "../storage/select.js";
import { openTestDatabase, type TestDatabase } from "../storage/testing/test-database.js";
import { startCatalogFake, type CatalogFake, type FakeTitle, type FakeVideo } from "./catalog-fake.js";
import { startStandIn } from "./stand-in.js";

export type { FakeTitle, FakeVideo } from "./catalog-fake.js";

export interface FakeProfile {
  profileId: string;
  userId: string;
  maturity: MaturityRating;
  /** The account's subscription (STANDARD, ACTIVE unless a test changes it). */
  plan: SubscriptionPlan;
  status: SubscriptionStatus;
}

/**
 * What a service test needs around the service under test, on the engines the environment names
 * (DATABASE_URL, NATS_URL, REDIS_URL, SCYLLA_CONTACT_POINTS) or the embedded defaults: its own
 * database and bus namespace, token signing, a tiny identity host and the catalog fake standing in
 * for the real ones (a service never imports another's code). `close()` removes every trace.
 */
export interface TestMesh {
  /** The environment to start the service under test with (its port is 0). */
  env: Record<string, string | undefined>;
  profiles: Map<string, FakeProfile>;
  /** How many CheckProfile calls identity answered, per profile id. */
  profileChecks: Map<string, number>;
  /** The catalog stand-in (platform/testing/catalog-fake.ts); profiles' maturity caps apply to its reads. */
  catalog: CatalogFake;
  /** The catalog's published titles; delete one to unpublish it. */
  titles: Map<string, FakeTitle>;
  /** The catalog's videos, answered by GetVideo while their title is published. */
  videos: Map<string, FakeVideo>;
  /** Domain events on the test's bus namespace, as another service would see them. */
  events: DomainEvents;
  bus: Bus;
  /** Authorization headers for a signed-in user, plus `profile-id` when given. */
  headers(userId: string, profileId?: string): Promise<Record<string, string>>;
  /** Authorization headers for a signed-in admin. */
  adminHeaders(userId?: string): Promise<Record<string, string>>;
  addProfile(userId: string, maturity?: MaturityRating): FakeProfile;
  addTitle(rating?: MaturityRating): FakeTitle;
  /** A video of the given title (a new title when none is given); an episode when `episode` is given. */
  addVideo(title?: FakeTitle, episode?: { season: number; episode: number }): FakeVideo;
  close(): Promise<void>;
}

export async function startTestMesh(service: ServiceName): Promise<TestMesh> {
  const keys = await generateAuthKeyPair();
  const signer = await createTokenSigner(keys.privateKeyPem);
  const db: TestDatabase = await openTestDatabase(process.env.DATABASE_URL ? "DATABASE_URL" : "embedded");
  const namespace = `t${randomBytes(5).toString("hex")}`;
  const keyspace = `cinemesh_test_${randomBytes(4).toString("hex")}`;
  const profiles = new Map<string, FakeProfile>();
  const profileChecks = new Map<string, number>();
  const base = { AUTH_PUBLIC_KEY: keys.publicKeyPem, LOG_LEVEL: "silent", IDENTITY_PORT: "0", CATALOG_PORT: "0" };
  const stops: Array<() => Promise<void>> = [];

  const identity = await startStandIn("identity", IdentityService, base, {
    checkProfile: (req) => {
      profileChecks.set(req.profileId, (profileChecks.get(req.profileId) ?? 0) + 1);
      const p = profiles.get(req.profileId);
      if (p === undefined) throw new ConnectError(`profile ${req.profileId} not found`, Code.NotFound);
      return { profileId: p.profileId, userId: p.userId, maturityLevel: p.maturity, plan: p.plan, status: p.status };
    },
  });
  stops.push(identity.stop);
  const catalog = await startCatalogFake(base, { capOf: (profileId) => profiles.get(profileId)?.maturity });
  stops.push(catalog.stop);

  const env = {
    ...base,
    [`${service.toUpperCase()}_PORT`]: "0",
    DATABASE_URL: db.url,
    NATS_URL: process.env.NATS_URL,
    REDIS_URL: process.env.REDIS_URL,
    SCYLLA_CONTACT_POINTS: process.env.SCYLLA_CONTACT_POINTS,
    SCYLLA_LOCAL_DC: process.env.SCYLLA_LOCAL_DC,
    SCYLLA_KEYSPACE: keyspace,
    BUS_NAMESPACE: namespace,
    IDENTITY_ADDR: identity.host.url,
    CATALOG_ADDR: catalog.url,
  };
  const pool: pg.Pool = createPool(db.url, { max: 4 });
  const bus = await openBus(env, pool, { service: "test" });

  return {
    env,
    profiles,
    profileChecks,
    catalog,
    titles: catalog.titles,
    videos: catalog.videos,
    bus,
    events: new DomainEvents(namespace, "test", async () => bus),
    async headers(userId, profileId) {
      const { token } = await signer.sign({ userId, role: "member", sessionId: randomUUID() }, 600);
      return { authorization: `Bearer ${token}`, ...(profileId === undefined ? {} : { [PROFILE_ID_HEADER]: profileId }) };
    },
    async adminHeaders(userId = randomUUID()) {
      const { token } = await signer.sign({ userId, role: "admin", sessionId: randomUUID() }, 600);
      return { authorization: `Bearer ${token}` };
    },
    addProfile(userId, maturity = MaturityRating.NC_17) {
      const p = { profileId: randomUUID(), userId, maturity, plan: SubscriptionPlan.STANDARD, status: SubscriptionStatus.ACTIVE };
      profiles.set(p.profileId, p);
      return p;
    },
    addTitle: catalog.addTitle,
    addVideo: catalog.addVideo,
    async close() {
      for (const stop of stops) await stop();
      await bus.close();
      await pool.end();
      await db.drop();
      if (process.env.NATS_URL) await deleteNatsStreams(process.env.NATS_URL, namespace);
      if (process.env.SCYLLA_CONTACT_POINTS) await dropKeyspace(process.env.SCYLLA_CONTACT_POINTS, process.env.SCYLLA_LOCAL_DC, keyspace);
    },
  };
}

async function dropKeyspace(points: string, dc: string | undefined, keyspace: string): Promise<void> {
  const client = new CqlClient({ contactPoints: points.split(",").map((p) => p.trim()), localDataCenter: dc || "datacenter1" });
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
}
