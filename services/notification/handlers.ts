import { Code, ConnectError, type Client, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { IdentityService } from "../../gen/cinemesh/identity/v1/identity_pb.js";
import type { NotificationService } from "../../gen/cinemesh/notification/v1/notification_pb.js";
import { callLog, requireAdmin, requireUser } from "../../platform/rpc/context.js";
import { mappingDomainErrors } from "../../platform/rpc/errors.js";
import { pageWindow } from "../../platform/rpc/paging.js";
import { requireOwnedProfile } from "../../platform/rpc/profile-access.js";
import type { Viewer } from "./model.js";
import { createNotification, listNotifications, markRead, type NotificationDeps } from "./notifications.js";
import { notificationStream, type StreamOptions } from "./stream.js";
import { kindOf, notificationMessage } from "./to-proto.js";

export interface NotificationHandlerDeps extends NotificationDeps {
  identity: Client<typeof IdentityService>;
  stream?: StreamOptions;
}

/**
 * NotificationService. Members act on their own profiles only (identity resolves the profile, a
 * profile of another account is NOT_FOUND); CreateNotification is internal and, like the
 * catalog's internal RPCs, needs the admin role, because the edge forwards every RPC.
 */
export function notificationHandlers(deps: NotificationHandlerDeps): ServiceImpl<typeof NotificationService> {
  const { store, feed, identity } = deps;

  const viewer = async (ctx: HandlerContext, profileId: string): Promise<Viewer> => {
    const claims = requireUser(ctx);
    await requireOwnedProfile(identity, ctx, profileId);
    return { profileId, userId: claims.userId, admin: claims.role === "admin" };
  };

  return mappingDomainErrors({
    async listNotifications(req, ctx) {
      const v = await viewer(ctx, req.profileId);
      const page = await listNotifications(store, v, pageWindow(req), req.unreadOnly);
      return {
        notifications: page.notifications.map((n) => notificationMessage(n, v.profileId)),
        totalCount: page.total,
        unreadCount: page.unread,
      };
    },

    async markRead(req, ctx) {
      const v = await viewer(ctx, req.profileId);
      await markRead(store, v, req.notificationId);
      return { success: true };
    },

    streamNotifications(req, ctx) {
      // Connect runs a streaming handler's body only once the response is read, outside the call
      // scope that forwards the caller's token upstream; so the identity check starts right here.
      const checked = viewer(ctx, req.profileId);
      checked.catch(() => {}); // awaited below; this only keeps an unread stream from leaking a rejection
      return (async function* () {
        const v = await checked;
        for await (const n of notificationStream({ store, feed }, v, ctx.signal, deps.stream)) {
          yield { notification: notificationMessage(n, v.profileId) };
        }
      })();
    },

    async createNotification(req, ctx) {
      requireAdmin(ctx);
      await requireExistingProfile(identity, req.profileId);
      const { notification, created } = await createNotification({ ...deps, logger: callLog(ctx, deps.logger) }, {
        recipient: { kind: "profile", profileId: req.profileId },
        kind: kindOf(req.type),
        title: req.title,
        body: req.body,
        contentId: req.contentId || undefined,
        imageUrl: req.imageUrl,
        link: req.link,
        dedupeKey: req.dedupeKey || undefined,
      });
      // A repeated request returns the first notification as it is now (it may have been read since).
      const current = created ? undefined : await store.get({ profileId: req.profileId, userId: "", admin: false }, notification.id);
      return { notification: notificationMessage(current ?? { ...notification, readAt: undefined }, req.profileId), created };
    },
  });
}

/** Identity answers an admin for any account's profile; an unknown one is NOT_FOUND. */
async function requireExistingProfile(identity: Client<typeof IdentityService>, profileId: string): Promise<void> {
  try {
    await identity.checkProfile({ profileId });
  } catch (err) {
    const e = ConnectError.from(err);
    if (e.code === Code.NotFound || e.code === Code.InvalidArgument) throw new ConnectError(`profile ${profileId} not found`, Code.NotFound);
    throw e;
  }
}
