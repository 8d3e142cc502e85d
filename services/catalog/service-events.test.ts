import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ContentStatus } from "../../gen/cinemesh/catalog/v1/catalog_types_pb.js";
import { ContentPublishedSchema, ContentRemovedSchema, ContentUpdatedSchema } from "../../gen/cinemesh/events/v1/catalog_events_pb.js";
import type { Bus, Consumer } from "../../platform/events/bus.js";
import { DomainEvents } from "../../platform/events/domain-events.js";
import { openBus } from "../../platform/storage/select.js";
import { movie, show } from "./testing/fixtures.js";
import { startCatalogHarness, type CatalogHarness } from "./testing/harness.js";

/** What happened to a title, as an event consumer sees it. */
type Seen = { kind: "published" | "updated" | "removed"; contentId: string; changed?: string[]; deleted?: boolean; episodes?: number };

/**
 * Content events are written to the outbox in the transaction of the change and relayed to the bus
 * (NATS when NATS_URL is set, else the Postgres bus): a consumer learns what members can see.
 */
describe("content events", () => {
  let h: CatalogHarness;
  let bus: Bus;
  const consumers: Consumer[] = [];
  const consumed: Seen[] = [];

  beforeAll(async () => {
    h = await startCatalogHarness();
    bus = await openBus(h.env, h.pool, { service: "catalog-events-test" });
    const events = new DomainEvents(h.namespace, "test", async () => bus);
    consumers.push(
      await events.subscribe("test-published", ContentPublishedSchema, async (e) => {
        consumed.push({ kind: "published", contentId: e.content!.contentId, episodes: e.content!.episodes.length });
      }),
      await events.subscribe("test-updated", ContentUpdatedSchema, async (e) => {
        consumed.push({ kind: "updated", contentId: e.content!.contentId, changed: e.changedFields, episodes: e.content!.episodes.length });
      }),
      await events.subscribe("test-removed", ContentRemovedSchema, async (e) => {
        consumed.push({ kind: "removed", contentId: e.contentId, deleted: e.deleted });
      }),
    );
  });
  afterAll(async () => {
    for (const c of consumers) await c.stop();
    await bus?.close();
    await h?.close();
  });

  /** The title's events in the outbox, in commit order. */
  const outbox = async (contentId: string): Promise<Seen[]> => {
    const schemas: Record<string, DescMessage> = {
      content_published: ContentPublishedSchema,
      content_updated: ContentUpdatedSchema,
      content_removed: ContentRemovedSchema,
    };
    const rows = await h.pool.query(`SELECT subject, payload, event_id FROM catalog.outbox ORDER BY id`);
    return rows.rows.flatMap((r): Seen[] => {
      expect(r.subject.startsWith(`${h.namespace}.events.catalog.`)).toBe(true);
      const name = r.subject.split(".").pop()!;
      const e = fromBinary(schemas[name], r.payload) as Record<string, any>;
      expect(e.meta).toMatchObject({ eventId: r.event_id, producer: "catalog", correlationId: expect.any(String) });
      expect(e.meta.correlationId).not.toBe("");
      const seen: Seen =
        name === "content_removed"
          ? { kind: "removed", contentId: e.contentId, deleted: e.deleted }
          : name === "content_published"
            ? { kind: "published", contentId: e.content.contentId, episodes: e.content.episodes.length }
            : { kind: "updated", contentId: e.content.contentId, changed: e.changedFields, episodes: e.content.episodes.length };
      return seen.contentId === contentId ? [seen] : [];
    });
  };

  it("announces what members can see change: published, updated (with the fields), removed", async () => {
    const { contentId } = await h.admin.createContent(show({ title: "Eventful", publish: false }));
    await h.admin.addSeason({ contentId, seasonNumber: 1 });
    expect(await outbox(contentId)).toEqual([]);

    await h.admin.updateContent({ contentId, status: ContentStatus.PUBLISHED });
    await h.admin.addEpisode({ contentId, seasonNumber: 1, episodeNumber: 1, title: "One" });
    await h.admin.addEpisode({ contentId, seasonNumber: 2, episodeNumber: 1, title: "Two" });
    await h.admin.updateContent({ contentId, title: "Eventful!", director: "Someone" });
    await h.admin.updateContent({ contentId, title: "Eventful!" });
    await h.admin.updateContent({ contentId, status: ContentStatus.DRAFT });
    await h.admin.addEpisode({ contentId, seasonNumber: 2, episodeNumber: 2, title: "Quiet" });
    await h.admin.deleteContent({ contentId });

    const expected: Seen[] = [
      { kind: "published", contentId, episodes: 0 },
      { kind: "updated", contentId, changed: ["episodes"], episodes: 1 },
      { kind: "updated", contentId, changed: ["seasons", "episodes"], episodes: 2 },
      { kind: "updated", contentId, changed: ["title", "director"], episodes: 2 },
      { kind: "removed", contentId, deleted: false },
      { kind: "removed", contentId, deleted: true },
    ];
    expect(await outbox(contentId)).toEqual(expected);
    await vi.waitFor(() => expect(consumed.filter((e) => e.contentId === contentId)).toHaveLength(expected.length), { timeout: 20_000, interval: 50 });
    const byKind = (kind: Seen["kind"], list: Seen[]) => list.filter((e) => e.kind === kind);
    const mine = consumed.filter((e) => e.contentId === contentId);
    for (const kind of ["published", "updated", "removed"] as const) expect(byKind(kind, mine)).toEqual(byKind(kind, expected));
  });

  it("announces a title created published, with the change in the same transaction", async () => {
    const { contentId } = await h.admin.createContent(movie({ title: "Straight to streaming" }));
    expect(await outbox(contentId)).toEqual([{ kind: "published", contentId, episodes: 0 }]);
    await vi.waitFor(() => expect(consumed).toContainEqual({ kind: "published", contentId, episodes: 0 }), { timeout: 20_000, interval: 50 });
  });

  it("carries the original title, keywords and external ids, and names them when they change", async () => {
    const externalIds = [{ source: "movielens", id: "events-1" }];
    const { contentId } = await h.admin.createContent(movie({ title: "Searchable", originalTitle: "Trouvable", keywords: ["heist"], externalIds }));
    await h.admin.updateContent({ contentId, originalTitle: "Auffindbar", keywords: ["heist", "caper"] });
    await h.admin.updateContent({ contentId, clearKeywords: true });

    const rows = await h.pool.query(`SELECT subject, payload FROM catalog.outbox ORDER BY id`);
    const contents = rows.rows.flatMap((r) => {
      const name = r.subject.split(".").pop()!;
      if (name === "content_removed") return [];
      const e = name === "content_published" ? fromBinary(ContentPublishedSchema, r.payload) : fromBinary(ContentUpdatedSchema, r.payload);
      const changed = "changedFields" in e ? e.changedFields : [];
      const c = e.content!;
      return c.contentId === contentId ? [{ name, changed, originalTitle: c.originalTitle, keywords: c.keywords, externalIds: c.externalIds.map((x) => ({ source: x.source, id: x.id })) }] : [];
    });
    expect(contents).toEqual([
      { name: "content_published", changed: [], originalTitle: "Trouvable", keywords: ["heist"], externalIds },
      { name: "content_updated", changed: ["original_title", "keywords"], originalTitle: "Auffindbar", keywords: ["heist", "caper"], externalIds },
      { name: "content_updated", changed: ["keywords"], originalTitle: "Auffindbar", keywords: [], externalIds },
    ]);
  });
});
