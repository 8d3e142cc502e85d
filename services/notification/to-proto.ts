import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { NotificationSchema, NotificationType, type Notification as NotificationMessage } from "../../gen/cinemesh/notification/v1/notification_pb.js";
import type { NotificationKind, ViewedNotification } from "./model.js";

const TYPES: Record<NotificationKind, NotificationType> = {
  new_episode: NotificationType.NEW_EPISODE,
  new_content: NotificationType.NEW_CONTENT,
  my_list: NotificationType.MY_LIST,
  recommendation: NotificationType.RECOMMENDATION,
  system: NotificationType.SYSTEM,
};

/** The validation rules admit only defined, non-zero types, so every request's type has a kind. */
export function kindOf(type: NotificationType): NotificationKind {
  const kind = (Object.keys(TYPES) as NotificationKind[]).find((k) => TYPES[k] === type);
  if (kind === undefined) throw new Error(`no notification kind for type ${type}`);
  return kind;
}

/** A notification as shown to `profileId` (for an admins notification, the admin's profile viewing it). */
export function notificationMessage(n: ViewedNotification, profileId: string): NotificationMessage {
  return create(NotificationSchema, {
    notificationId: n.id,
    profileId,
    type: TYPES[n.kind],
    title: n.title,
    body: n.body,
    contentId: n.contentId ?? "",
    imageUrl: n.imageUrl,
    link: n.link,
    read: n.readAt !== undefined,
    createdAt: timestampFromDate(n.createdAt),
    readAt: n.readAt === undefined ? undefined : timestampFromDate(n.readAt),
  });
}
