import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContentStatus, VideoStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentType, MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { movie, show } from "./testing/fixtures.js";
import { startCatalogHarness, type CatalogHarness } from "./testing/harness.js";
import { expectRefused } from "./testing/refused.js";

/** Admins shape the catalog: titles, seasons, episodes, markers; members read what is published. */
describe("catalog administration", () => {
  let h: CatalogHarness;
  beforeAll(async () => {
    h = await startCatalogHarness();
  });
  afterAll(() => h?.close());

  it("creates a published movie with its feature video; members read it flat as in the seed", async () => {
    const { contentId, content } = await h.admin.createContent(movie());
    expect(content).toMatchObject({ contentId, title: "Heat", status: ContentStatus.PUBLISHED, genres: ["Crime", "Drama"], cast: ["Al Pacino", "Robert De Niro"] });
    expect(content?.video).toMatchObject({ contentId, title: "Heat", status: VideoStatus.AWAITING_UPLOAD, durationSeconds: 0 });
    expect(content?.publishedAt).toBeDefined();

    const read = (await h.member.getContent({ contentId })).content!;
    expect(read).toMatchObject({
      contentId,
      type: ContentType.MOVIE,
      releaseYear: 1995,
      rating: MaturityRating.R,
      language: "en",
      director: "Michael Mann",
      durationMinutes: 170,
      thumbnailUrl: "https://img.example/heat.jpg",
    });
    expect(read.video?.videoId).toBe(content?.video?.videoId);
  });

  it("keeps drafts from members until published, and unpublishes", async () => {
    const { contentId, content } = await h.admin.createContent(movie({ title: "Draft", publish: false }));
    expect(content?.status).toBe(ContentStatus.DRAFT);
    expect(content?.publishedAt).toBeUndefined();
    await expect(h.member.getContent({ contentId })).rejects.toMatchObject({ code: Code.NotFound });
    expect((await h.admin.getContent({ contentId })).content?.status).toBe(ContentStatus.DRAFT);

    await h.admin.updateContent({ contentId, status: ContentStatus.PUBLISHED });
    expect((await h.member.getContent({ contentId })).content?.status).toBe(ContentStatus.PUBLISHED);
    await h.admin.updateContent({ contentId, status: ContentStatus.DRAFT });
    await expect(h.member.getContent({ contentId })).rejects.toMatchObject({ code: Code.NotFound });
  });

  it("changes only the fields that are set; empty URLs clear, clear_cast empties the cast", async () => {
    const { contentId } = await h.admin.createContent(movie({ backdropUrl: "https://img.example/wide.jpg" }));
    const { content } = await h.admin.updateContent({ contentId, title: "Heat (1995)", genres: ["Thriller"], backdropUrl: "", clearCast: true });
    expect(content).toMatchObject({
      title: "Heat (1995)",
      genres: ["Thriller"],
      backdropUrl: "",
      cast: [],
      director: "Michael Mann",
      description: movie().description,
      rating: MaturityRating.R,
    });
    // The movie's feature keeps the movie's name.
    expect(content?.video?.title).toBe("Heat (1995)");
    expect((await h.member.getContent({ contentId })).content).toMatchObject({ title: "Heat (1995)", genres: ["Thriller"], cast: [] });
  });

  it("keeps a title's original title and keywords; external ids are for admins", async () => {
    const externalIds = [
      { source: "movielens", id: "6" },
      { source: "imdb", id: "tt0113277" },
    ];
    const { contentId, content } = await h.admin.createContent(
      movie({ originalTitle: "Heat (Hitze)", keywords: ["heist", " Bank  robbery ", "HEIST", "los angeles"], externalIds }),
    );
    // Keywords are trimmed and kept once whatever their case, in the order given.
    const described = { originalTitle: "Heat (Hitze)", keywords: ["heist", "Bank robbery", "los angeles"] };
    expect(content).toMatchObject({ ...described, externalIds });
    expect((await h.admin.getContent({ contentId })).content).toMatchObject({ ...described, externalIds });
    const read = (await h.member.getContent({ contentId })).content!;
    expect(read).toMatchObject(described);
    expect(read.externalIds).toEqual([]);
    expect((await h.admin.listContent({})).content.find((c) => c.contentId === contentId)).toMatchObject({ externalIds });

    // An original title that is the title itself is no original title.
    const same = await h.admin.createContent(movie({ title: "Amélie", originalTitle: "Amélie" }));
    expect(same.content?.originalTitle).toBe("");
  });

  it("replaces keywords when given, clears them with clear_keywords, and changes the original title", async () => {
    const { contentId } = await h.admin.createContent(movie({ originalTitle: "Le Fabuleux Destin d'Amélie Poulain", title: "Amélie", keywords: ["paris"] }));
    const untouched = await h.admin.updateContent({ contentId, description: "Changed" });
    expect(untouched.content).toMatchObject({ originalTitle: "Le Fabuleux Destin d'Amélie Poulain", keywords: ["paris"] });

    const replaced = await h.admin.updateContent({ contentId, keywords: ["montmartre", "whimsy"], originalTitle: "Le Fabuleux Destin" });
    expect(replaced.content).toMatchObject({ originalTitle: "Le Fabuleux Destin", keywords: ["montmartre", "whimsy"] });
    expect((await h.member.getContent({ contentId })).content).toMatchObject({ originalTitle: "Le Fabuleux Destin", keywords: ["montmartre", "whimsy"] });

    const cleared = await h.admin.updateContent({ contentId, clearKeywords: true, originalTitle: "" });
    expect(cleared.content).toMatchObject({ originalTitle: "", keywords: [], title: "Amélie", description: "Changed" });
    expect((await h.member.getContent({ contentId })).content).toMatchObject({ originalTitle: "", keywords: [] });
  });

  it("adds seasons and episodes to a show, in order, creating a season an episode names", async () => {
    const { contentId } = await h.admin.createContent(show());
    const { season } = await h.admin.addSeason({ contentId, seasonNumber: 1, title: "Season 1", releaseYear: 2018 });
    expect(season).toMatchObject({ contentId, seasonNumber: 1, title: "Season 1", releaseYear: 2018, episodeCount: 0 });
    await h.admin.addEpisode({ contentId, seasonNumber: 1, episodeNumber: 2, title: "Hospital" });
    await h.admin.addEpisode({ contentId, seasonNumber: 1, episodeNumber: 1, title: "Magic Xylophone" });
    const { video } = await h.admin.addEpisode({ contentId, seasonNumber: 2, episodeNumber: 1, title: "Dance Mode" });
    expect(video).toMatchObject({ contentId, seasonNumber: 2, episodeNumber: 1, status: VideoStatus.AWAITING_UPLOAD });

    const content = (await h.member.getContent({ contentId })).content!;
    expect(content.seasons.map((s) => [s.seasonNumber, s.episodeCount])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(content.episodes.map((e) => [e.seasonNumber, e.episodeNumber, e.title])).toEqual([
      [1, 1, "Magic Xylophone"],
      [1, 2, "Hospital"],
      [2, 1, "Dance Mode"],
    ]);
    expect(content.video).toBeUndefined();
  });

  it("sets and replaces a video's intro and credits markers", async () => {
    const { content } = await h.admin.createContent(movie());
    const videoId = content!.video!.videoId;
    const { video } = await h.admin.setVideoMarkers({ videoId, markers: { introStartSeconds: 10, introEndSeconds: 70, creditsStartSeconds: 9000 } });
    expect(video?.markers).toMatchObject({ introStartSeconds: 10, introEndSeconds: 70, creditsStartSeconds: 9000 });
    expect(video?.markers?.creditsEndSeconds).toBeUndefined();
    const after = (await h.member.getContent({ contentId: content!.contentId })).content!;
    expect(after.video?.markers).toMatchObject({ introStartSeconds: 10, introEndSeconds: 70 });
    await h.admin.setVideoMarkers({ videoId, markers: {} });
    expect((await h.member.getContent({ contentId: content!.contentId })).content?.video?.markers).toBeUndefined();
  });

  it("stores SQL and HTML in text verbatim and returns it unchanged", async () => {
    const nasty = `Robert'); DROP TABLE content;-- <script>alert(1)</script>`;
    const before = (await h.admin.listContent({})).totalCount;
    const { contentId } = await h.admin.createContent(
      movie({ title: nasty, description: `"; DELETE FROM videos; --`, genres: [`<b>Noir</b>`], cast: [nasty], director: "O'Brien \\ %_" }),
    );
    const read = (await h.member.getContent({ contentId })).content!;
    expect(read).toMatchObject({ title: nasty, description: `"; DELETE FROM videos; --`, genres: ["<b>Noir</b>"], cast: [nasty], director: "O'Brien \\ %_" });
    expect((await h.member.listByCategory({ category: "<b>Noir</b>" })).content.map((c) => c.title)).toEqual([nasty]);
    const listed = await h.admin.listContent({});
    expect(listed.totalCount).toBe(before + 1);
    // Most recently updated first: the new title heads the admin list, as typed.
    expect(listed.content[0]).toMatchObject({ contentId, title: nasty });
  });

  it("deletes a title with its seasons and videos: gone for everyone", async () => {
    const { contentId } = await h.admin.createContent(show());
    const { video } = await h.admin.addEpisode({ contentId, seasonNumber: 1, episodeNumber: 1, title: "Pilot" });
    expect((await h.member.getContent({ contentId })).content?.episodes).toHaveLength(1);
    expect(await h.admin.deleteContent({ contentId })).toMatchObject({ success: true });
    await expect(h.member.getContent({ contentId })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(h.admin.getContent({ contentId })).rejects.toMatchObject({ code: Code.NotFound });
    await expect(h.admin.getVideo({ videoId: video!.videoId })).rejects.toMatchObject({ code: Code.NotFound });
    const left = await h.pool.query(`SELECT (SELECT count(*) FROM catalog.seasons WHERE content_id = $1) + (SELECT count(*) FROM catalog.videos WHERE content_id = $1) AS n`, [
      contentId,
    ]);
    expect(Number(left.rows[0].n)).toBe(0);
  });

  describe("refuses bad calls with a precise code, and changes nothing", () => {
    const NOBODY = "00000000-0000-4000-8000-000000000000";
    let movieId: string;
    let movieVideoId: string;
    let showId: string;

    beforeAll(async () => {
      const m = await h.admin.createContent(movie({ title: "Fixture movie" }));
      movieId = m.contentId;
      movieVideoId = m.content!.video!.videoId;
      showId = (await h.admin.createContent(show({ title: "Fixture show" }))).contentId;
      await h.admin.addEpisode({ contentId: showId, seasonNumber: 1, episodeNumber: 1, title: "Pilot" });
    });

    const refused = (call: () => Promise<unknown>, code: Code, message?: RegExp) => expectRefused(h, call, code, message);

    it("NOT_FOUND for unknown ids", async () => {
      await refused(() => h.member.getContent({ contentId: NOBODY }), Code.NotFound, /content 0{8}-.* not found/);
      await refused(() => h.admin.updateContent({ contentId: NOBODY, title: "x" }), Code.NotFound);
      await refused(() => h.admin.deleteContent({ contentId: NOBODY }), Code.NotFound);
      await refused(() => h.admin.addSeason({ contentId: NOBODY, seasonNumber: 1 }), Code.NotFound);
      await refused(() => h.admin.addEpisode({ contentId: NOBODY, seasonNumber: 1, episodeNumber: 1, title: "x" }), Code.NotFound);
      await refused(() => h.admin.setVideoMarkers({ videoId: NOBODY, markers: {} }), Code.NotFound);
      await refused(() => h.member.getVideo({ videoId: NOBODY }), Code.NotFound);
      expect((await h.member.batchGetContent({ contentIds: [NOBODY, movieId] })).contents.map((c) => c.contentId)).toEqual([movieId]);
    });

    it("PERMISSION_DENIED for a member calling an admin RPC", async () => {
      const m = h.member;
      await refused(() => m.createContent(movie()), Code.PermissionDenied, /admin/);
      await refused(() => m.updateContent({ contentId: movieId, title: "Mine now" }), Code.PermissionDenied);
      await refused(() => m.deleteContent({ contentId: movieId }), Code.PermissionDenied);
      await refused(() => m.addSeason({ contentId: showId, seasonNumber: 2 }), Code.PermissionDenied);
      await refused(() => m.addEpisode({ contentId: showId, seasonNumber: 1, episodeNumber: 9, title: "x" }), Code.PermissionDenied);
      await refused(() => m.setVideoMarkers({ videoId: movieVideoId, markers: { introStartSeconds: 1, introEndSeconds: 2 } }), Code.PermissionDenied);
      await refused(() => m.listContent({}), Code.PermissionDenied);
      await refused(() => m.ensureVideo({ contentId: showId, seasonNumber: 3, episodeNumber: 1 }), Code.PermissionDenied);
    });

    it("UNAUTHENTICATED without a token", async () => {
      const a = h.anonymous;
      await refused(() => a.createContent(movie()), Code.Unauthenticated);
      await refused(() => a.updateContent({ contentId: movieId, title: "x" }), Code.Unauthenticated);
      await refused(() => a.deleteContent({ contentId: movieId }), Code.Unauthenticated);
      await refused(() => a.addEpisode({ contentId: showId, seasonNumber: 1, episodeNumber: 9, title: "x" }), Code.Unauthenticated);
      await refused(() => a.getContent({ contentId: movieId }), Code.Unauthenticated);
      await refused(() => a.listGenres({}), Code.Unauthenticated);
    });

    it("INVALID_ARGUMENT for oversized or malformed fields, naming the field", async () => {
      await refused(() => h.admin.createContent(movie({ title: "x".repeat(501) })), Code.InvalidArgument, /title/);
      await refused(() => h.admin.createContent(movie({ description: "x".repeat(10_001) })), Code.InvalidArgument, /description/);
      await refused(() => h.admin.createContent(movie({ genres: ["x".repeat(51)] })), Code.InvalidArgument, /genres/);
      await refused(() => h.admin.createContent(movie({ cast: ["x".repeat(201)] })), Code.InvalidArgument, /cast/);
      await refused(() => h.admin.createContent(movie({ genres: [] })), Code.InvalidArgument, /genres/);
      await refused(() => h.admin.createContent(movie({ thumbnailUrl: "javascript alert(1)" })), Code.InvalidArgument, /thumbnail_url/);
      await refused(() => h.admin.createContent(movie({ language: "english please" })), Code.InvalidArgument, /language/);
      await refused(() => h.admin.createContent(movie({ releaseYear: 1500 })), Code.InvalidArgument, /release_year/);
      await refused(() => h.admin.createContent(movie({ genres: ["???"] })), Code.InvalidArgument, /letter or a digit/);
      await refused(() => h.admin.createContent(movie({ title: "nul\u0000byte" })), Code.InvalidArgument, /NUL/);
      await refused(() => h.admin.updateContent({ contentId: movieId, title: "y".repeat(501) }), Code.InvalidArgument, /title/);
      await refused(() => h.admin.updateContent({ contentId: movieId, cast: ["A"], clearCast: true }), Code.InvalidArgument, /clear_cast/);
      await refused(() => h.admin.createContent(movie({ originalTitle: "x".repeat(501) })), Code.InvalidArgument, /original_title/);
      await refused(() => h.admin.createContent(movie({ keywords: Array.from({ length: 101 }, (_, i) => `k${i}`) })), Code.InvalidArgument, /keywords/);
      await refused(() => h.admin.createContent(movie({ keywords: ["x".repeat(101)] })), Code.InvalidArgument, /keywords/);
      await refused(() => h.admin.createContent(movie({ keywords: [""] })), Code.InvalidArgument, /keywords/);
      await refused(() => h.admin.createContent(movie({ keywords: ["ok", "   "] })), Code.InvalidArgument, /keywords.*blank/);
      await refused(() => h.admin.updateContent({ contentId: movieId, originalTitle: "y".repeat(501) }), Code.InvalidArgument, /original_title/);
      await refused(() => h.admin.updateContent({ contentId: movieId, keywords: ["x".repeat(101)] }), Code.InvalidArgument, /keywords/);
      await refused(() => h.admin.updateContent({ contentId: movieId, keywords: ["a"], clearKeywords: true }), Code.InvalidArgument, /clear_keywords/);
      await refused(() => h.member.getContent({ contentId: "1; DROP TABLE content" }), Code.InvalidArgument, /content_id/);
      await refused(() => h.member.listByCategory({ category: "Drama", limit: 101 }), Code.InvalidArgument, /limit/);
      await refused(() => h.member.listByCategory({ category: "Drama", sortBy: "random()" }), Code.InvalidArgument, /sort_by/);
      await refused(
        () => h.admin.setVideoMarkers({ videoId: movieVideoId, markers: { introStartSeconds: 70, introEndSeconds: 10 } }),
        Code.InvalidArgument,
        /before/,
      );
    });

    it("FAILED_PRECONDITION for seasons or episodes on a movie", async () => {
      await refused(() => h.admin.addEpisode({ contentId: movieId, seasonNumber: 1, episodeNumber: 1, title: "x" }), Code.FailedPrecondition, /movie/);
      await refused(() => h.admin.addSeason({ contentId: movieId, seasonNumber: 1 }), Code.FailedPrecondition, /movie/);
      await refused(() => h.admin.ensureVideo({ contentId: movieId, seasonNumber: 1, episodeNumber: 1 }), Code.FailedPrecondition, /movie/);
    });

    it("ALREADY_EXISTS for a taken episode or season number", async () => {
      await refused(
        () => h.admin.addEpisode({ contentId: showId, seasonNumber: 1, episodeNumber: 1, title: "Pilot again" }),
        Code.AlreadyExists,
        /episode 1 of season 1/,
      );
      await refused(() => h.admin.addSeason({ contentId: showId, seasonNumber: 1 }), Code.AlreadyExists, /season 1/);
    });
  });
});
