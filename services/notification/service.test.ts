import { randomUUID } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { VideoEncodedSchema, VideoEncodingFailedSchema } from "../../gen/cinemesh/events/v1/media_events_pb.js";
import { NotificationType, type StreamNotificationsResponse } from "../../gen/cinemesh/notification/v1/notification_pb.js";
import { startNotificationHarness, type NotificationHarness, type Replica } from "./testing/harness.js";

/** The error code a promise rejects with ("none" when it resolves). */
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "none",
    (err: unknown) => Code[ConnectError.from(err).code],
  );

describe("notification service", () => {
  let h: NotificationHarness;
  let a: Replica;
  let b: Replica;
  const ADMIN = randomUUID();

  beforeAll(async () => {
    h = await startNotificationHarness();
    [a, b] = [await h.startReplica(), await h.startReplica()];
  });
  afterAll(async () => {
    await h?.close();
  });

  const admin = () => h.as(ADMIN, "admin");
  const notify = async (replica: Replica, profileId: string, title: string, more: { dedupeKey?: string; contentId?: string } = {}) =>
    replica.client.createNotification({ profileId, type: NotificationType.NEW_EPISODE, title, body: `${title}!`, link: "/title/x", ...more }, await admin());
  const list = async (p: { profileId: string; userId: string }, opts: { page?: number; limit?: number; unreadOnly?: boolean } = {}) =>
    b.client.listNotifications({ profileId: p.profileId, ...opts }, await h.as(p.userId));

  /** Opens a stream and reads it message by message; `close()` cancels it. */
  const openStream = async (replica: Replica, p: { profileId: string; userId: string }, role: "member" | "admin" = "member") => {
    const abort = new AbortController();
    const it = replica.client.streamNotifications({ profileId: p.profileId }, { ...(await h.as(p.userId, role)), signal: abort.signal })[Symbol.asyncIterator]();
    return {
      next: async (): Promise<StreamNotificationsResponse> => {
        const r = await it.next();
        if (r.done) throw new Error("stream ended");
        return r.value;
      },
      /** How the stream ends from here on: "done", or the error code. */
      end: () => codeOf(it.next().then((r) => (r.done ? undefined : Promise.reject(new Error(`unexpected message ${r.value.notification?.title}`))))),
      close: () => abort.abort(),
    };
  };

  it("creates a notification for a profile and lists it, newest first, with counts and pages", async () => {
    const p = h.addProfile();
    const contentId = randomUUID();
    const first = await notify(a, p.profileId, "S2E1 is out", { contentId });
    expect(first.created).toBe(true);
    expect(first.notification).toMatchObject({ profileId: p.profileId, type: NotificationType.NEW_EPISODE, title: "S2E1 is out", body: "S2E1 is out!", contentId, read: false });
    for (const t of ["second", "third"]) await notify(a, p.profileId, t);

    const all = await list(p);
    expect(all.notifications.map((n) => n.title)).toEqual(["third", "second", "S2E1 is out"]);
    expect([all.totalCount, all.unreadCount]).toEqual([3, 3]);
    const pages = [await list(p, { page: 1, limit: 2 }), await list(p, { page: 2, limit: 2 })];
    expect(pages.map((pg) => pg.notifications.map((n) => n.title))).toEqual([["third", "second"], ["S2E1 is out"]]);
    expect(pages.map((pg) => pg.totalCount)).toEqual([3, 3]);
  });

  it("creates once per dedupe key, returning the first notification to a repeat", async () => {
    const p = h.addProfile();
    const first = await notify(a, p.profileId, "once", { dedupeKey: "evt-1" });
    const again = await notify(b, p.profileId, "once, again", { dedupeKey: "evt-1" });
    expect(again.created).toBe(false);
    expect(again.notification?.notificationId).toBe(first.notification?.notificationId);
    expect(again.notification?.title).toBe("once");
    // The same key for another profile is another notification.
    const other = h.addProfile();
    expect((await notify(a, other.profileId, "once", { dedupeKey: "evt-1" })).created).toBe(true);
    expect((await list(p)).totalCount).toBe(1);
  });

  it("lets only admins create, and only for profiles that exist", async () => {
    const p = h.addProfile();
    const req = { profileId: p.profileId, type: NotificationType.SYSTEM, title: "hi" };
    expect(await codeOf(a.client.createNotification(req, await h.as(p.userId)))).toBe("PermissionDenied");
    expect(await codeOf(a.client.createNotification(req))).toBe("Unauthenticated");
    expect(await codeOf(a.client.createNotification({ ...req, profileId: randomUUID() }, await admin()))).toBe("NotFound");
    expect(await codeOf(a.client.createNotification({ ...req, type: NotificationType.UNSPECIFIED }, await admin()))).toBe("InvalidArgument");
    expect((await list(p)).totalCount).toBe(0);
  });

  it("marks one notification read for its profile, idempotently, and filters unread ones", async () => {
    const p = h.addProfile();
    const [older, newer] = [(await notify(a, p.profileId, "older")).notification!, (await notify(a, p.profileId, "newer")).notification!];
    const asOwner = await h.as(p.userId);
    expect((await b.client.markRead({ profileId: p.profileId, notificationId: older.notificationId }, asOwner)).success).toBe(true);
    const readAt = (await list(p)).notifications.find((n) => n.notificationId === older.notificationId)!.readAt!;
    await a.client.markRead({ profileId: p.profileId, notificationId: older.notificationId }, asOwner);

    const after = await list(p);
    expect(after.notifications.map((n) => [n.title, n.read])).toEqual([
      ["newer", false],
      ["older", true],
    ]);
    expect(timestampDate(after.notifications[1].readAt!)).toEqual(timestampDate(readAt));
    expect(after.unreadCount).toBe(1);
    const unread = await list(p, { unreadOnly: true });
    expect(unread.notifications.map((n) => n.notificationId)).toEqual([newer.notificationId]);
    expect([unread.totalCount, unread.unreadCount]).toEqual([1, 1]);
    expect(await codeOf(a.client.markRead({ profileId: p.profileId, notificationId: randomUUID() }, asOwner))).toBe("NotFound");
  });

  it("keeps each profile's notifications to its own account", async () => {
    const [mine, sibling, theirs] = [h.addProfile(), h.addProfile(), h.addProfile()];
    const siblingOfMine = h.addProfile(mine.userId);
    const n = (await notify(a, mine.profileId, "private")).notification!;
    await notify(a, sibling.profileId, "someone else's");
    const asMe = await h.as(mine.userId);
    // Another account's profile does not exist for me, and my other profile does not see this one's.
    expect(await codeOf(a.client.listNotifications({ profileId: theirs.profileId }, asMe))).toBe("NotFound");
    expect(await codeOf(a.client.markRead({ profileId: theirs.profileId, notificationId: n.notificationId }, await h.as(theirs.userId)))).toBe("NotFound");
    expect(await codeOf(a.client.markRead({ profileId: siblingOfMine.profileId, notificationId: n.notificationId }, asMe))).toBe("NotFound");
    expect((await a.client.listNotifications({ profileId: siblingOfMine.profileId }, asMe)).totalCount).toBe(0);
    expect(await codeOf(a.client.listNotifications({ profileId: mine.profileId }))).toBe("Unauthenticated");
    expect(await codeOf(b.client.streamNotifications({ profileId: theirs.profileId }, asMe)[Symbol.asyncIterator]().next())).toBe("NotFound");
  });

  it("streams the unread backlog, then notifications created on another replica as they are created", async () => {
    const p = h.addProfile();
    const read = (await notify(a, p.profileId, "already read")).notification!;
    await b.client.markRead({ profileId: p.profileId, notificationId: read.notificationId }, await h.as(p.userId));
    await notify(a, p.profileId, "waiting 1");
    await notify(a, p.profileId, "waiting 2");

    const stream = await openStream(b, p);
    expect((await stream.next()).notification?.title).toBe("waiting 1");
    expect((await stream.next()).notification?.title).toBe("waiting 2");
    // The stream is subscribed before it sends the backlog, so these are pushed live from A.
    await notify(a, p.profileId, "live 1");
    await notify(a, h.addProfile().profileId, "for someone else");
    await notify(a, p.profileId, "live 2");
    const live = [await stream.next(), await stream.next()];
    expect(live.map((m) => [m.notification?.title, m.notification?.profileId, m.notification?.read])).toEqual([
      ["live 1", p.profileId, false],
      ["live 2", p.profileId, false],
    ]);
    stream.close();
  });

  it("ends a stream cleanly when the client cancels it, and keeps serving the others", async () => {
    const p = h.addProfile();
    const leaving = await openStream(a, p);
    const staying = await openStream(a, p);
    await notify(b, p.profileId, "both");
    expect((await leaving.next()).notification?.title).toBe("both");
    expect((await staying.next()).notification?.title).toBe("both");
    leaving.close();
    expect(await leaving.end()).toBe("Canceled");
    await notify(b, p.profileId, "only the one still open");
    expect((await staying.next()).notification?.title).toBe("only the one still open");
    staying.close();
  });

  it("ends its streams with UNAVAILABLE when a replica shuts down", async () => {
    const p = h.addProfile();
    const c = await h.startReplica();
    const stream = await openStream(c, p);
    await notify(a, p.profileId, "before shutdown");
    expect((await stream.next()).notification?.title).toBe("before shutdown");
    await c.stop();
    expect(await stream.end()).toBe("Unavailable");
  });

  const publishMedia = async <T extends typeof VideoEncodedSchema | typeof VideoEncodingFailedSchema>(schema: T, event: Parameters<typeof toBinary<T>>[1]) =>
    h.bus.publish(h.events.subjectOf(schema), toBinary(schema, event), { msgId: (event as { meta?: { eventId: string } }).meta!.eventId });

  it("tells the uploader of a video, on each of their profiles, of its encoding result, once per job, live; no other admin", async () => {
    const uploader = randomUUID();
    const uploaderProfile = h.addProfile(uploader);
    const uploadersOtherProfile = h.addProfile(uploader);
    const otherAdmin = h.addProfile();
    const member = h.addProfile();
    const stream = await openStream(a, uploaderProfile, "admin");
    const otherAdminStream = await openStream(b, otherAdmin, "admin");
    const [contentId, videoId, jobId] = [randomUUID(), randomUUID(), randomUUID()];
    const encoded = create(VideoEncodedSchema, {
      meta: h.events.meta(),
      videoId,
      contentId,
      jobId,
      durationSeconds: 5520,
      encodingSeconds: 843,
      renditions: [{ quality: VideoQuality.VIDEO_QUALITY_720P }, { quality: VideoQuality.VIDEO_QUALITY_1080P }],
      uploadedBy: uploader,
    });
    await publishMedia(VideoEncodedSchema, encoded);
    // The same outcome published again with a new event id (e.g. media retried): still one notification.
    await publishMedia(VideoEncodedSchema, { ...encoded, meta: h.events.meta() });
    // One consumer handles these in order, so once the next job's notification is out, the repeat was handled.
    const nextJob = randomUUID();
    await publishMedia(VideoEncodedSchema, create(VideoEncodedSchema, { meta: h.events.meta(), videoId: randomUUID(), contentId, jobId: nextJob, uploadedBy: uploader }));

    const pushed = (await stream.next()).notification!;
    expect(pushed).toMatchObject({ profileId: uploaderProfile.profileId, type: NotificationType.SYSTEM, title: "Video ready to play", contentId, link: `/title/${contentId}` });
    expect(pushed.body).toBe(`Video ${videoId} of title ${contentId} is encoded: 1080p / 720p, 1h 32m long, encoded in 14m 3s.`);
    expect((await stream.next()).notification?.body).not.toContain(videoId);

    const failedJob = randomUUID();
    await publishMedia(
      VideoEncodingFailedSchema,
      create(VideoEncodingFailedSchema, {
        meta: h.events.meta(),
        videoId,
        contentId,
        jobId: failedJob,
        reason: "probe: no video stream",
        failedQuality: VideoQuality.VIDEO_QUALITY_720P,
        uploadedBy: uploader,
      }),
    );
    const failed = (await stream.next()).notification!;
    expect(failed).toMatchObject({ title: "Video encoding failed", link: `/admin/encoding/${failedJob}` });
    expect(failed.body).toBe(`Video ${videoId} of title ${contentId} could not be encoded (720p): probe: no video stream.`);

    // The uploader's other profile has them too, with its own read state.
    const asUploader = await h.as(uploader, "admin");
    const onOtherProfile = await b.client.listNotifications({ profileId: uploadersOtherProfile.profileId }, asUploader);
    expect(onOtherProfile.notifications.map((n) => [n.title, n.profileId])).toEqual([
      ["Video encoding failed", uploadersOtherProfile.profileId],
      ["Video ready to play", uploadersOtherProfile.profileId],
      ["Video ready to play", uploadersOtherProfile.profileId],
    ]);
    await b.client.markRead({ profileId: uploadersOtherProfile.profileId, notificationId: pushed.notificationId }, asUploader);
    expect((await b.client.listNotifications({ profileId: uploadersOtherProfile.profileId }, asUploader)).unreadCount).toBe(2);
    expect((await b.client.listNotifications({ profileId: uploaderProfile.profileId }, asUploader)).unreadCount).toBe(3);

    // Another admin neither lists them nor was streamed them (a notification for that admin's own
    // profile, created after the events were handled, is the next thing its stream says).
    expect((await b.client.listNotifications({ profileId: otherAdmin.profileId }, await h.as(otherAdmin.userId, "admin"))).totalCount).toBe(0);
    await notify(a, otherAdmin.profileId, "for the other admin");
    expect((await otherAdminStream.next()).notification?.title).toBe("for the other admin");
    expect((await list(member)).totalCount).toBe(0);
    stream.close();
    otherAdminStream.close();
  });

  it("sends an encoding result that names no uploader (published before the field existed) to every admin", async () => {
    const someAdmin = h.addProfile();
    const member = h.addProfile();
    const stream = await openStream(a, someAdmin, "admin");
    const jobId = randomUUID();
    await publishMedia(VideoEncodingFailedSchema, create(VideoEncodingFailedSchema, { meta: h.events.meta(), videoId: "v", contentId: "c", jobId, reason: "gone" }));
    expect((await stream.next()).notification).toMatchObject({ title: "Video encoding failed", profileId: someAdmin.profileId, link: `/admin/encoding/${jobId}` });
    expect((await list(member)).totalCount).toBe(0);
    stream.close();
  });
});
