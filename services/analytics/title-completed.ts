import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { TitleCompleted } from "../../gen/cinemesh/events/v1/library_events_pb.js";
import { term, type Disposition } from "../../platform/events/bus.js";
import { hourOf } from "./hours.js";
import type { AnalyticsStore } from "./store.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A profile watched a video to the end: one more completion in the video's hour, the hour the
 * library says it happened (`meta.occurred_at`), so a late delivery lands where it belongs.
 * Idempotent by event id: a redelivery finds the completion counted and adds nothing.
 */
export function onTitleCompleted(store: AnalyticsStore, now: () => Date): (event: TitleCompleted) => Promise<Disposition | void> {
  return async (event) => {
    // Such an event could never be stored (or never deduplicated), so redelivering it would only retry forever.
    const eventId = event.meta?.eventId ?? "";
    if (eventId === "") return term("TitleCompleted without meta.event_id");
    for (const [field, id] of [["video_id", event.videoId], ["content_id", event.contentId], ["profile_id", event.profileId]] as const) {
      if (!UUID.test(id)) return term(`TitleCompleted ${field} ${JSON.stringify(id)} is not a UUID`);
    }
    const occurredAt = event.meta?.occurredAt === undefined ? now() : timestampDate(event.meta.occurredAt);
    await store.recordCompletion({ eventId, videoId: event.videoId, contentId: event.contentId, profileId: event.profileId, occurredAt, hour: hourOf(occurredAt) });
  };
}
