import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { ProgressRecorded, TitleCompleted } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import type { EventMeta } from "../../gen/cinemesh/events/v1/meta_pb.js";
import { term, type Disposition } from "../../platform/events/bus.js";
import type { WatchSignalStore } from "./store.js";

type Handler<E> = (event: E) => Promise<Disposition | void>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The library stored a profile's position in a video: it becomes the title's last progress, if it is the newest. */
export function onProgressRecorded(store: WatchSignalStore): Handler<ProgressRecorded> {
  return async (event) => {
    const checked = check("ProgressRecorded", event.meta, event);
    if (typeof checked === "string") return term(checked);
    await store.recordProgress({
      ...checked,
      positionSeconds: event.positionSeconds,
      durationSeconds: event.durationSeconds,
      progress: progressOf(event),
    });
  };
}

/** The library saw a profile watch a video to the end: the title counts as completed from then on. */
export function onTitleCompleted(store: WatchSignalStore): Handler<TitleCompleted> {
  return async (event) => {
    const checked = check("TitleCompleted", event.meta, event);
    if (typeof checked === "string") return term(checked);
    await store.recordCompletion(checked);
  };
}

interface Checked {
  eventId: string;
  occurredAt: Date;
  profileId: string;
  contentId: string;
  videoId: string;
}

/**
 * The envelope and ids every watch event needs, or why the event can never be stored. Such an
 * event is terminated rather than retried: redelivering it would only block the consumer. Without
 * `occurred_at` an event cannot be ordered against the others, so it cannot be applied safely.
 */
function check(type: string, meta: EventMeta | undefined, e: { profileId: string; contentId: string; videoId: string }): Checked | string {
  if (!meta?.eventId) return `${type} without meta.event_id`;
  if (meta.occurredAt === undefined) return `${type} ${meta.eventId} without meta.occurred_at`;
  for (const [field, id] of [["profile_id", e.profileId], ["content_id", e.contentId], ["video_id", e.videoId]] as const) {
    if (!UUID.test(id)) return `${type} ${meta.eventId}: ${field} ${JSON.stringify(id)} is not a UUID`;
  }
  return { eventId: meta.eventId, occurredAt: timestampDate(meta.occurredAt), profileId: e.profileId, contentId: e.contentId, videoId: e.videoId };
}

/** The reported fraction, else position / duration, within 0-1. */
function progressOf(e: ProgressRecorded): number {
  const p = Number.isFinite(e.progress) && e.progress > 0 ? e.progress : e.durationSeconds > 0 ? e.positionSeconds / e.durationSeconds : 0;
  return Math.min(1, Math.max(0, p));
}
