import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { ViewCounted } from "../../gen/cinemesh/events/v1/analytics_events_pb.js";
import type { MyListItemAdded, MyListItemRemoved, ProgressRecorded, TitleCompleted } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import type { EventMeta } from "../../gen/cinemesh/events/v1/meta_pb.js";
import type { ContentRated } from "../../gen/cinemesh/events/v1/rating_events_pb.js";
import { term, type Disposition } from "../../platform/events/bus.js";
import type { SignalStore } from "./store.js";

type Handler<E> = (event: E) => Promise<Disposition | void>;

/** Called with the profile whose signals just changed, once they are stored: its lists are due again. */
export type OnTaste = (profileId: string) => void;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The library stored a profile's position in a video: it becomes the title's last progress, if it is the newest. */
export function onProgressRecorded(store: SignalStore, changed: OnTaste = () => {}): Handler<ProgressRecorded> {
  return async (event) => {
    const checked = check("ProgressRecorded", event.meta, { profile_id: event.profileId, content_id: event.contentId, video_id: event.videoId });
    if (typeof checked === "string") return term(checked);
    await store.recordProgress({
      ...checked,
      profileId: event.profileId,
      contentId: event.contentId,
      videoId: event.videoId,
      positionSeconds: event.positionSeconds,
      durationSeconds: event.durationSeconds,
      progress: progressOf(event),
    });
    changed(event.profileId);
  };
}

/** The library saw a profile watch a video to the end: the title counts as completed from then on. */
export function onTitleCompleted(store: SignalStore, changed: OnTaste = () => {}): Handler<TitleCompleted> {
  return async (event) => {
    const checked = check("TitleCompleted", event.meta, { profile_id: event.profileId, content_id: event.contentId, video_id: event.videoId });
    if (typeof checked === "string") return term(checked);
    await store.recordCompletion({ ...checked, profileId: event.profileId, contentId: event.contentId, videoId: event.videoId });
    changed(event.profileId);
  };
}

/** A profile rated a title: the newest stars are its word on it. */
export function onContentRated(store: SignalStore, changed: OnTaste = () => {}): Handler<ContentRated> {
  return async (event) => {
    const checked = check("ContentRated", event.meta, { profile_id: event.profileId, content_id: event.contentId });
    if (typeof checked === "string") return term(checked);
    if (!Number.isInteger(event.rating) || event.rating < 1 || event.rating > 5) return term(`ContentRated ${checked.eventId}: rating ${event.rating} is not 1-5 stars`);
    await store.recordRating({ ...checked, profileId: event.profileId, contentId: event.contentId, stars: event.rating });
    changed(event.profileId);
  };
}

/** My List changed: the newest of added and removed holds. */
export function onMyList(store: SignalStore, listed: boolean, changed: OnTaste = () => {}): Handler<MyListItemAdded | MyListItemRemoved> {
  const type = listed ? "MyListItemAdded" : "MyListItemRemoved";
  return async (event) => {
    const checked = check(type, event.meta, { profile_id: event.profileId, content_id: event.contentId });
    if (typeof checked === "string") return term(checked);
    await store.recordMyList({ ...checked, profileId: event.profileId, contentId: event.contentId, listed });
    changed(event.profileId);
  };
}

/** A counted view: one more for trending, once however often it is delivered. */
export function onViewCounted(store: SignalStore): Handler<ViewCounted> {
  return async (event) => {
    const checked = check("ViewCounted", event.meta, { content_id: event.contentId });
    if (typeof checked === "string") return term(checked);
    await store.recordView({ ...checked, contentId: event.contentId });
  };
}

/**
 * The envelope and ids every signal needs, or why the event can never be stored. Such an event
 * is terminated rather than retried: redelivering it would only block the consumer. Without
 * `occurred_at` an event cannot be ordered against the others, so it cannot be applied safely.
 */
function check(type: string, meta: EventMeta | undefined, ids: Record<string, string>): { eventId: string; occurredAt: Date } | string {
  if (!meta?.eventId) return `${type} without meta.event_id`;
  if (meta.occurredAt === undefined) return `${type} ${meta.eventId} without meta.occurred_at`;
  for (const [field, id] of Object.entries(ids)) {
    if (!UUID.test(id)) return `${type} ${meta.eventId}: ${field} ${JSON.stringify(id)} is not a UUID`;
  }
  return { eventId: meta.eventId, occurredAt: timestampDate(meta.occurredAt) };
}

/** The reported fraction, else position / duration, within 0-1. */
function progressOf(e: ProgressRecorded): number {
  const p = Number.isFinite(e.progress) && e.progress > 0 ? e.progress : e.durationSeconds > 0 ? e.positionSeconds / e.durationSeconds : 0;
  return Math.min(1, Math.max(0, p));
}
