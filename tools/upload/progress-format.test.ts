import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { EncodingJobStatus, VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";
import { WatchJobResponseSchema } from "../../gen/cinemesh/media/v1/media_pb.js";
import { RenditionProgressSchema, RenditionState } from "../../gen/cinemesh/media/v1/media_types_pb.js";
import { formatBytes, formatEta, formatSpeed, outcomeOf, renditionLine, uploadLine, watchLines } from "./progress-format.js";

const rendition = (init: Parameters<typeof create<typeof RenditionProgressSchema>>[1]) => create(RenditionProgressSchema, init);
const update = (init: Parameters<typeof create<typeof WatchJobResponseSchema>>[1]) => create(WatchJobResponseSchema, { jobId: "job-1", videoId: "video-1", ...init });

describe("progress bars from WatchJob updates", () => {
  it("shows an encoding rendition with its name, state, percent, speed and ETA", () => {
    const line = renditionLine(rendition({ quality: VideoQuality.VIDEO_QUALITY_1080P, state: RenditionState.ENCODING, percent: 42.37, speed: 2.5, etaSeconds: 125 }));
    expect(line).toEqual({
      key: "1080p",
      value: 42.37,
      payload: { name: "1080p  ", state: "encoding       ", percent: " 42.4%", speed: "    2.50×", remaining: "2:05" },
    });
  });

  it("shows a finished rendition full, and a failed one with its reason", () => {
    const done = renditionLine(rendition({ quality: VideoQuality.VIDEO_QUALITY_720P, state: RenditionState.DONE, percent: 99.2 }));
    expect(done.value).toBe(100);
    expect(done.payload).toMatchObject({ state: "done".padEnd(15), percent: "100.0%", speed: " ".repeat(9), remaining: "done" });
    const failed = renditionLine(rendition({ quality: VideoQuality.VIDEO_QUALITY_2160P, state: RenditionState.FAILED, percent: 12, failureReason: "ffmpeg exited 1" }));
    expect(failed.payload).toMatchObject({ name: "2160p  ", state: "failed: ffmpeg exited 1", remaining: "-" });
  });

  it("shows a queued rendition without speed, and an unknown ETA as --:--", () => {
    const queued = renditionLine(rendition({ quality: VideoQuality.VIDEO_QUALITY_360P, state: RenditionState.QUEUED }));
    expect(queued.payload).toMatchObject({ state: "queued".padEnd(15), percent: "  0.0%", speed: " ".repeat(9), remaining: "--:--" });
  });

  it("draws the job's total first, then the ladder from the top rung down", () => {
    const lines = watchLines(
      update({
        status: EncodingJobStatus.PROCESSING,
        percent: 37.5,
        etaSeconds: 3725,
        renditions: [
          rendition({ quality: VideoQuality.VIDEO_QUALITY_480P, state: RenditionState.DONE }),
          rendition({ quality: VideoQuality.VIDEO_QUALITY_1080P, state: RenditionState.ENCODING, percent: 10 }),
          rendition({ quality: VideoQuality.VIDEO_QUALITY_720P, state: RenditionState.PACKAGING, percent: 100 }),
        ],
      }),
    );
    expect(lines.map((l) => l.key)).toEqual(["total", "1080p", "720p", "480p"]);
    expect(lines[0].payload).toMatchObject({ name: "total  ", state: "processing".padEnd(15), percent: " 37.5%", remaining: "1:02:05" });
  });

  it("clamps percentages the server gets slightly wrong", () => {
    expect(renditionLine(rendition({ state: RenditionState.ENCODING, percent: 100.4 })).value).toBe(100);
    expect(renditionLine(rendition({ state: RenditionState.ENCODING, percent: -1 })).value).toBe(0);
    expect(renditionLine(rendition({ state: RenditionState.ENCODING, percent: Number.NaN })).payload.percent).toBe("  0.0%");
  });

  it("shows the upload's bytes, rate and remaining time", () => {
    expect(uploadLine(25_000_000, 100_000_000, 5_000_000)).toEqual({
      key: "upload",
      value: 25,
      payload: { name: "upload ", state: "25.0 MB/100 MB ", percent: " 25.0%", speed: "5.00 MB/s", remaining: "0:15" },
    });
    expect(uploadLine(100, 100, 0).payload.remaining).toBe("done");
  });

  it("says how a job ended: completed with its ladder, or failed with the reason", () => {
    expect(outcomeOf(update({ status: EncodingJobStatus.PROCESSING }))).toBeUndefined();
    expect(
      outcomeOf(update({ status: EncodingJobStatus.COMPLETED, renditions: [rendition({ quality: VideoQuality.VIDEO_QUALITY_720P }), rendition({ quality: VideoQuality.VIDEO_QUALITY_1080P })] })),
    ).toEqual({ ok: true, message: "encoding job job-1 completed: video video-1 is ready (1080p, 720p)" });
    expect(outcomeOf(update({ status: EncodingJobStatus.FAILED, failureReason: "probe: no video stream" }))).toEqual({
      ok: false,
      message: "encoding job job-1 failed: probe: no video stream",
    });
    const failedRung = update({
      status: EncodingJobStatus.FAILED,
      renditions: [rendition({ quality: VideoQuality.VIDEO_QUALITY_2160P, state: RenditionState.FAILED, failureReason: "out of memory" })],
    });
    expect(outcomeOf(failedRung)?.message).toBe("encoding job job-1 failed: 2160p: out of memory");
    expect(outcomeOf(update({ status: EncodingJobStatus.FAILED }))?.message).toBe("encoding job job-1 failed: no reason given");
  });

  it("formats times, speeds and sizes", () => {
    expect([formatEta(0), formatEta(7), formatEta(65), formatEta(3600), formatEta(Number.POSITIVE_INFINITY)]).toEqual(["--:--", "0:07", "1:05", "1:00:00", "--:--"]);
    expect([formatSpeed(0), formatSpeed(0.83), formatSpeed(12.4)]).toEqual(["", "0.83×", "12×"]);
    expect([formatBytes(999), formatBytes(1000), formatBytes(12_345_678), formatBytes(2_500_000_000)]).toEqual(["999 B", "1.00 kB", "12.3 MB", "2.50 GB"]);
  });
});
