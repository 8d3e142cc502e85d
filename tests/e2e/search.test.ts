import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startMeshProcess, type MeshProcess } from "../../platform/launcher/mesh-process.js";
import { edgeApi, ok, type EdgeApi } from "./support/edge-api.js";

const run = promisify(execFile);
/** How long an event may take to reach the index here (the issue asks for 2 s; CI machines are noisy). */
const SETTLE = { timeout: 10_000, interval: 100 };

const MOVIES = `movieId,title,genres
1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy
2,"Matrix, The (1999)",Action|Sci-Fi|Thriller
3,Léon: The Professional (1994),Action|Crime|Drama|Thriller
4,Amélie (2001),Comedy|Romance
5,Spider-Man (2002),Action|Adventure|Sci-Fi|Thriller
6,WALL·E (2008),Adventure|Animation|Children|Romance|Sci-Fi
7,Forrest Gump (1994),Comedy|Drama|Romance|War
8,Saving Private Ryan (1998),Action|Drama|War
9,"Good, the Bad and the Ugly, The (1966)",Action|Adventure|Western
10,Finding Nemo (2003),Adventure|Animation|Children|Comedy
11,A broken row without genres
`;
const TAGS = `userId,movieId,tag,timestamp
1,2,cyberpunk,1139045764
2,2,cyberpunk,1139045765
3,2,virtual reality,1139045766
4,7,tom hanks,1139045767
5,8,tom hanks,1139045768
6,1,pixar,1139045769
`;
const LINKS = `movieId,imdbId,tmdbId
1,0114709,862
2,0133093,603
7,0109830,13
`;

/**
 * Search through the edge, as a viewer meets it: a small MovieLens catalog imported with the
 * importer, then typos, accents, punctuation, kids filtering, facets, autocomplete, and freshness
 * after a publish and a removal.
 */
describe("search over an imported catalog", () => {
  const admin = { email: "admin@cinemesh.test", password: "Admin-passw0rd!" };
  let mesh: MeshProcess;
  let api: EdgeApi;
  let dir: string;
  let token: string;
  let adultProfile: string;
  let kidsProfile: string;

  const importer = (...args: string[]) =>
    run(process.execPath, ["dist/tools/catalog-import/main.js", dir, "--edge", mesh.edgeUrl, ...args], {
      env: { ...process.env, CINEMESH_ADMIN_EMAIL: admin.email, CINEMESH_ADMIN_PASSWORD: admin.password },
    }).catch((err: { stdout: string; stderr: string; code: number }) => err);
  const search = async (query: string, profile = adultProfile, extra = "") =>
    ok(await api("GET", `/api/v1/content/search?query=${encodeURIComponent(query)}${extra}`, { token, profile }));
  const titles = async (query: string, profile = adultProfile) => (await search(query, profile)).results.map((r: { title: string }) => r.title);

  beforeAll(async () => {
    mesh = await startMeshProcess({ portOffset: 5_000, env: { CINEMESH_ADMIN_EMAIL: admin.email, CINEMESH_ADMIN_PASSWORD: admin.password, LOG_LEVEL: "warn" } });
    api = edgeApi(mesh.edgeUrl);
    dir = await mkdtemp(path.join(os.tmpdir(), "cinemesh-import-"));
    await writeFile(path.join(dir, "movies.csv"), MOVIES);
    await writeFile(path.join(dir, "tags.csv"), TAGS);
    await writeFile(path.join(dir, "links.csv"), LINKS);
    const viewer = { email: "viewer@cinemesh.test", password: "Viewer-passw0rd!" };
    token = ok(await api("POST", "/api/v1/auth/signup", { body: { ...viewer, country: "FR" } })).token;
    adultProfile = ok(await api("POST", "/api/v1/profiles", { token, body: { name: "Alex", isKids: false } })).profileId;
    kidsProfile = ok(await api("POST", "/api/v1/profiles", { token, body: { name: "Kim", isKids: true } })).profileId;
  });
  afterAll(async () => {
    await mesh?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("imports the catalog once, reporting the bad row by line, and a second run creates nothing", async () => {
    const first = await importer();
    const firstOut = `${first.stdout}${first.stderr}`;
    expect(firstOut).toMatch(/movies\.csv:12/);
    expect(firstOut).toMatch(/created 10, already there 0, bad rows 1, failed 0/);
    const mapping = await readFile(path.join(dir, "cinemesh-mapping.csv"), "utf8");
    expect(mapping).toMatch(/movielens,2,[0-9a-f-]{36}/);

    const second = await importer();
    expect(`${second.stdout}${second.stderr}`).toMatch(/nothing to create: all 10 titles are already in the catalog/);
    await vi.waitFor(async () => expect((await search("")).totalCount).toBe(10), SETTLE);
  });

  it("finds titles through typos, dropped accents and punctuation, article order and as-you-type prefixes", async () => {
    expect((await titles("the matrix"))[0]).toBe("The Matrix");
    expect((await titles("matrix"))[0]).toBe("The Matrix");
    expect((await titles("leon"))[0]).toBe("Léon: The Professional");
    expect((await titles("amelie"))[0]).toBe("Amélie");
    expect((await titles("spider man"))[0]).toBe("Spider-Man");
    expect((await titles("spiderman"))[0]).toBe("Spider-Man");
    expect((await titles("wall e"))[0]).toBe("WALL·E");
    expect((await titles("forest gump"))[0]).toBe("Forrest Gump");
    expect((await titles("savng privte ryan"))[0]).toBe("Saving Private Ryan");
    expect((await titles("good the bad and the ug"))[0]).toBe("The Good, the Bad and the Ugly");
    expect((await titles("findin"))[0]).toBe("Finding Nemo");
    // A tag imported as a keyword finds its titles.
    expect(await titles("tom hanks")).toEqual(expect.arrayContaining(["Forrest Gump", "Saving Private Ryan"]));
    expect((await titles("cyberpunk"))[0]).toBe("The Matrix");
  });

  it("answers in the seed's shape, with facets under the active filters", async () => {
    const body = await search("", adultProfile, "&genres=Animation&limit=2");
    expect(body.totalCount).toBe(3);
    expect(body.results).toHaveLength(2);
    expect(body.results[0]).toMatchObject({ contentId: expect.any(String), title: expect.any(String), type: "MOVIE" });
    const decades = body.facets.find((f: { field: string }) => f.field === "decade").values;
    expect(decades).toEqual(expect.arrayContaining([{ value: "1990s", count: 1 }, { value: "2000s", count: 2 }]));
    const genres = body.facets.find((f: { field: string }) => f.field === "genres").values;
    expect(genres).toContainEqual({ value: "Animation", count: 3 });
  });

  it("never shows a kids profile a title above its cap, and suggests titles and people as you type", async () => {
    const adminToken = ok(await api("POST", "/api/v1/auth/login", { body: admin })).token;
    const create = (title: string, rating: string, cast: string[]) =>
      api("POST", "/api/v1/admin/content", { token: adminToken, body: { title, type: "MOVIE", rating, genres: ["Animation"], releaseYear: 2010, language: "en", cast, publish: true } });
    const gentle = ok(await create("Paddington Picnic", "G", ["Hugh Bonneville"])).contentId;
    const grim = ok(await create("Paddington Massacre", "R", ["Grimsby Darkhorse"])).contentId;
    await vi.waitFor(async () => expect((await search("paddington")).totalCount).toBe(2), SETTLE);

    const kids = await search("paddington", kidsProfile);
    expect(kids.results.map((r: { contentId: string }) => r.contentId)).toEqual([gentle]);
    expect(kids.totalCount).toBe(1);
    expect(JSON.stringify(kids.facets)).not.toMatch(/"R"/);
    const kidsSuggestions = ok(await api("GET", "/api/v1/content/search/autocomplete?prefix=paddi", { token, profile: kidsProfile })).suggestions;
    expect(kidsSuggestions.map((s: { text: string }) => s.text)).toContain("Paddington Picnic");
    expect(kidsSuggestions.map((s: { text: string }) => s.text)).not.toContain("Paddington Massacre");

    const people = ok(await api("GET", "/api/v1/content/search/autocomplete?prefix=grimsb", { token, profile: adultProfile })).suggestions;
    expect(people).toContainEqual(expect.objectContaining({ text: "Grimsby Darkhorse", kind: "PERSON" }));
    // Typo-tolerant from 5 letters on.
    const typo = ok(await api("GET", "/api/v1/content/search/autocomplete?prefix=padingt", { token })).suggestions;
    expect(typo.map((s: { text: string }) => s.text)).toEqual(expect.arrayContaining(["Paddington Picnic"]));

    // Removed: gone from search; unpublished: gone too.
    ok(await api("DELETE", `/api/v1/admin/content/${grim}`, { token: adminToken }));
    ok(await api("PATCH", `/api/v1/admin/content/${gentle}`, { token: adminToken, body: { status: "DRAFT" } }));
    await vi.waitFor(async () => expect((await search("paddington")).totalCount).toBe(0), SETTLE);
  });

  it("rebuilds the index from the catalog on an admin's reindex, and refuses members", async () => {
    expect((await api("POST", "/api/v1/admin/search/reindex", { token, body: {} })).status).toBe(403);
    const adminToken = ok(await api("POST", "/api/v1/auth/login", { body: admin })).token;
    expect(ok(await api("POST", "/api/v1/admin/search/reindex", { token: adminToken, body: {} }))).toMatchObject({ indexedCount: 10 });
    expect((await titles("the matrix"))[0]).toBe("The Matrix");
    expect((await search("")).totalCount).toBe(10);
  });
});
