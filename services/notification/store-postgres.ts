import { randomUUID } from "node:crypto";
import type pg from "pg";
import { quoteSchema } from "../../platform/storage/schema-name.js";
import type { Notification, NotificationKind, NewNotification, Recipient, ViewedNotification, Viewer } from "./model.js";
import type { NotificationStore } from "./store.js";

interface Row {
  notification_id: string;
  recipient: Recipient["kind"];
  profile_id: string | null;
  user_id: string | null;
  kind: NotificationKind;
  title: string;
  body: string;
  content_id: string | null;
  image_url: string;
  link: string;
  dedupe_key: string | null;
  created_at: Date;
}

const COLUMNS = "notification_id, recipient, profile_id, user_id, kind, title, body, content_id, image_url, link, dedupe_key, created_at";

/** Notifications in Postgres: `<schema>.notifications` and the per-profile `<schema>.reads`. */
export function createPostgresNotificationStore(pool: pg.Pool, schema: string): NotificationStore {
  const s = quoteSchema(schema);
  // What a viewer may see ($1 profile id, $2 admin, $3 user id), with its read time for that profile.
  const visible = `
    SELECT ${COLUMNS.split(", ").map((c) => `n.${c}`).join(", ")}, r.read_at
    FROM ${s}.notifications n
    LEFT JOIN ${s}.reads r ON r.profile_id = $1 AND r.notification_id = n.notification_id
    WHERE (n.recipient = 'profile' AND n.profile_id = $1)
       OR (n.recipient = 'user' AND n.user_id = $3)
       OR (n.recipient = 'admins' AND $2::boolean)`;
  const viewerParams = (v: Viewer) => [v.profileId, v.admin, v.userId];

  const tryCreate = async (input: NewNotification) => {
    const profileId = input.recipient.kind === "profile" ? input.recipient.profileId : null;
    const userId = input.recipient.kind === "user" ? input.recipient.userId : null;
    const { rows } = await pool.query<Row & { created: boolean }>(
      `WITH ins AS (
         INSERT INTO ${s}.notifications (notification_id, recipient, profile_id, user_id, kind, title, body, content_id, image_url, link, dedupe_key)
         VALUES ($1, $2, $3, $11, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT DO NOTHING
         RETURNING ${COLUMNS})
       SELECT *, true AS created FROM ins
       UNION ALL
       SELECT ${COLUMNS}, false FROM ${s}.notifications
       WHERE recipient = $2 AND profile_id IS NOT DISTINCT FROM $3 AND user_id IS NOT DISTINCT FROM $11 AND dedupe_key = $10
         AND NOT EXISTS (SELECT 1 FROM ins)`,
      [
        randomUUID(),
        input.recipient.kind,
        profileId,
        input.kind,
        input.title,
        input.body,
        input.contentId ?? null,
        input.imageUrl,
        input.link,
        input.dedupeKey ?? null,
        userId,
      ],
    );
    return rows[0];
  };

  return {
    async create(input) {
      // A concurrent create with the same key wins the insert while this statement's snapshot is
      // too old to see its row: then neither part returns anything, and the next try finds it.
      for (;;) {
        const row = await tryCreate(input);
        if (row !== undefined) return { notification: fromRow(row), created: row.created };
      }
    },

    async page(viewer, { offset, limit, unreadOnly }) {
      const params = viewerParams(viewer);
      const [rows, counts] = await Promise.all([
        pool.query<Row & { read_at: Date | null }>(
          `SELECT * FROM (${visible}) v WHERE NOT $4::boolean OR read_at IS NULL
           ORDER BY created_at DESC, notification_id DESC OFFSET $5 LIMIT $6`,
          [...params, unreadOnly, offset, limit],
        ),
        pool.query<{ total: number; unread: number }>(
          `SELECT count(*) FILTER (WHERE NOT $4::boolean OR read_at IS NULL)::int AS total,
                  count(*) FILTER (WHERE read_at IS NULL)::int AS unread
           FROM (${visible}) v`,
          [...params, unreadOnly],
        ),
      ]);
      return { notifications: rows.rows.map(viewedFromRow), total: counts.rows[0].total, unread: counts.rows[0].unread };
    },

    async unread(viewer, limit) {
      const { rows } = await pool.query<Row & { read_at: Date | null }>(
        `SELECT * FROM (
           SELECT * FROM (${visible}) v WHERE read_at IS NULL ORDER BY created_at DESC, notification_id DESC LIMIT $4) newest
         ORDER BY created_at, notification_id`,
        [...viewerParams(viewer), limit],
      );
      return rows.map(viewedFromRow);
    },

    async get(viewer, notificationId) {
      const { rows } = await pool.query<Row & { read_at: Date | null }>(`SELECT * FROM (${visible}) v WHERE notification_id = $4`, [
        ...viewerParams(viewer),
        notificationId,
      ]);
      return rows[0] === undefined ? undefined : viewedFromRow(rows[0]);
    },

    async markRead(viewer, notificationId) {
      const { rows } = await pool.query<{ visible: boolean }>(
        `WITH v AS (SELECT notification_id FROM (${visible}) v WHERE notification_id = $4)
         , ins AS (
           INSERT INTO ${s}.reads (profile_id, notification_id) SELECT $1, notification_id FROM v
           ON CONFLICT DO NOTHING)
         SELECT EXISTS (SELECT 1 FROM v) AS visible`,
        [...viewerParams(viewer), notificationId],
      );
      return rows[0].visible;
    },
  };
}

function fromRow(r: Row): Notification {
  const recipient: Recipient =
    r.recipient === "profile" ? { kind: "profile", profileId: r.profile_id! } : r.recipient === "user" ? { kind: "user", userId: r.user_id! } : { kind: "admins" };
  return {
    id: r.notification_id,
    recipient,
    kind: r.kind,
    title: r.title,
    body: r.body,
    contentId: r.content_id ?? undefined,
    imageUrl: r.image_url,
    link: r.link,
    dedupeKey: r.dedupe_key ?? undefined,
    createdAt: r.created_at,
  };
}

function viewedFromRow(r: Row & { read_at: Date | null }): ViewedNotification {
  return { ...fromRow(r), readAt: r.read_at ?? undefined };
}
