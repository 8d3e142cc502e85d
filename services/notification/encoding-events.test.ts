import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { VideoEncodedSchema, VideoEncodingFailedSchema } from "../../gen/cinemesh/events/v1/media_events_pb.js";
import { duration, videoEncodedNotification, videoEncodingFailedNotification } from "./encoding-events.js";

const meta = { eventId: "evt-1" };

describe("notifications for encoding results", () => {
  it("keeps a content id that is not a UUID out of the notification (it would fail on every redelivery)", () => {
    const n = videoEncodedNotification(create(VideoEncodedSchema, { meta, videoId: "v", contentId: "not-a-uuid", jobId: "j" }));
    expect(n.contentId).toBeUndefined();
    expect(n.body).toBe("Video v of title not-a-uuid is encoded.");
  });

  it("dedupes on the job, or on the event when the job id is missing", () => {
    expect(videoEncodedNotification(create(VideoEncodedSchema, { meta, jobId: "j" })).dedupeKey).toBe("media.video_encoded:j");
    expect(videoEncodedNotification(create(VideoEncodedSchema, { meta })).dedupeKey).toBe("media.video_encoded:evt-1");
    expect(videoEncodingFailedNotification(create(VideoEncodingFailedSchema, { meta, jobId: "j" })).dedupeKey).toBe("media.video_encoding_failed:j");
  });

  it("lists each rung once, highest first, and says when no reason was given", () => {
    const ladder = [VideoQuality.VIDEO_QUALITY_360P, VideoQuality.VIDEO_QUALITY_2160P, VideoQuality.VIDEO_QUALITY_360P, VideoQuality.VIDEO_QUALITY_UNSPECIFIED];
    const n = videoEncodedNotification(create(VideoEncodedSchema, { meta, videoId: "v", contentId: "c", renditions: ladder.map((quality) => ({ quality })) }));
    expect(n.body).toBe("Video v of title c is encoded: 2160p / 360p.");
    expect(videoEncodingFailedNotification(create(VideoEncodingFailedSchema, { meta, videoId: "v", contentId: "c" })).body).toBe("Video v of title c could not be encoded: no reason given.");
  });

  it("addresses the uploader's account, or every admin when the event names no uploader", () => {
    expect(videoEncodedNotification(create(VideoEncodedSchema, { meta, uploadedBy: "u-1" })).recipient).toEqual({ kind: "user", userId: "u-1" });
    expect(videoEncodingFailedNotification(create(VideoEncodingFailedSchema, { meta, uploadedBy: "u-1" })).recipient).toEqual({ kind: "user", userId: "u-1" });
    expect(videoEncodingFailedNotification(create(VideoEncodingFailedSchema, { meta })).recipient).toEqual({ kind: "admins" });
  });

  it("writes durations for people", () => {
    expect([duration(45), duration(843), duration(5520)]).toEqual(["45s", "14m 3s", "1h 32m"]);
  });
});
