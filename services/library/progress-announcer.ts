import { createHash } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import type pg from "pg";
import { ProgressRecordedSchema, TitleCompletedSchema } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import type { DomainEvents } from "../../platform/events/domain-events.js";
import { quoteSchema } from "../../platform/storage/schema-name.js";
import { withTransaction } from "../../platform/storage/postgres.js";
import type { ProgressWrite } from "./progress-recorder.js";

/**
 * Announces a progress write through the outbox in the service's Postgres schema: ProgressRecorded,
 * and TitleCompleted when the write completes the video, in one transaction. The event ids are
 * derived from the report (and, for TitleCompleted, from the completion), so announcing a write
 * again (a retry, or two writers racing) finds its events in the outbox and adds none; the bus
 * drops a republished id too (Nats-Msg-Id).
 */
export function outboxProgressAnnouncer(pool: pg.Pool, schema: string, events: DomainEvents): (write: ProgressWrite) => Promise<void> {
  const outbox = `${quoteSchema(schema)}.outbox`;
  return ({ report, progress, completes, completionKey }) =>
    withTransaction(pool, async (tx) => {
      const recordedId = derivedId("progress_recorded", report.version);
      const completedId = derivedId("title_completed", report.profileId, report.videoId, completionKey);
      const ids = completes ? [recordedId, completedId] : [recordedId];
      const { rows } = await tx.query<{ event_id: string }>(`SELECT event_id FROM ${outbox} WHERE event_id = ANY($1)`, [ids]);
      const present = new Set(rows.map((r) => r.event_id));
      const { userId, profileId, videoId, contentId } = report;
      if (!present.has(recordedId)) {
        await events.enqueue(
          tx,
          schema,
          ProgressRecordedSchema,
          create(ProgressRecordedSchema, {
            meta: { ...events.meta(), eventId: recordedId },
            userId,
            profileId,
            videoId,
            contentId,
            positionSeconds: report.positionSeconds,
            durationSeconds: report.durationSeconds,
            progress,
          }),
        );
      }
      if (completes && !present.has(completedId)) {
        await events.enqueue(tx, schema, TitleCompletedSchema, create(TitleCompletedSchema, { meta: { ...events.meta(), eventId: completedId }, userId, profileId, videoId, contentId }));
      }
    });
}

/** A name-based UUID (version 5 layout over SHA-1) of the parts: the same parts, the same id. */
export function derivedId(...parts: string[]): string {
  const h = createHash("sha1").update(`cinemesh.library\u0000${parts.join("\u0000")}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
