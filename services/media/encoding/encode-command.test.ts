import { describe, expect, it } from "vitest";
import { buildEncodeCommand } from "./encode-command.js";
import { outputFrameRate, planEncode } from "./encode-plan.js";
import { commandArgs } from "./ffmpeg-command.js";
import type { SourceInfo } from "./source-info.js";

const source4k: SourceInfo = {
  durationSeconds: 120,
  container: "mov,mp4",
  sizeBytes: 1,
  video: {
    streamIndex: 0,
    videoIndex: 0,
    codec: "hevc",
    width: 3840,
    height: 2160,
    displayWidth: 3840,
    displayHeight: 2160,
    rotation: 0,
    frameRate: { num: 24000, den: 1001 },
    durationSeconds: 120,
    bitDepth: 10,
  },
  audio: [
    { streamIndex: 1, codec: "eac3", channels: 6, language: "en", isoLanguage: "eng", label: "English" },
    { streamIndex: 3, codec: "aac", channels: 2, language: "fr", isoLanguage: "fre", label: "French" },
  ],
};

const plan = planEncode("/in/source.mov", source4k, { preset: "veryfast" });
const spec = buildEncodeCommand(plan, "/work");
const args = commandArgs(spec);
const output = spec.outputs[0]!.options;
/** The value following `flag` in the output options. */
const value = (flag: string): string | undefined => output[output.indexOf(flag) + 1];

describe("planEncode", () => {
  it("keeps the source frame rate and makes a GOP of 2 s in whole frames, two per segment", () => {
    expect(plan.frameRate).toEqual({ num: 24000, den: 1001 });
    expect(plan.gopFrames).toBe(48);
    expect(plan.segmentSeconds).toBeCloseTo(4.004, 6);
  });

  it("halves frame rates above 60", () => {
    expect(outputFrameRate({ num: 120, den: 1 })).toEqual({ num: 60, den: 1 });
    expect(outputFrameRate({ num: 120000, den: 1001 })).toEqual({ num: 60000, den: 1001 });
    expect(outputFrameRate({ num: 50, den: 1 })).toEqual({ num: 50, den: 1 });
  });

  it("draws artwork from the rungs: thumbnails from 720p, the sprite from 360p, the preview from 480p", () => {
    expect(plan.artwork.thumbnails.rendition).toBe("720p");
    // At 10 %, 50 % and 90 %, each moved back to a keyframe (GOPs of 2.002 s).
    expect(plan.artwork.thumbnails.shots.map((s) => s.path)).toEqual(["artwork/thumb-10.jpg", "artwork/thumb-50.jpg", "artwork/thumb-90.jpg"]);
    const at = plan.artwork.thumbnails.shots.map((s) => s.atSeconds);
    [10.01, 58.058, 106.106].forEach((t, i) => expect(at[i]).toBeCloseTo(t, 6));
    expect(plan.artwork.trickplay).toMatchObject({ rendition: "360p", grid: { keyframesPerTile: 1, tileWidth: 160, tileHeight: 90 } });
    expect(plan.artwork.preview).toMatchObject({ rendition: "480p", startSeconds: 12, durationSeconds: 10 });
  });
});

describe("buildEncodeCommand", () => {
  it("decodes once and splits to one scaler per rung, at constant frame rate with square pixels", () => {
    expect(spec.inputs).toHaveLength(1);
    expect(spec.outputs).toHaveLength(1);
    expect(spec.filterComplex).toBe(
      "[0:0]fps=24000/1001,split=5[v0in][v1in][v2in][v3in][v4in];" +
        "[v0in]scale=640:360,setsar=1,format=yuv420p[v0];" +
        "[v1in]scale=854:480,setsar=1,format=yuv420p[v1];" +
        "[v2in]scale=1280:720,setsar=1,format=yuv420p[v2];" +
        "[v3in]scale=1920:1080,setsar=1,format=yuv420p[v3];" +
        "[v4in]scale=3840:2160,setsar=1,format=yuv420p10le[v4]",
    );
    expect(args).not.toContain("-noautorotate");
  });

  it("encodes the H.264 rungs with x264 and 2160p with x265 (hvc1), each at its ladder bitrate", () => {
    expect([0, 1, 2, 3].map((i) => value(`-c:v:${i}`))).toEqual(["libx264", "libx264", "libx264", "libx264"]);
    expect(value("-c:v:4")).toBe("libx265");
    expect(value("-tag:v:4")).toBe("hvc1");
    expect([0, 1, 2, 3, 4].map((i) => value(`-b:v:${i}`))).toEqual(["1000000", "2000000", "5000000", "8000000", "25000000"]);
    expect(value("-maxrate:v:3")).toBe("12000000");
    expect(value("-bufsize:v:3")).toBe("16000000");
    expect(value("-preset:v:4")).toBe("veryfast");
  });

  it("puts a keyframe every GOP and nowhere else, the same frames in every rung", () => {
    expect(value("-g")).toBe("48");
    expect(value("-keyint_min")).toBe("48");
    expect(value("-sc_threshold")).toBe("0");
    expect(value("-force_key_frames")).toBe("expr:eq(mod(n,48),0)");
    expect(value("-x264-params:v:0")).toBe("keyint=48:min-keyint=48:scenecut=0:open-gop=0");
    expect(value("-x265-params:v:4")).toBe("keyint=48:min-keyint=48:scenecut=0:open-gop=0:log-level=error");
  });

  it("encodes every source audio track to AAC stereo 128 kbps, keeping its language", () => {
    expect(output.filter((o, i) => output[i - 1] === "-map")).toEqual(["[v0]", "[v1]", "[v2]", "[v3]", "[v4]", "0:1", "0:3"]);
    for (const j of [0, 1]) {
      expect([value(`-c:a:${j}`), value(`-b:a:${j}`), value(`-ac:a:${j}`), value(`-ar:a:${j}`)]).toEqual(["aac", "128000", "2", "48000"]);
    }
    expect(value("-metadata:s:a:1")).toBe("language=fre");
  });

  it("segments into fMP4 through the dash muxer at two GOPs, with an HLS playlist per stream", () => {
    expect(value("-f")).toBe("dash");
    expect(value("-dash_segment_type")).toBe("mp4");
    expect(value("-seg_duration")).toBe("4.004000");
    expect(value("-adaptation_sets")).toBe("id=0,streams=0 id=1,streams=1 id=2,streams=2 id=3,streams=3 id=4,streams=4 id=5,streams=5 id=6,streams=6");
    expect(value("-hls_playlist")).toBe("1");
    expect(value("-init_seg_name")).toBe("stream$RepresentationID$/init.mp4");
    expect(spec.directories).toEqual(["/work/stream0", "/work/stream1", "/work/stream2", "/work/stream3", "/work/stream4", "/work/stream5", "/work/stream6"]);
    expect(spec.outputs[0]!.path).toBe("/work/manifest.mpd");
  });
});
