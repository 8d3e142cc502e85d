import type { Logger } from "pino";
import type { PageWindow } from "../../platform/rpc/paging.js";
import type { LiveFeed } from "./live-feed.js";
import { NotificationNotFoundError, type NewNotification, type Notification, type Viewer } from "./model.js";
import type { NotificationPage, NotificationStore } from "./store.js";

export interface NotificationDeps {
  store: NotificationStore;
  feed: LiveFeed;
  logger: Logger;
}

/**
 * Stores a notification, then tells every replica's open streams about it. The push is best
 * effort by design (live messages are at most once): the notification is already stored, so a
 * failed push is logged rather than failing the call, and the client still finds it in its list
 * and among the unread ones a stream sends when it (re)connects.
 */
export async function createNotification(deps: NotificationDeps, input: NewNotification): Promise<{ notification: Notification; created: boolean }> {
  const result = await deps.store.create(input);
  if (result.created) {
    try {
      await deps.feed.announce(input.recipient, result.notification.id);
    } catch (err) {
      deps.logger.warn({ err, notificationId: result.notification.id }, "could not push a new notification to open streams");
    }
  }
  return result;
}

/** One page of notifications (platform/rpc/paging.ts), newest first. */
export function listNotifications(store: NotificationStore, viewer: Viewer, window: PageWindow, unreadOnly: boolean): Promise<NotificationPage> {
  return store.page(viewer, { offset: window.offset, limit: window.limit, unreadOnly });
}

export async function markRead(store: NotificationStore, viewer: Viewer, notificationId: string): Promise<void> {
  if (!(await store.markRead(viewer, notificationId))) throw new NotificationNotFoundError(notificationId);
}
