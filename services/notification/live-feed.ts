import type { Bus, LiveSubscription } from "../../platform/events/bus.js";
import type { Recipient, Viewer } from "./model.js";

/**
 * "A notification was created for this recipient", pushed live to every replica, so a stream
 * open on any replica hears of a notification created on any other. Only the id travels: the
 * stream reads the notification itself from the shared database (it was committed before the
 * push), which keeps every push far below the Postgres bus's NOTIFY limit whatever the body size.
 *
 * Subjects: `<ns>.live.notification.profile.<profile id>`, `<ns>.live.notification.user.<user id>`
 * and `<ns>.live.notification.admins`.
 */
export class LiveFeed {
  constructor(private readonly bus: Bus) {}

  async announce(recipient: Recipient, notificationId: string): Promise<void> {
    await this.bus.publishLive(this.subjectOf(recipient), new TextEncoder().encode(notificationId));
  }

  /** Calls `onCreated` with the id of each notification created from now on that `viewer` may see. */
  async follow(viewer: Viewer, onCreated: (notificationId: string) => void): Promise<LiveSubscription> {
    const recipients: Recipient[] = [
      { kind: "profile", profileId: viewer.profileId },
      { kind: "user", userId: viewer.userId },
    ];
    if (viewer.admin) recipients.push({ kind: "admins" });
    const subscriptions: LiveSubscription[] = [];
    try {
      for (const r of recipients) {
        subscriptions.push(await this.bus.subscribeLive(this.subjectOf(r), (m) => onCreated(new TextDecoder().decode(m.data))));
      }
    } catch (err) {
      for (const s of subscriptions) s.stop();
      throw err;
    }
    return { stop: () => subscriptions.forEach((s) => s.stop()) };
  }

  private subjectOf(recipient: Recipient): string {
    const root = `${this.bus.namespace}.live.notification`;
    switch (recipient.kind) {
      case "profile":
        return `${root}.profile.${recipient.profileId}`;
      case "user":
        // A subject token may not hold '.', '*', '>' or whitespace; user ids are UUIDs, but the
        // subject must not turn into a wildcard whatever a token says.
        return `${root}.user.${encodeURIComponent(recipient.userId).replace(/[.*>]/g, "_")}`;
      case "admins":
        return `${root}.admins`;
    }
  }
}
