import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../platform/storage/migrate.js";
import { createPool } from "../../platform/storage/postgres.js";
import { openTestDatabase, type TestDatabase } from "../../platform/storage/testing/test-database.js";
import { createPostgresSignalStore } from "./store-postgres.js";
import type { CompletionSignal, ProgressSignal, SignalStore } from "./store.js";

const SCHEMA = "recommendation";

/** The watch signal store on Postgres at DATABASE_URL, else embedded: every order of the same events gives one row. */
describe("signal store", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: SignalStore;

  beforeAll(async () => {
    db = await openTestDatabase(process.env.DATABASE_URL ? "DATABASE_URL" : "embedded");
    await migrate({ connection: db.url, schema: SCHEMA, dir: fileURLToPath(new URL("./migrations/", import.meta.url)) });
    pool = createPool(db.url, { max: 4 });
    store = createPostgresSignalStore(pool, SCHEMA);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  type Signal = { kind: "progress"; signal: Omit<ProgressSignal, "profileId"> } | { kind: "completion"; signal: Omit<CompletionSignal, "profileId"> };
  const apply = (profileId: string, e: Signal) =>
    e.kind === "progress" ? store.recordProgress({ ...e.signal, profileId }) : store.recordCompletion({ ...e.signal, profileId });
  const at = (minute: number) => new Date(Date.UTC(2031, 2, 4, 20, minute));
  const [content, episode1, episode2] = [randomUUID(), randomUUID(), randomUUID()];
  const progress = (minute: number, videoId: string, positionSeconds: number): Signal => ({
    kind: "progress",
    signal: { eventId: randomUUID(), occurredAt: at(minute), contentId: content, videoId, positionSeconds, durationSeconds: 3000, progress: positionSeconds / 3000 },
  });
  const completion = (minute: number, videoId: string): Signal => ({ kind: "completion", signal: { eventId: randomUUID(), occurredAt: at(minute), contentId: content, videoId } });

  it("keeps the newest progress and completion whatever order the events arrive in, and however often", async () => {
    // Episode 1 played and finished, then episode 2 started.
    const history = [progress(1, episode1, 600), progress(20, episode1, 2400), completion(30, episode1), progress(40, episode2, 300)];
    const rows = [];
    for (const order of permutations(history)) {
      const profileId = randomUUID();
      // Each event twice (at-least-once delivery), the repeat after everything else.
      for (const e of [...order, ...order]) await apply(profileId, e);
      rows.push(await store.signalsOf(profileId, 10));
    }
    expect(rows).toHaveLength(24);
    for (const row of rows) {
      expect(row).toEqual([
        expect.objectContaining({
          contentId: content,
          lastWatchedAt: at(40),
          lastProgress: { videoId: episode2, positionSeconds: 300, durationSeconds: 3000, progress: 0.1, at: at(40) },
          completed: true,
          lastCompletion: { videoId: episode1, at: at(30) },
        }),
      ]);
    }
  });

  it("settles events of the same instant the same way in either order", async () => {
    const [a, b] = [progress(5, episode1, 100), progress(5, episode1, 200)];
    const [first, second] = [randomUUID(), randomUUID()];
    for (const e of [a, b]) await apply(first, e);
    for (const e of [b, a]) await apply(second, e);
    const [x, y] = [(await store.signalsOf(first, 1))[0], (await store.signalsOf(second, 1))[0]];
    expect(x.lastProgress).toEqual(y.lastProgress);
  });

  it("knows a title from its completion alone, and lists a profile's titles most recently watched first", async () => {
    const profileId = randomUUID();
    const older = randomUUID();
    await store.recordCompletion({ eventId: randomUUID(), occurredAt: at(50), profileId, contentId: content, videoId: episode1 });
    await store.recordProgress({ eventId: randomUUID(), occurredAt: at(10), profileId, contentId: older, videoId: randomUUID(), positionSeconds: 60, durationSeconds: 600, progress: 0.1 });
    const signals = await store.signalsOf(profileId, 10);
    expect(signals.map((s) => s.contentId)).toEqual([content, older]);
    expect(signals[0]).toEqual({ profileId, contentId: content, lastWatchedAt: at(50), lastProgress: undefined, completed: true, lastCompletion: { videoId: episode1, at: at(50) } });
    expect(signals[1]).toMatchObject({ completed: false, lastCompletion: undefined });
    expect(await store.signalsOf(profileId, 1)).toHaveLength(1);
  });

  it("keeps the newest rating and My List state whatever the order, and reads them as the profile's taste", async () => {
    const [profileId, rated, listed, dropped] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const rating = (minute: number, stars: number) => ({ eventId: randomUUID(), occurredAt: at(minute), profileId, contentId: rated, stars });
    const list = (minute: number, contentId: string, isListed: boolean) => ({ eventId: randomUUID(), occurredAt: at(minute), profileId, contentId, listed: isListed });
    // Arrival order: the newest first, then the older ones, each twice.
    for (const r of [rating(30, 2), rating(10, 5), rating(10, 5)]) await store.recordRating(r);
    for (const m of [list(20, listed, true), list(5, listed, false), list(25, dropped, false), list(15, dropped, true)]) await store.recordMyList(m);
    await store.recordCompletion({ eventId: randomUUID(), occurredAt: at(8), profileId, contentId: rated, videoId: randomUUID() });

    const taste = (await store.tasteOf(profileId, at(40))).sort((a, b) => a.at - b.at);
    expect(taste).toEqual([
      // Finished, but the newest word on it is two stars: a dislike.
      { profileId, contentId: listed, weight: 0.5, kind: "listed", at: at(20).getTime() },
      { profileId, contentId: rated, weight: -0.6, kind: "rated", at: at(30).getTime() },
    ]);
    expect((await store.allInteractions(at(40))).filter((i) => i.profileId === profileId)).toHaveLength(2);
  });

  it("counts an abandoned start against a title only once the profile has stayed away for days", async () => {
    const [profileId, contentId] = [randomUUID(), randomUUID()];
    await store.recordProgress({ eventId: randomUUID(), occurredAt: at(0), profileId, contentId, videoId: randomUUID(), positionSeconds: 60, durationSeconds: 6000, progress: 0.01 });
    expect(await store.tasteOf(profileId, at(30))).toEqual([]);
    expect(await store.tasteOf(profileId, new Date(at(0).getTime() + 4 * 24 * 3600_000))).toEqual([expect.objectContaining({ contentId, weight: -0.3 })]);
  });

  it("keeps the newest catalog version of a title, and forgets a removed one's features and card", async () => {
    const contentId = randomUUID();
    const published = (version: number, title: string) => ({
      contentId,
      version,
      published: {
        features: { contentId, title, genres: ["Drama"], cast: [], director: "", keywords: [], releaseYear: 2001, language: "en", minAge: 13 },
        card: { title, thumbnailUrl: "", backdropUrl: "", type: "MOVIE" as const, rating: "PG_13", releaseYear: 2001, genres: ["Drama"], averageRating: 0, durationMinutes: 90, description: "" },
      },
    });
    await store.recordTitle(published(2, "New"));
    await store.recordTitle(published(1, "Old"));
    expect((await store.cards([contentId])).get(contentId)?.title).toBe("New");
    expect((await store.publishedTitles()).filter((t) => t.features.contentId === contentId).map((t) => t.features.title)).toEqual(["New"]);
    await store.recordTitle({ contentId, version: 3 });
    await store.recordTitle(published(2, "New"));
    expect(await store.cards([contentId])).toEqual(new Map());
    expect((await store.publishedTitles()).some((t) => t.features.contentId === contentId)).toBe(false);
  });
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
