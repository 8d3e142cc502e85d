import type { NewNotification, Notification, ViewedNotification, Viewer } from "./model.js";

export interface NotificationPage {
  /** Newest first. */
  notifications: ViewedNotification[];
  /** How many the viewer has under the same filter, for paging. */
  total: number;
  /** How many of all the viewer's notifications are unread. */
  unread: number;
}

/** Where notifications and their per-profile read state live. */
export interface NotificationStore {
  /**
   * Stores a notification, unless the recipient already has one with the same dedupe key: then
   * resolves to that one with `created: false`.
   */
  create(input: NewNotification): Promise<{ notification: Notification; created: boolean }>;
  page(viewer: Viewer, options: { offset: number; limit: number; unreadOnly: boolean }): Promise<NotificationPage>;
  /** The viewer's unread notifications, the newest `limit` of them, oldest first. */
  unread(viewer: Viewer, limit: number): Promise<ViewedNotification[]>;
  /** One notification if the viewer may see it. */
  get(viewer: Viewer, notificationId: string): Promise<ViewedNotification | undefined>;
  /** Marks it read for the viewer (keeping the first read time); false if the viewer cannot see it. */
  markRead(viewer: Viewer, notificationId: string): Promise<boolean>;
}
