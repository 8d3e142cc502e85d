import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import { RatingService } from "../../gen/cinemesh/rating/v1/rating_pb.js";
import { startMeshProcess, type MeshProcess } from "../../platform/launcher/mesh-process.js";
import { edgeApi, ok, type EdgeApi } from "./support/edge-api.js";

/**
 * Issue 3's acceptance walk, over the real mesh (`npm start`'s processes): REST at the edge with the
 * seeds' paths and shapes, and key calls again over Connect (through the edge) and gRPC (straight
 * to the services). The README shows the same walk with curl.
 */
describe("accounts, profiles, catalog, My List and ratings, end to end", () => {
  const admin = { email: "admin@cinemesh.test", password: "Admin-passw0rd!" };
  let mesh: MeshProcess;
  let api: EdgeApi;

  beforeAll(async () => {
    mesh = await startMeshProcess({ portOffset: 23_000, env: { CINEMESH_ADMIN_EMAIL: admin.email, CINEMESH_ADMIN_PASSWORD: admin.password, LOG_LEVEL: "warn" } });
    api = edgeApi(mesh.edgeUrl);
  });
  afterAll(async () => {
    await mesh?.stop();
  });

  it("walks the issue's acceptance scenario", async () => {
    // The admin, bootstrapped from the environment, creates three titles and a show.
    const adminToken = ok(await api("POST", "/api/v1/auth/login", { body: admin })).token;
    const create = async (title: string, rating: string, type = "MOVIE") =>
      ok(await api("POST", "/api/v1/admin/content", { token: adminToken, body: { title, type, rating, genres: ["Family"], releaseYear: 2020, language: "en", publish: true } })).contentId as string;
    const gTitle = await create("Paddington Picnic", "G");
    const pg13Title = await create("Skyline Heist", "PG-13");
    const rTitle = await create("Midnight Knives", "R");
    const show = await create("Garden Friends", "TV-Y", "TV_SHOW");
    ok(await api("POST", `/api/v1/admin/content/${show}/seasons`, { token: adminToken, body: { seasonNumber: 1, title: "Season 1" } }));
    for (const episodeNumber of [1, 2]) {
      ok(await api("POST", `/api/v1/admin/content/${show}/episodes`, { token: adminToken, body: { seasonNumber: 1, episodeNumber, title: `Episode ${episodeNumber}` } }));
    }
    const showBody = ok(await api("GET", `/api/v1/content/${show}`, { token: adminToken }));
    expect(showBody.episodes.map((e: { title: string }) => e.title)).toEqual(["Episode 1", "Episode 2"]);

    // A user signs up, logs in and creates an adult and a kids profile.
    const user = { email: "viewer@cinemesh.test", password: "Viewer-passw0rd!" };
    const signup = ok(await api("POST", "/api/v1/auth/signup", { body: { ...user, country: "GB" } }));
    expect(signup).toMatchObject({ userId: expect.any(String), token: expect.any(String) });
    const login = ok(await api("POST", "/api/v1/auth/login", { body: user }));
    expect(login.profiles).toEqual([]);
    const token = login.token as string;
    const adult = ok(await api("POST", "/api/v1/profiles", { token, body: { name: "Alex", isKids: false } })).profileId as string;
    const kids = ok(await api("POST", "/api/v1/profiles", { token, body: { name: "Kim", isKids: true } })).profileId as string;
    const profiles = ok(await api("GET", "/api/v1/profiles", { token })).profiles;
    expect(profiles.map((p: { name: string; isKids: boolean }) => [p.name, p.isKids])).toEqual(expect.arrayContaining([["Alex", false], ["Kim", true]]));

    // The kids profile lists and fetches only what suits it; the R title's id answers 404.
    const kidsPage = ok(await api("GET", "/api/v1/content/category/Family?limit=50", { token, profile: kids }));
    expect(kidsPage.content.map((c: { contentId: string }) => c.contentId).sort()).toEqual([gTitle, show].sort());
    expect(kidsPage.totalCount).toBe(2);
    expect(ok(await api("GET", `/api/v1/content/${gTitle}`, { token, profile: kids })).title).toBe("Paddington Picnic");
    expect((await api("GET", `/api/v1/content/${rTitle}`, { token, profile: kids })).status).toBe(404);
    const adultPage = ok(await api("GET", "/api/v1/content/category/Family?limit=50", { token, profile: adult }));
    expect(adultPage.totalCount).toBe(4);

    // The adult adds two titles to My List, rates one and reads the average.
    ok(await api("POST", `/api/v1/profile/${adult}/my-list`, { token, body: { contentId: rTitle } }));
    ok(await api("POST", `/api/v1/profile/${adult}/my-list`, { token, body: { contentId: pg13Title } }));
    const myList = ok(await api("GET", `/api/v1/profile/${adult}/my-list`, { token })).content;
    expect(myList.map((c: { title: string }) => c.title)).toEqual(["Skyline Heist", "Midnight Knives"]);
    expect(ok(await api("POST", `/api/v1/content/${rTitle}/rating`, { token, profile: adult, body: { rating: 4 } }))).toMatchObject({ success: true, averageRating: 4 });
    expect(ok(await api("GET", `/api/v1/content/${rTitle}/rating`, { token, profile: adult }))).toMatchObject({ averageRating: 4, totalRatings: 1, userRating: 4 });

    // A second user rates the same title and the average moves.
    const second = ok(await api("POST", "/api/v1/auth/signup", { body: { email: "second@cinemesh.test", password: "Second-passw0rd!", country: "US" } }));
    const secondProfile = ok(await api("POST", "/api/v1/profiles", { token: second.token, body: { name: "Sam" } })).profileId;
    ok(await api("POST", `/api/v1/content/${rTitle}/rating`, { token: second.token, profile: secondProfile, body: { rating: 1 } }));
    expect(ok(await api("GET", `/api/v1/content/${rTitle}/rating`, { token, profile: adult }))).toMatchObject({ averageRating: 2.5, totalRatings: 2, userRating: 4 });

    // Key calls again: Connect through the edge, gRPC straight to the services.
    const viaConnect = createClient(CatalogService, createConnectTransport({ baseUrl: mesh.edgeUrl, httpVersion: "1.1" }));
    const authed = { headers: { authorization: `Bearer ${token}`, "profile-id": kids } };
    expect((await viaConnect.getContent({ contentId: gTitle }, authed)).content?.title).toBe("Paddington Picnic");
    await expect(viaConnect.getContent({ contentId: rTitle }, authed)).rejects.toMatchObject({ code: 5 /* NOT_FOUND */ });
    const identity = createClient(IdentityService, createGrpcTransport({ baseUrl: mesh.serviceUrl("identity") }));
    expect((await identity.listProfiles({}, { headers: { authorization: `Bearer ${token}` } })).profiles).toHaveLength(2);
    const rating = createClient(RatingService, createGrpcTransport({ baseUrl: mesh.serviceUrl("rating") }));
    expect((await rating.getContentRating({ contentId: rTitle }, { headers: { authorization: `Bearer ${token}` } })).totalRatings).toBe(2n);
  });
});
