import { randomUUID } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MaturityRating } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { ContentRemovedSchema } from "../../gen/cinemesh/events/v1/catalog_events_pb.js";
import { MyListItemAddedSchema, MyListItemRemovedSchema } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import { LibraryService } from "../../gen/cinemesh/library/v1/library_pb.js";
import type { Consumer } from "../../platform/events/bus.js";
import { startService } from "../../platform/host/run-service.js";
import { libraryService } from "./service.js";
import { startTestMesh, type FakeProfile, type TestMesh } from "../../platform/testing/test-mesh.js";

/** How long `vi.waitFor` waits for what happens asynchronously (events, trailing writes). */
const SETTLE = { timeout: 15_000, interval: 50 };

/**
 * My List over real gRPC, on the engines the environment names (else embedded), with tiny
 * identity and catalog hosts in front of the library service.
 */
describe("library service: My List", () => {
  let mesh: TestMesh;
  let stop: () => Promise<void>;
  let library: Client<typeof LibraryService>;
  const consumers: Consumer[] = [];
  /** `added:<profile>:<content>` / `removed:<profile>:<content>`, in arrival order. */
  const announced: string[] = [];

  beforeAll(async () => {
    mesh = await startTestMesh("library");
    const started = await startService(libraryService, mesh.env);
    stop = started.stop;
    library = createClient(LibraryService, createGrpcTransport({ baseUrl: started.host.url }));
    consumers.push(
      await mesh.events.subscribe("test-added", MyListItemAddedSchema, async (e) => void announced.push(`added:${e.profileId}:${e.contentId}`)),
      await mesh.events.subscribe("test-removed", MyListItemRemovedSchema, async (e) => void announced.push(`removed:${e.profileId}:${e.contentId}`)),
    );
  });
  afterAll(async () => {
    for (const c of consumers) await c.stop();
    await stop?.();
    await mesh?.close();
  });

  const owner = async (p: FakeProfile) => ({ headers: await mesh.headers(p.userId) });
  const listOf = async (p: FakeProfile, page = 0, limit = 0) => library.getMyList({ profileId: p.profileId, page, limit }, await owner(p));
  const idsOf = async (p: FakeProfile) => (await listOf(p)).content.map((i) => i.contentId);
  const publishContentRemoved = async (contentId: string) => {
    const event = create(ContentRemovedSchema, { meta: mesh.events.meta(), contentId, deleted: true });
    await mesh.bus.publish(mesh.events.subjectOf(ContentRemovedSchema), toBinary(ContentRemovedSchema, event), { msgId: event.meta!.eventId });
  };

  it("adds a title once (keeping the first addedAt) and lists newest first, with the catalog's title and thumbnail", async () => {
    const p = mesh.addProfile(randomUUID());
    const [heat, ronin] = [mesh.addTitle(), mesh.addTitle()];
    expect(await library.addToMyList({ profileId: p.profileId, contentId: heat.contentId }, await owner(p))).toEqual(expect.objectContaining({ success: true }));
    const first = (await listOf(p)).content[0];
    await library.addToMyList({ profileId: p.profileId, contentId: ronin.contentId }, await owner(p));
    await library.addToMyList({ profileId: p.profileId, contentId: heat.contentId }, await owner(p));

    const list = await listOf(p);
    expect(list.totalCount).toBe(2);
    // Each item carries the catalog's card, for rows that draw it (the home page).
    expect(list.content[0]!.content).toMatchObject({ contentId: ronin.contentId, title: ronin.title, thumbnailUrl: ronin.thumbnailUrl });
    expect(list.content.map((i) => [i.contentId, i.title, i.thumbnailUrl])).toEqual([
      [ronin.contentId, ronin.title, ronin.thumbnailUrl],
      [heat.contentId, heat.title, heat.thumbnailUrl],
    ]);
    const again = list.content[1];
    expect(again.listId).toBe(first.listId);
    expect(timestampDate(again.addedAt!)).toEqual(timestampDate(first.addedAt!));
  });

  it("pages with page and limit, newest first, and counts the whole list", async () => {
    const p = mesh.addProfile(randomUUID());
    const titles = Array.from({ length: 5 }, () => mesh.addTitle());
    for (const t of titles) await library.addToMyList({ profileId: p.profileId, contentId: t.contentId }, await owner(p));
    const newestFirst = titles.map((t) => t.contentId).reverse();
    const pages = [await listOf(p, 1, 2), await listOf(p, 2, 2), await listOf(p, 3, 2), await listOf(p, 4, 2)];
    expect(pages.map((pg) => pg.content.map((i) => i.contentId))).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4), []]);
    for (const pg of pages) expect(pg.totalCount).toBe(5);
    expect((await listOf(p)).content).toHaveLength(5);
  });

  it("removes a title idempotently", async () => {
    const p = mesh.addProfile(randomUUID());
    const [a, b] = [mesh.addTitle(), mesh.addTitle()];
    for (const t of [a, b]) await library.addToMyList({ profileId: p.profileId, contentId: t.contentId }, await owner(p));
    for (let i = 0; i < 2; i++) {
      expect(await library.removeFromMyList({ profileId: p.profileId, contentId: a.contentId }, await owner(p))).toEqual(expect.objectContaining({ success: true }));
    }
    expect(await idsOf(p)).toEqual([b.contentId]);
    await library.removeFromMyList({ profileId: p.profileId, contentId: randomUUID() }, await owner(p));
  });

  it("announces each add and remove through the outbox, once per change", async () => {
    const p = mesh.addProfile(randomUUID());
    const t = mesh.addTitle();
    const call = { profileId: p.profileId, contentId: t.contentId };
    await library.addToMyList(call, await owner(p));
    await library.addToMyList(call, await owner(p));
    await library.removeFromMyList(call, await owner(p));
    await library.removeFromMyList(call, await owner(p));
    await library.addToMyList(call, await owner(p));
    const key = `${p.profileId}:${t.contentId}`;
    await vi.waitFor(() => expect(announced.filter((e) => e.endsWith(key))).toHaveLength(3), SETTLE);
    // Added and removed arrive through separate consumers, so only each kind's count is ordered.
    expect(announced.filter((e) => e === `added:${key}`)).toHaveLength(2);
    expect(announced.filter((e) => e === `removed:${key}`)).toHaveLength(1);
  });

  it("takes a title the catalog removed out of every list (ContentRemoved), and a redelivery changes nothing", async () => {
    const [p, q] = [mesh.addProfile(randomUUID()), mesh.addProfile(randomUUID())];
    const [gone, kept] = [mesh.addTitle(), mesh.addTitle()];
    for (const who of [p, q]) for (const t of [gone, kept]) await library.addToMyList({ profileId: who.profileId, contentId: t.contentId }, await owner(who));

    mesh.titles.delete(gone.contentId);
    // Before the event is handled the list already hides it: titles are hydrated at read time.
    expect(await idsOf(p)).toEqual([kept.contentId]);
    await publishContentRemoved(gone.contentId);
    await vi.waitFor(async () => expect((await listOf(p)).totalCount).toBe(1), SETTLE);
    await vi.waitFor(async () => expect((await listOf(q)).totalCount).toBe(1), SETTLE);
    await publishContentRemoved(gone.contentId);
    await vi.waitFor(() => expect(announced.filter((e) => e.startsWith("removed:") && e.endsWith(gone.contentId))).toHaveLength(2), SETTLE);
    expect(await idsOf(q)).toEqual([kept.contentId]);

    // Events are handled and relayed in order: once a later removal is announced, the repeated
    // one has been handled too, and it announced nothing.
    const marker = mesh.addTitle();
    await library.addToMyList({ profileId: p.profileId, contentId: marker.contentId }, await owner(p));
    await publishContentRemoved(marker.contentId);
    await vi.waitFor(() => expect(announced).toContain(`removed:${p.profileId}:${marker.contentId}`), SETTLE);
    expect(announced.filter((e) => e.startsWith("removed:") && e.endsWith(gone.contentId))).toHaveLength(2);
    expect(await idsOf(p)).toEqual([kept.contentId]);
  });

  it("refuses bad input with a precise code and changes nothing", async () => {
    const user = randomUUID();
    const p = mesh.addProfile(user);
    const kids = mesh.addProfile(user, MaturityRating.TV_Y7);
    const stranger = mesh.addProfile(randomUUID());
    const [listed, adult] = [mesh.addTitle(), mesh.addTitle(MaturityRating.R)];
    await library.addToMyList({ profileId: p.profileId, contentId: listed.contentId }, await owner(p));
    await library.addToMyList({ profileId: stranger.profileId, contentId: listed.contentId }, await owner(stranger));
    const me = await owner(p);

    await expect(library.addToMyList({ profileId: p.profileId, contentId: randomUUID() }, me)).rejects.toMatchObject({ code: Code.NotFound, message: expect.stringContaining("content") });
    await expect(library.addToMyList({ profileId: kids.profileId, contentId: adult.contentId }, me)).rejects.toMatchObject({ code: Code.NotFound });
    await expect(library.addToMyList({ profileId: stranger.profileId, contentId: adult.contentId }, me)).rejects.toMatchObject({ code: Code.NotFound, message: expect.stringContaining("profile") });
    await expect(library.removeFromMyList({ profileId: stranger.profileId, contentId: listed.contentId }, me)).rejects.toMatchObject({ code: Code.NotFound });
    await expect(library.getMyList({ profileId: stranger.profileId }, me)).rejects.toMatchObject({ code: Code.NotFound });
    await expect(library.addToMyList({ profileId: randomUUID(), contentId: listed.contentId }, me)).rejects.toMatchObject({ code: Code.NotFound });
    await expect(library.addToMyList({ profileId: p.profileId, contentId: "heat" }, me)).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(library.getMyList({ profileId: p.profileId, limit: 101 }, me)).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(library.addToMyList({ profileId: p.profileId, contentId: adult.contentId })).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(library.removeFromMyList({ profileId: p.profileId, contentId: listed.contentId })).rejects.toMatchObject({ code: Code.Unauthenticated });
    await expect(library.getMyList({ profileId: p.profileId })).rejects.toMatchObject({ code: Code.Unauthenticated });

    expect(await idsOf(p)).toEqual([listed.contentId]);
    expect(await idsOf(kids)).toEqual([]);
    expect(await idsOf(stranger)).toEqual([listed.contentId]);
  });
});
