import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { generateAuthKeyPair } from "../auth/tokens.js";
import { createMemoryKv, type MemoryKv } from "../storage/kv-memory.js";
import { startCatalogFake, type CatalogFake } from "../testing/catalog-fake.js";
import { cachedVideoFacts } from "./video-facts.js";

/** The one cache of the catalog's GetVideo (library's progress, analytics' heartbeats), against the catalog fake. */
describe("cachedVideoFacts", () => {
  let catalog: CatalogFake;
  let kv: MemoryKv;
  let client: ReturnType<typeof createClient<typeof CatalogService>>;

  beforeAll(async () => {
    catalog = await startCatalogFake({ AUTH_PUBLIC_KEY: (await generateAuthKeyPair()).publicKeyPem, LOG_LEVEL: "silent" });
    client = createClient(CatalogService, createGrpcTransport({ baseUrl: catalog.url }));
    kv = createMemoryKv();
  });
  afterAll(async () => {
    await kv?.close();
    await catalog?.stop();
  });

  const lookup = (ttlMs: number, keyPrefix = "t:") => cachedVideoFacts({ catalog: client, kv, keyPrefix, ttlMs });

  it("answers an episode's facts, and remembers them for every lookup on the same kv (replicas share it)", async () => {
    const show = catalog.addTitle();
    const episode = catalog.addVideo(show, { season: 2, episode: 3 });
    const facts = { videoId: episode.videoId, contentId: show.contentId, rating: show.rating, seasonNumber: 2, episodeNumber: 3, episodeTitle: "Episode 3" };
    expect(await lookup(60_000)(episode.videoId)).toEqual(facts);
    catalog.titles.delete(show.contentId);
    // Another replica's lookup, on the same kv: the catalog is not asked again within the TTL.
    expect(await lookup(60_000)(episode.videoId)).toEqual(facts);
    expect(await lookup(60_000, "other:")(episode.videoId)).toBeNull();
  });

  it("remembers nothing with a TTL of 0", async () => {
    const v = catalog.addVideo();
    const uncached = lookup(0);
    expect((await uncached(v.videoId))?.episodeTitle).toBe("");
    catalog.titles.delete(v.contentId);
    expect(await uncached(v.videoId)).toBeNull();
  });

  it("does not remember a video the catalog did not show", async () => {
    const v = catalog.addVideo();
    catalog.videos.delete(v.videoId);
    expect(await lookup(60_000)(v.videoId)).toBeNull();
    catalog.videos.set(v.videoId, v);
    expect((await lookup(60_000)(v.videoId))?.contentId).toBe(v.contentId);
  });

  it("applies the asking profile's cap to a remembered video, whoever it was fetched for", async () => {
    const adult = catalog.addVideo(catalog.addTitle(MaturityRating.R));
    const facts = lookup(60_000);
    expect((await facts(adult.videoId, MaturityRating.NC_17))?.rating).toBe(MaturityRating.R);
    expect(await facts(adult.videoId, MaturityRating.TV_Y7)).toBeNull();
    expect((await facts(adult.videoId))?.videoId).toBe(adult.videoId);
  });
});
