import { Code, ConnectError } from "@connectrpc/connect";
import type { LiveFeed } from "./live-feed.js";
import type { ViewedNotification, Viewer } from "./model.js";
import type { NotificationStore } from "./store.js";

export interface StreamOptions {
  /** Unread notifications sent first, at most this many (the newest), oldest first. */
  backlog: number;
  /** New notifications waiting for a slow client before the stream gives up on it. */
  maxPending: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = { backlog: 50, maxPending: 256 };

/**
 * The viewer's unread notifications, then each new one as it is created on any replica, until
 * `signal` aborts: the client went away, the deadline passed, or the server is shutting down (the
 * host aborts with UNAVAILABLE, which tells the client to reconnect elsewhere). It subscribes
 * before reading the backlog so nothing created in between is missed; what lands in both is sent once.
 */
export async function* notificationStream(
  deps: { store: NotificationStore; feed: LiveFeed },
  viewer: Viewer,
  signal: AbortSignal,
  options: StreamOptions = DEFAULT_STREAM_OPTIONS,
): AsyncGenerator<ViewedNotification> {
  const pending: string[] = [];
  let overflowed = false;
  let wake: (() => void) | undefined;
  const subscription = await deps.feed.follow(viewer, (id) => {
    if (pending.length < options.maxPending) pending.push(id);
    else overflowed = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort);
  try {
    const backlog = await deps.store.unread(viewer, options.backlog);
    const sentFromBacklog = new Set(backlog.map((n) => n.id));
    yield* backlog;
    for (;;) {
      if (signal.aborted) throw ConnectError.from(signal.reason);
      if (overflowed) throw new ConnectError("the client reads notifications too slowly; reconnect to catch up", Code.ResourceExhausted);
      const id = pending.shift();
      if (id === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      if (sentFromBacklog.delete(id)) continue;
      const notification = await deps.store.get(viewer, id);
      if (notification !== undefined) yield notification;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    subscription.stop();
  }
}
