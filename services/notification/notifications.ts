import type { Logger } from "pino";
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

/** Page `page` (1-based, 1 when 0) of `limit` (20 when 0) notifications, newest first. */
export function listNotifications(store: NotificationStore, viewer: Viewer, page: number, limit: number, unreadOnly: boolean): Promise<NotificationPage> {
  const size = limit || 20;
  return store.page(viewer, { offset: ((page || 1) - 1) * size, limit: size, unreadOnly });
}

export async function markRead(store: NotificationStore, viewer: Viewer, notificationId: string): Promise<void> {
  if (!(await store.markRead(viewer, notificationId))) throw new NotificationNotFoundError(notificationId);
}
