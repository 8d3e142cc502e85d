import { randomBytes, randomUUID } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { Code, ConnectError } from "@connectrpc/connect";
import { Client as CqlClient } from "cassandra-driver";
import type pg from "pg";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { ContentType, MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { createTokenSigner, generateAuthKeyPair } from "../auth/tokens.js";
import type { Bus } from "../events/bus.js";
import { natsStreamName } from "../events/bus-nats.js";
import { DomainEvents } from "../events/domain-events.js";
import { isAllowed } from "../domain/maturity.js";
import { PROFILE_ID_HEADER } from "../rpc/context.js";
import type { ServiceName } from "../services.js";
import { createPool } from "../storage/postgres.js";
import { openBus } from "../storage/select.js";
import { openTestDatabase, type TestDatabase } from "../storage/testing/test-database.js";
import { startStandIn } from "./stand-in.js";

export interface FakeProfile {
  profileId: string;
  userId: string;
  maturity: MaturityRating;
}

export interface FakeTitle {
  contentId: string;
  title: string;
  thumbnailUrl: string;
  rating: MaturityRating;
}

/** A playable video (a movie's feature or an episode) of a title. */
export interface FakeVideo {
  videoId: string;
  contentId: string;
  /** The title's for a movie's feature, "Episode N" for an episode. */
  title: string;
  seasonNumber?: number;
  episodeNumber?: number;
}

/**
 * What a service test needs around the service under test, on the engines the environment names
 * (DATABASE_URL, NATS_URL, REDIS_URL, SCYLLA_CONTACT_POINTS) or the embedded defaults: its own
 * database and bus namespace, token signing, and tiny identity and catalog hosts standing in for
 * the real ones (a service never imports another's code). `close()` removes every trace.
 */
export interface TestMesh {
  /** The environment to start the service under test with (its port is 0). */
  env: Record<string, string | undefined>;
  profiles: Map<string, FakeProfile>;
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
  const titles = new Map<string, FakeTitle>();
  const videos = new Map<string, FakeVideo>();
  const base = { AUTH_PUBLIC_KEY: keys.publicKeyPem, LOG_LEVEL: "silent", IDENTITY_PORT: "0", CATALOG_PORT: "0" };
  const stops: Array<() => Promise<void>> = [];

  const identity = await startStandIn("identity", IdentityService, base, {
    checkProfile: (req) => {
      const p = profiles.get(req.profileId);
      if (p === undefined) throw new ConnectError(`profile ${req.profileId} not found`, Code.NotFound);
      return { profileId: p.profileId, userId: p.userId, maturityLevel: p.maturity };
    },
  });
  stops.push(identity.stop);
  // Like the real catalog: a title above the cap of the profile in `profile-id` does not exist for it.
  const visible = (contentId: string, header: Headers) => {
    const t = titles.get(contentId);
    const profile = profiles.get(header.get(PROFILE_ID_HEADER) ?? "");
    return t !== undefined && (profile === undefined || isAllowed(t.rating, profile.maturity)) ? t : undefined;
  };
  const content = (t: FakeTitle) => ({ contentId: t.contentId, title: t.title, thumbnailUrl: t.thumbnailUrl, rating: t.rating, type: ContentType.MOVIE });
  const catalog = await startStandIn("catalog", CatalogService, base, {
    getContent: (req, ctx) => {
      const t = visible(req.contentId, ctx.requestHeader);
      if (t === undefined) throw new ConnectError(`content ${req.contentId} not found`, Code.NotFound);
      return { content: content(t) };
    },
    getVideo: (req, ctx) => {
      const v = videos.get(req.videoId);
      const t = v === undefined ? undefined : visible(v.contentId, ctx.requestHeader);
      if (v === undefined || t === undefined) throw new ConnectError(`video ${req.videoId} not found`, Code.NotFound);
      return { video: { videoId: v.videoId, contentId: v.contentId, title: v.title, seasonNumber: v.seasonNumber, episodeNumber: v.episodeNumber }, content: content(t) };
    },
    batchGetContent: (req, ctx) => ({
      contents: req.contentIds.map((id) => visible(id, ctx.requestHeader)).filter((t) => t !== undefined).map(content),
    }),
  });
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
    CATALOG_ADDR: catalog.host.url,
  };
  const pool: pg.Pool = createPool(db.url, { max: 4 });
  const addTitle = (rating = MaturityRating.PG_13): FakeTitle => {
    const contentId = randomUUID();
    const t = { contentId, title: `Title ${contentId.slice(0, 8)}`, thumbnailUrl: `https://img.example/${contentId}.jpg`, rating };
    titles.set(contentId, t);
    return t;
  };
  const bus = await openBus(env, pool, { service: "test" });

  return {
    env,
    profiles,
    titles,
    videos,
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
      const p = { profileId: randomUUID(), userId, maturity };
      profiles.set(p.profileId, p);
      return p;
    },
    addTitle,
    addVideo(title, episode) {
      const t = title ?? addTitle();
      const v: FakeVideo = { videoId: randomUUID(), contentId: t.contentId, title: episode ? `Episode ${episode.episode}` : t.title, seasonNumber: episode?.season, episodeNumber: episode?.episode };
      videos.set(v.videoId, v);
      return v;
    },
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

/** Removes a test namespace's streams; a stream that was never created is not an error. */
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

async function dropKeyspace(points: string, dc: string | undefined, keyspace: string): Promise<void> {
  const client = new CqlClient({ contactPoints: points.split(",").map((p) => p.trim()), localDataCenter: dc || "datacenter1" });
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
}
