import { describe, expect, it } from "vitest";
import { InvalidMediaError } from "./errors.js";
import { interpretProbe, type FfprobeOutput, type FfprobeStream } from "./source-info.js";

const video = (over: Partial<FfprobeStream> = {}): FfprobeStream => ({
  index: 0,
  codec_type: "video",
  codec_name: "h264",
  width: 1920,
  height: 1080,
  sample_aspect_ratio: "1:1",
  avg_frame_rate: "30000/1001",
  r_frame_rate: "30000/1001",
  pix_fmt: "yuv420p",
  ...over,
});
const audio = (index: number, language?: string, title?: string): FfprobeStream => ({
  index,
  codec_type: "audio",
  codec_name: "aac",
  channels: 6,
  tags: { language, title },
});
const probe = (streams: FfprobeStream[], format: FfprobeOutput["format"] = { format_name: "mov,mp4", duration: "60.0" }): FfprobeOutput => ({ format, streams });

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidMediaError) return `${err.reason}: ${err.message}`;
    throw err;
  }
  throw new Error("did not throw");
}

describe("interpretProbe", () => {
  it("reads duration, frame rate and every audio track with its language", () => {
    const info = interpretProbe(probe([video(), audio(1, "eng"), audio(2, "fre"), audio(3, "eng", "Director's commentary"), audio(4)]));
    expect(info.durationSeconds).toBe(60);
    expect(info.video).toMatchObject({ displayWidth: 1920, displayHeight: 1080, rotation: 0, frameRate: { num: 30000, den: 1001 }, bitDepth: 8 });
    expect(info.audio.map((a) => [a.streamIndex, a.language, a.isoLanguage, a.label])).toEqual([
      [1, "en", "eng", "English"],
      [2, "fr", "fre", "French"],
      [3, "en", "eng", "Director's commentary"],
      [4, "und", "und", "Audio 4"],
    ]);
  });

  it("encodes a camera file at its nominal rate, not the average its dropped frames give", () => {
    const camera = interpretProbe(probe([video({ width: 480, height: 352, r_frame_rate: "30000/1001", avg_frame_rate: "243090000/8111111" })]));
    expect(camera.video.frameRate).toEqual({ num: 30000, den: 1001 });
  });

  it("swaps width and height for a display matrix of ±90° and applies non-square pixels", () => {
    const rotated = interpretProbe(probe([video({ width: 640, height: 360, side_data_list: [{ side_data_type: "Display Matrix", rotation: -90 }] })]));
    expect(rotated.video).toMatchObject({ displayWidth: 360, displayHeight: 640, rotation: 90 });
    const legacy = interpretProbe(probe([video({ width: 640, height: 360, tags: { rotate: "270" } })]));
    expect(legacy.video).toMatchObject({ displayWidth: 360, displayHeight: 640, rotation: 270 });
    const anamorphic = interpretProbe(probe([video({ width: 720, height: 576, sample_aspect_ratio: "64:45" })]));
    expect(anamorphic.video).toMatchObject({ displayWidth: 1024, displayHeight: 576 });
  });

  it("ignores cover art and reads 10-bit sources", () => {
    const info = interpretProbe(probe([video({ index: 0, codec_name: "mjpeg", disposition: { attached_pic: 1 } }), video({ index: 1, codec_name: "hevc", pix_fmt: "yuv420p10le" })]));
    expect(info.video).toMatchObject({ streamIndex: 1, videoIndex: 1, codec: "hevc", bitDepth: 10 });
  });

  it("refuses files that are not video, in words a person understands", () => {
    expect(reason(() => interpretProbe(probe([video({ codec_name: "bintext" })], { format_name: "tty", duration: "3" })))).toMatch(/^not-media: The file is not a video/);
    expect(reason(() => interpretProbe(probe([audio(0, "eng")])))).toBe("no-video: The file has no video stream, only audio (1 track).");
    expect(reason(() => interpretProbe(probe([video({ codec_name: "png" })], { format_name: "png_pipe" })))).toBe("no-video: The file is a still image, not a video.");
    expect(reason(() => interpretProbe(probe([video({ codec_name: undefined })])))).toMatch(/^no-video: The video stream cannot be decoded/);
    expect(reason(() => interpretProbe(probe([video()], { format_name: "mov,mp4" })))).toMatch(/^corrupt: The video's duration cannot be read/);
  });
});
