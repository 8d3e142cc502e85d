import { randomBytes, randomUUID } from "node:crypto";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type pg from "pg";
import { IdentityService } from "../../../gen/cinemesh/identity/v1/identity_pb.js";
import { NotificationService } from "../../../gen/cinemesh/notification/v1/notification_pb.js";
import { createTokenSigner, generateAuthKeyPair, type Role } from "../../../platform/auth/tokens.js";
import type { Env } from "../../../platform/config.js";
import type { Bus } from "../../../platform/events/bus.js";
import { DomainEvents } from "../../../platform/events/domain-events.js";
import { startService } from "../../../platform/host/run-service.js";
import { requireUser } from "../../../platform/rpc/context.js";
import { createPool } from "../../../platform/storage/postgres.js";
import { openBus } from "../../../platform/storage/select.js";
import { openTestDatabase } from "../../../platform/storage/testing/test-database.js";
import { deleteNatsStreams } from "../../../platform/events/nats-streams.js";
import { notificationService } from "../service.js";
import { startStandIn } from "../../../platform/testing/stand-in.js";

export interface Replica {
  client: Client<typeof NotificationService>;
  stop(): Promise<void>;
}

/**
 * Notification processes for a test, on the engines the environment names (else embedded), all
 * sharing one database and bus namespace as replicas do, with a stand-in identity that knows the
 * profiles added here. It signs admin tokens as well as member ones (CreateNotification needs an
 * admin), which is why it is not the shared test mesh, whose tokens are members' only.
 */
export interface NotificationHarness {
  env: Env;
  pool: pg.Pool;
  bus: Bus;
  /** Media events as the media service would publish them. */
  events: DomainEvents;
  startReplica(): Promise<Replica>;
  /** A new profile of `userId` (a new account when omitted); identity knows it from now on. */
  addProfile(userId?: string): { profileId: string; userId: string };
  /** Call options for a signed-in user. */
  as(userId: string, role?: Role): Promise<{ headers: Record<string, string> }>;
  close(): Promise<void>;
}

export async function startNotificationHarness(): Promise<NotificationHarness> {
  const keys = await generateAuthKeyPair();
  const signer = await createTokenSigner(keys.privateKeyPem);
  const db = await openTestDatabase(process.env.DATABASE_URL ? "DATABASE_URL" : "embedded");
  const namespace = `t${randomBytes(5).toString("hex")}`;
  const owners = new Map<string, string>();
  const stops: Array<() => Promise<void>> = [];
  const base: Env = { AUTH_PUBLIC_KEY: keys.publicKeyPem, LOG_LEVEL: "silent", IDENTITY_PORT: "0" };

  // Like the real identity: an admin may check any profile, a member only their own.
  const identity = await startStandIn("identity", IdentityService, base, {
    checkProfile(req, ctx) {
      const caller = requireUser(ctx);
      const userId = owners.get(req.profileId);
      if (userId === undefined || (userId !== caller.userId && caller.role !== "admin")) {
        throw new ConnectError(`profile ${req.profileId} not found`, Code.NotFound);
      }
      return { profileId: req.profileId, userId };
    },
  });
  stops.push(identity.stop);

  const env: Env = {
    ...base,
    NOTIFICATION_PORT: "0",
    DATABASE_URL: db.url,
    NATS_URL: process.env.NATS_URL,
    REDIS_URL: process.env.REDIS_URL,
    BUS_NAMESPACE: namespace,
    IDENTITY_ADDR: identity.host.url,
  };
  const pool = createPool(db.url, { max: 4 });
  const bus = await openBus(env, pool, { service: "test" });
  const replicas: Replica[] = [];

  return {
    env,
    pool,
    bus,
    events: new DomainEvents(namespace, "media", async () => bus),
    async startReplica() {
      const started = await startService(notificationService, env);
      const replica: Replica = {
        client: createClient(NotificationService, createGrpcTransport({ baseUrl: started.host.url })),
        async stop() {
          replicas.splice(replicas.indexOf(replica), 1);
          await started.stop();
        },
      };
      replicas.push(replica);
      return replica;
    },
    addProfile(userId = randomUUID()) {
      const profileId = randomUUID();
      owners.set(profileId, userId);
      return { profileId, userId };
    },
    async as(userId, role = "member") {
      const { token } = await signer.sign({ userId, role, sessionId: randomUUID() }, 600);
      return { headers: { authorization: `Bearer ${token}` } };
    },
    async close() {
      for (const r of [...replicas]) await r.stop();
      for (const stop of stops) await stop();
      await bus.close();
      await pool.end();
      await db.drop();
      if (process.env.NATS_URL) await deleteNatsStreams(process.env.NATS_URL, namespace);
    },
  };
}
