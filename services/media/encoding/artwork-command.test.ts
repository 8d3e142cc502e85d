import { describe, expect, it } from "vitest";
import { buildArtworkCommand, keyframeAt, segmentAt, type RenditionFiles } from "./artwork-command.js";
import type { ArtworkPlan } from "./encode-plan.js";
import { trickplayGrid } from "./trickplay.js";

const segments = [4, 4, 4, 4, 2.5].map((d, i) => ({ uri: `seg-0000${i + 1}.m4s`, durationSeconds: d }));
// Only the encoded rungs' own formats and protocols, even though ffmpeg wrote them.
const pinned = ["-format_whitelist", "hls,mov", "-protocol_whitelist", "file,concat"];
const files = (name: string): RenditionFiles => ({ playlist: `/w/${name}/index.m3u8`, init: `/w/${name}/init.mp4`, segments });

const artwork: ArtworkPlan = {
  thumbnails: { rendition: "720p", keyframeSeconds: 2, shots: [{ atSeconds: 1.85, path: "artwork/thumb-10.jpg" }, { atSeconds: 9.25, path: "artwork/thumb-50.jpg" }] },
  trickplay: { rendition: "360p", grid: trickplayGrid(18.5, { width: 640, height: 360 }, { gopSeconds: 2, minIntervalSeconds: 4 }), spritePath: "artwork/trickplay.jpg", vttPath: "artwork/trickplay.vtt" },
  preview: { rendition: "480p", startSeconds: 5, durationSeconds: 6, path: "artwork/preview.mp4" },
};

describe("segmentAt", () => {
  it("finds the segment holding a time, and the last one past the end", () => {
    expect(segmentAt(segments, 0)).toMatchObject({ index: 0, start: 0 });
    expect(segmentAt(segments, 4)).toMatchObject({ index: 1, start: 4 });
    expect(segmentAt(segments, 17.9)).toEqual({ index: 4, start: 16, durationSeconds: 2.5 });
    expect(segmentAt(segments, 99)).toMatchObject({ index: 4, start: 16 });
  });
});

describe("keyframeAt", () => {
  // What ffmpeg's dash muxer wrote for the 3-minute camera upload: three GOPs of 2.002 s per segment.
  const gop = 60 / (30000 / 1001);
  const camera = Array.from({ length: 30 }, (_, i) => ({ uri: `seg-${i + 1}.m4s`, durationSeconds: 6.006006 }));

  it("puts a keyframe on a segment boundary at the start of the next segment, not past the end of the one before", () => {
    // 9 GOPs in, a microsecond under the sum of three rounded durations: the upload's thumb-10 was read at -ss 5.996.
    expect(keyframeAt(camera, 9 * gop - 1e-6, gop)).toEqual({ index: 3, offset: 0 });
    expect(keyframeAt(camera, 9 * gop + 1e-9, gop)).toEqual({ index: 3, offset: 0 });
    const inside = keyframeAt(camera, 10 * gop, gop);
    expect(inside.index).toBe(3);
    expect(inside.offset).toBeCloseTo(gop, 3);
  });

  it("never seeks past the last keyframe of the segment it reads, even in a source shorter than one segment", () => {
    const short = [{ uri: "seg-1.m4s", durationSeconds: 3.003 }];
    expect(keyframeAt(short, 0.3, gop)).toEqual({ index: 0, offset: 0.3 });
    expect(keyframeAt(short, 2.9, gop).offset).toBeCloseTo(gop, 3);
    expect(keyframeAt(short, 99, gop).offset).toBeCloseTo(gop, 3);
    expect(keyframeAt([{ uri: "seg-1.m4s", durationSeconds: 1.5 }], 1.2, gop)).toEqual({ index: 0, offset: 0 });
  });
});

describe("buildArtworkCommand", () => {
  const spec = buildArtworkCommand(artwork, "/w", files);

  it("tiles every other keyframe of the lowest rung, decoding keyframes only", () => {
    expect(spec.inputs[0]).toEqual({ path: "/w/360p/index.m3u8", options: ["-hide_banner", "-nostdin", "-v", "error", ...pinned, "-skip_frame", "nokey"] });
    expect(spec.filterComplex).toBe("[0:v]select='not(mod(n,2))',scale=160:90,setsar=1,tile=5x1,format=yuvj420p[sprite]");
  });

  it("reads each thumbnail's segment alone, keyframes only, and skips to its time", () => {
    expect(spec.inputs[1]).toEqual({ path: "concat:/w/720p/init.mp4|/w/720p/seg-00001.m4s", options: [...pinned, "-skip_frame", "nokey"] });
    expect(spec.inputs[2]!.path).toBe("concat:/w/720p/init.mp4|/w/720p/seg-00003.m4s");
    const second = spec.outputs[2]!.options;
    expect(second.slice(0, 4)).toEqual(["-map", "2:v", "-ss", "1.240"]);
    expect(spec.outputs[2]!.path).toBe("/w/artwork/thumb-50.jpg");
  });

  it("copies whole segments of 480p for the preview, from the segment boundary before its start", () => {
    expect(spec.inputs[3]!.path).toBe("concat:/w/480p/init.mp4|/w/480p/seg-00002.m4s|/w/480p/seg-00003.m4s");
    expect(spec.outputs[3]!.options).toEqual(["-map", "3:v", "-c", "copy", "-t", "6.000", "-movflags", "+faststart"]);
  });
});
