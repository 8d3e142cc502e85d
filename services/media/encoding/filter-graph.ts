import type { EncodePlan } from "./encode-plan.js";
import { formatRational } from "./rational.js";

/**
 * The pass's filter graph: the source is decoded once, made constant-frame-rate (so a GOP is the
 * same frames in every rung), then split to one scaler per rung. ffmpeg applies the source's
 * rotation before this graph (autorotate), so sizes here are display sizes; every rung gets
 * square pixels (setsar=1). Returns the graph and the output label of each rung, in order.
 */
export function buildFilterGraph(plan: EncodePlan): { graph: string; labels: string[] } {
  const labels = plan.renditions.map((_, i) => `v${i}`);
  const split = `[0:${plan.video.streamIndex}]fps=${formatRational(plan.frameRate)},split=${labels.length}${labels.map((l) => `[${l}in]`).join("")}`;
  const scalers = plan.renditions.map(
    (r, i) => `[${labels[i]}in]scale=${r.width}:${r.height},setsar=1,format=${pixelFormat(r.codec, plan.video.bitDepth)}[${labels[i]}]`,
  );
  return { graph: [split, ...scalers].join(";"), labels };
}

/** H.264 High is 8-bit; HEVC keeps 10 bits when the source has them. */
function pixelFormat(codec: "h264" | "h265", sourceBitDepth: number): string {
  return codec === "h265" && sourceBitDepth > 8 ? "yuv420p10le" : "yuv420p";
}
