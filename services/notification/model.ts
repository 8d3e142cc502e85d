import { DomainError } from "../../platform/domain/errors.js";

/** What a notification is about (the contract's NotificationType, without UNSPECIFIED). */
export type NotificationKind = "new_episode" | "new_content" | "my_list" | "recommendation" | "system";

/**
 * Who sees a notification: one profile; every profile of one account (the uploader of a video
 * hears of its encoding); or every profile of every admin account (encoding results from events
 * published before they named their uploader; see encoding-events.ts).
 */
export type Recipient = { kind: "profile"; profileId: string } | { kind: "user"; userId: string } | { kind: "admins" };

export interface NewNotification {
  recipient: Recipient;
  kind: NotificationKind;
  title: string;
  body: string;
  contentId: string | undefined;
  imageUrl: string;
  link: string;
  /** A second notification with the same key for the same recipient is not created. */
  dedupeKey: string | undefined;
}

export interface Notification extends NewNotification {
  id: string;
  createdAt: Date;
}

/** The profile looking at notifications, its account, and whether that account may see the admins' ones. */
export interface Viewer {
  profileId: string;
  userId: string;
  admin: boolean;
}

/** A notification as one viewer sees it: read state is per profile. */
export interface ViewedNotification extends Notification {
  readAt: Date | undefined;
}

export class NotificationNotFoundError extends DomainError {
  constructor(readonly notificationId: string) {
    super("not_found", `notification ${notificationId} not found`);
    this.name = "NotificationNotFoundError";
  }
}
