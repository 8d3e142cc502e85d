import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import type pg from "pg";
import { MyListItemAddedSchema, MyListItemRemovedSchema } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import type { DomainEvents } from "../../platform/events/domain-events.js";
import { quoteSchema } from "../../platform/storage/schema-name.js";
import { withTransaction } from "../../platform/storage/postgres.js";
import type { MyListEntry, MyListStore } from "./store.js";

/** A popular title sits in many lists: its removal goes in batches, each its own short transaction. */
const REMOVAL_BATCH = 500;

/** My List in Postgres (`<schema>.my_list`), with its events in `<schema>.outbox`. */
export function createPostgresMyListStore(pool: pg.Pool, schema: string, events: DomainEvents): MyListStore {
  const table = `${quoteSchema(schema)}.my_list`;
  const announceRemoved = (tx: pg.ClientBase, profileId: string, contentId: string) =>
    events.enqueue(tx, schema, MyListItemRemovedSchema, create(MyListItemRemovedSchema, { meta: events.meta(), profileId, contentId }));

  return {
    add: (profileId, contentId) =>
      withTransaction(pool, async (tx) => {
        const res = await tx.query(
          `INSERT INTO ${table} (list_id, profile_id, content_id) VALUES ($1, $2, $3) ON CONFLICT (profile_id, content_id) DO NOTHING`,
          [randomUUID(), profileId, contentId],
        );
        if (res.rowCount !== 1) return false;
        await events.enqueue(tx, schema, MyListItemAddedSchema, create(MyListItemAddedSchema, { meta: events.meta(), profileId, contentId }));
        return true;
      }),

    remove: (profileId, contentId) =>
      withTransaction(pool, async (tx) => {
        const res = await tx.query(`DELETE FROM ${table} WHERE profile_id = $1 AND content_id = $2`, [profileId, contentId]);
        if (res.rowCount !== 1) return false;
        await announceRemoved(tx, profileId, contentId);
        return true;
      }),

    async page(profileId, offset, limit) {
      const [rows, count] = await Promise.all([
        pool.query<{ list_id: string; content_id: string; added_at: Date }>(
          `SELECT list_id, content_id, added_at FROM ${table} WHERE profile_id = $1 ORDER BY added_at DESC, list_id DESC OFFSET $2 LIMIT $3`,
          [profileId, offset, limit],
        ),
        pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${table} WHERE profile_id = $1`, [profileId]),
      ]);
      const entries: MyListEntry[] = rows.rows.map((r) => ({ listId: r.list_id, profileId, contentId: r.content_id, addedAt: r.added_at }));
      return { entries, total: count.rows[0].total };
    },

    async removeEverywhere(contentId) {
      let removed = 0;
      for (;;) {
        const batch = await withTransaction(pool, async (tx) => {
          const res = await tx.query<{ profile_id: string }>(
            `DELETE FROM ${table} WHERE list_id IN (SELECT list_id FROM ${table} WHERE content_id = $1 LIMIT ${REMOVAL_BATCH}) RETURNING profile_id`,
            [contentId],
          );
          for (const { profile_id } of res.rows) await announceRemoved(tx, profile_id, contentId);
          return res.rows.length;
        });
        removed += batch;
        if (batch < REMOVAL_BATCH) return removed;
      }
    },
  };
}
