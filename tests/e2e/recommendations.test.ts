import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startMeshProcess, type MeshProcess } from "../../platform/launcher/mesh-process.js";
import { edgeApi, newMember, ok, rateTitle, type EdgeApi, type EdgeMember } from "./support/edge-api.js";

const run = promisify(execFile);

/** How long events may take to reach the recommendation service and its lists here (the issue asks for seconds). */
const SETTLE = { timeout: 15_000, interval: 200 };

interface Card {
  contentId: string;
  title: string;
  thumbnailUrl: string;
  score: number;
  reason: string;
}

/**
 * Recommendations through the edge, as viewers meet them (issue 11's acceptance): a crowd rates
 * titles of one kind each, the model is rebuilt, then two profiles with different tastes rate and
 * list titles, and within seconds their lists differ, say why, and leave out what they rated; a
 * kids profile gets nothing above its cap; "more like this" for a thriller is mostly thrillers.
 */
describe("recommendations, end to end", () => {
  const admin = { email: "admin@cinemesh.test", password: "Admin-passw0rd!" };
  let mesh: MeshProcess;
  let api: EdgeApi;
  let adminToken: string;
  const kinds = { thriller: [] as string[], comedy: [] as string[], cartoon: [] as string[] };
  const kindOf = new Map<string, keyof typeof kinds>();

  const member = (name: string, isKids = false) => newMember(api, name, { isKids });
  const rate = (m: EdgeMember, contentId: string, rating: number) => rateTitle(api, m, contentId, rating);
  const recommendationsOf = async (m: EdgeMember, limit = 10) =>
    ok(await api("GET", `/api/v1/profile/${m.profile}/recommendations?limit=${limit}`, { token: m.token, profile: m.profile })).recommendations as Card[];

  beforeAll(async () => {
    mesh = await startMeshProcess({ portOffset: 3_700, env: { CINEMESH_ADMIN_EMAIL: admin.email, CINEMESH_ADMIN_PASSWORD: admin.password, LOG_LEVEL: "warn" } });
    api = edgeApi(mesh.edgeUrl);
    adminToken = ok(await api("POST", "/api/v1/auth/login", { body: admin })).token;
    const create = async (kind: keyof typeof kinds, i: number, body: Record<string, unknown>) => {
      const title = `${kind[0]!.toUpperCase()}${kind.slice(1)} ${i}`;
      const { contentId } = ok(await api("POST", "/api/v1/admin/content", { token: adminToken, body: { title, type: "MOVIE", releaseYear: 2010 + i, language: "en", publish: true, thumbnailUrl: `https://img.test/${kind}-${i}.jpg`, ...body } }));
      kinds[kind].push(contentId);
      kindOf.set(contentId, kind);
    };
    for (let i = 0; i < 8; i++) await create("thriller", i, { genres: ["Thriller"], rating: "R", director: "Kathryn Bigelow" });
    for (let i = 0; i < 8; i++) await create("comedy", i, { genres: ["Comedy"], rating: "PG_13", director: "Nora Ephron" });
    for (let i = 0; i < 4; i++) await create("cartoon", i, { genres: ["Animation", "Family"], rating: "G" });

    // A crowd whose members each love one kind: what co-watching learns from.
    const crowd = await Promise.all(Array.from({ length: 6 }, (_, c) => member(`Fan${c}`)));
    let ratings = 0;
    for (const [c, fan] of crowd.entries()) {
      const kind = c % 2 === 0 ? kinds.thriller : kinds.comedy;
      for (let k = 0; k < 4; k++, ratings++) await rate(fan, kind[(c + k * 2) % kind.length]!, 5);
    }
    await vi.waitFor(async () => {
      const rebuilt = ok(await api("POST", "/api/v1/admin/recommendations/rebuild", { token: adminToken, body: {} }));
      expect(rebuilt.titleCount).toBeGreaterThanOrEqual(20);
      expect(rebuilt.interactionCount).toBeGreaterThanOrEqual(ratings);
    }, SETTLE);
  });
  afterAll(async () => {
    await mesh?.stop();
  });

  it("gives two profiles with different tastes different lists that say why and leave out what they rated", async () => {
    const [alex, sam] = [await member("Alex"), await member("Sam")];
    await rate(alex, kinds.thriller[0]!, 5);
    await rate(alex, kinds.thriller[1]!, 4);
    await rate(sam, kinds.comedy[0]!, 5);
    ok(await api("POST", `/api/v1/profile/${sam.profile}/my-list`, { token: sam.token, profile: sam.profile, body: { contentId: kinds.comedy[1] } }));

    await vi.waitFor(async () => {
      const [forAlex, forSam] = [await recommendationsOf(alex), await recommendationsOf(sam)];
      expect(forAlex.slice(0, 3).map((r) => kindOf.get(r.contentId))).toEqual(["thriller", "thriller", "thriller"]);
      expect(forSam.slice(0, 3).map((r) => kindOf.get(r.contentId))).toEqual(["comedy", "comedy", "comedy"]);
      expect(forAlex.map((r) => r.contentId)).not.toContain(kinds.thriller[0]);
      expect(forAlex.map((r) => r.contentId)).not.toContain(kinds.thriller[1]);
      expect(forSam.map((r) => r.contentId)).not.toContain(kinds.comedy[1]);
      expect(forAlex[0]!.reason).toMatch(/^Because you rated Thriller [01] highly$/);
      expect(forSam.some((r) => /^Because you (rated Comedy 0 highly|added Comedy 1 to My List)$/.test(r.reason))).toBe(true);
      // The seed's shape (seeds/000 §4.6).
      expect(forAlex[0]).toMatchObject({ contentId: expect.any(String), title: expect.stringMatching(/^Thriller \d$/), thumbnailUrl: expect.stringMatching(/^https:\/\/img\.test\/thriller-\d\.jpg$/), score: 1 });
    }, SETTLE);

    const rows = ok(await api("GET", `/api/v1/profile/${alex.profile}/because-you-watched?rows=2&limit=4`, { token: alex.token, profile: alex.profile })).rows;
    expect(rows.map((r: { sourceTitle: string }) => r.sourceTitle).sort()).toEqual(["Thriller 0", "Thriller 1"]);
  });

  it("never shows a kids profile anything above its cap", async () => {
    const kid = await member("Kit", true);
    await rate(kid, kinds.cartoon[0]!, 5);
    await vi.waitFor(async () => {
      const list = await recommendationsOf(kid, 50);
      expect(list.map((r) => r.contentId).sort()).toEqual(kinds.cartoon.slice(1).sort());
    }, SETTLE);
    expect((await api("GET", `/api/v1/content/${kinds.thriller[0]}/similar`, { token: kid.token, profile: kid.profile })).status).toBe(404);
  });

  it("answers \"more like this\" for a thriller with thrillers", async () => {
    const viewer = await member("Vic");
    const similar = ok(await api("GET", `/api/v1/content/${kinds.thriller[2]}/similar?limit=6`, { token: viewer.token, profile: viewer.profile }));
    expect(similar.sourceTitle).toBe("Thriller 2");
    const alike = (similar.recommendations as Card[]).map((r) => kindOf.get(r.contentId));
    expect(alike).toHaveLength(6);
    expect(alike.filter((k) => k === "thriller").length).toBeGreaterThanOrEqual(5);
  });

  it("imports MovieLens users and their ratings with the importer, once however often it runs", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cinemesh-ratings-"));
    try {
      await writeFile(path.join(dir, "movies.csv"), "movieId,title,genres\n1,Heat (1995),Action|Crime|Thriller\n2,Sabrina (1995),Comedy|Romance\n3,Casino (1995),Crime|Drama\n");
      await writeFile(path.join(dir, "ratings.csv"), "userId,movieId,rating,timestamp\n7,1,5.0,964982703\n7,3,3.5,964982931\n8,2,0.5,964983000\n8,9,4.0,964983001\n9,1,4.2,1\n");
      const importer = () =>
        run(process.execPath, ["dist/tools/catalog-import/main.js", dir, "--edge", mesh.edgeUrl, "--password", "MovieLens-passw0rd"], {
          env: { ...process.env, CINEMESH_ADMIN_EMAIL: admin.email, CINEMESH_ADMIN_PASSWORD: admin.password },
        }).then((r) => ({ ...r, code: 0 }), (err: { stdout: string; stderr: string; code: number }) => err);
      const first = await importer();
      // The bad row (4.2 stars) is skipped and reported; exit code 3 says only bad rows were left out.
      expect(first.code, first.stdout + first.stderr).toBe(3);
      expect(first.stderr).toContain("ratings.csv:6: skipped: rating \"4.2\" is not 0.5-5 in steps of 0.5");
      expect(first.stdout).toContain("users: created 2, already there 0, failed 0");
      expect(first.stdout).toContain("ratings: imported 3, unchanged 0, of titles not imported 1, bad rows 1");

      const mapping = (await readFile(path.join(dir, "cinemesh-mapping.csv"), "utf8")).trim().split("\n").map((l) => l.split(","));
      const user7 = mapping.find((row) => row[0] === "movielens-user" && row[1] === "7")!;
      expect(user7[3]).toBe("movielens-7@movielens.cinemesh.test");
      const heat = mapping.find((row) => row[0] === "movielens" && row[1] === "1")![2]!;
      const casino = mapping.find((row) => row[0] === "movielens" && row[1] === "3")![2]!;
      // The member signs in with the password and finds its ratings on 1-5 stars (3.5 became 4).
      const { token } = ok(await api("POST", "/api/v1/auth/login", { body: { email: user7[3], password: "MovieLens-passw0rd" } }));
      const member = { token, profile: user7[4]! };
      expect(ok(await api("GET", `/api/v1/content/${heat}/rating`, { token, profile: member.profile }))).toMatchObject({ userRating: 5 });
      expect(ok(await api("GET", `/api/v1/content/${casino}/rating`, { token, profile: member.profile }))).toMatchObject({ userRating: 4 });
      // Its ratings reach its recommendations: what it rated is never recommended back.
      await vi.waitFor(async () => {
        const list = await recommendationsOf(member, 50);
        expect(list.length).toBeGreaterThan(0);
        expect(list.map((r) => r.contentId)).not.toContain(heat);
        expect(list.map((r) => r.contentId)).not.toContain(casino);
      }, SETTLE);

      const second = await importer();
      expect(second.stdout).toContain("users: created 0, already there 2, failed 0");
      expect(second.stdout).toContain("ratings: imported 0, unchanged 3");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
