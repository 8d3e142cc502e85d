import { SubscriptionPlan, VideoQuality } from "../../gen/cinemesh/common/v1/enums_pb.js";

/**
 * What a subscription plan may watch, and cutting playlists down to it. Renditions are named by
 * their short side ("480p" is 854x480 landscape, 480x854 portrait) and live in folders of that
 * name, so one number caps a session whatever the video's orientation.
 */

/** No cap: every rung the video has. */
export const UNCAPPED = 100_000;

/** seeds/000 §2: BASIC up to 480p, STANDARD up to 1080p, PREMIUM everything (4K). Unknown plans watch nothing. */
export function maxShortSideOf(plan: SubscriptionPlan): number {
  switch (plan) {
    case SubscriptionPlan.BASIC:
      return 480;
    case SubscriptionPlan.STANDARD:
      return 1080;
    case SubscriptionPlan.PREMIUM:
      return UNCAPPED;
    default:
      return 0;
  }
}

/** The ladder quality of a rendition of the given size (by its short side), UNSPECIFIED off the ladder. */
export function qualityOfShortSide(shortSide: number): VideoQuality {
  return SHORT_SIDES.find(([side]) => side === shortSide)?.[1] ?? VideoQuality.VIDEO_QUALITY_UNSPECIFIED;
}

const SHORT_SIDES: [number, VideoQuality][] = [
  [360, VideoQuality.VIDEO_QUALITY_360P],
  [480, VideoQuality.VIDEO_QUALITY_480P],
  [720, VideoQuality.VIDEO_QUALITY_720P],
  [1080, VideoQuality.VIDEO_QUALITY_1080P],
  [2160, VideoQuality.VIDEO_QUALITY_2160P],
];

/**
 * The short side of the rendition an object key belongs to (`…/1080p/seg-00001.m4s` → 1080), or
 * undefined for keys outside a rendition folder (master playlist, audio, subtitles, artwork).
 */
export function renditionShortSideOf(key: string): number | undefined {
  const folders = key.split("/").slice(0, -1);
  for (const folder of folders) {
    const m = /^(\d{2,5})p$/.exec(folder);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/**
 * The HLS master playlist without the variants above the cap (an EXT-X-STREAM-INF line and the URI
 * after it; EXT-X-I-FRAME-STREAM-INF lines by their URI). Audio and subtitle renditions stay.
 */
export function capHlsMaster(master: string, maxShortSide: number): string {
  const lines = master.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("#EXT-X-STREAM-INF:")) {
      let j = i + 1;
      while (j < lines.length && (lines[j].trim() === "" || (lines[j].startsWith("#") && !lines[j].startsWith("#EXT")))) j++;
      const uri = lines[j] ?? "";
      if (aboveCap(uri, attribute(line, "RESOLUTION"), maxShortSide)) {
        i = j;
        continue;
      }
    } else if (line.startsWith("#EXT-X-I-FRAME-STREAM-INF:")) {
      if (aboveCap(attribute(line, "URI") ?? "", attribute(line, "RESOLUTION"), maxShortSide)) continue;
    }
    out.push(line);
  }
  return out.join("\n");
}

/**
 * The DASH MPD without the video Representations above the cap (by @width/@height); a set left
 * empty goes too, and a set's @maxWidth/@maxHeight shrink to what it still offers.
 */
export function capDashMpd(mpd: string, maxShortSide: number): string {
  return mpd.replace(/[ \t]*<AdaptationSet\b[\s\S]*?<\/AdaptationSet>[ \t]*\n?/g, (set) => {
    const kept: { width: number; height: number }[] = [];
    let removed = 0;
    const body = set.replace(/[ \t]*<Representation\b[^>]*?(?:\/>|>[\s\S]*?<\/Representation>)[ \t]*\n?/g, (element) => {
      const size = sizeOf(element);
      if (size !== undefined && Math.min(size.width, size.height) > maxShortSide) {
        removed++;
        return "";
      }
      if (size !== undefined) kept.push(size);
      return element;
    });
    if (removed === 0) return set;
    if (kept.length === 0) return "";
    return body
      .replace(/(<AdaptationSet\b[^>]*\smaxWidth=")\d+"/, `$1${Math.max(...kept.map((k) => k.width))}"`)
      .replace(/(<AdaptationSet\b[^>]*\smaxHeight=")\d+"/, `$1${Math.max(...kept.map((k) => k.height))}"`);
  });
}

function sizeOf(representation: string): { width: number; height: number } | undefined {
  const open = /^\s*<Representation\b[^>]*>/.exec(representation)?.[0] ?? "";
  const width = /\swidth="(\d+)"/.exec(open)?.[1];
  const height = /\sheight="(\d+)"/.exec(open)?.[1];
  return width !== undefined && height !== undefined ? { width: Number(width), height: Number(height) } : undefined;
}

function aboveCap(uri: string, resolution: string | undefined, maxShortSide: number): boolean {
  const byFolder = renditionShortSideOf(uri.split("?")[0]);
  if (byFolder !== undefined) return byFolder > maxShortSide;
  const m = /^(\d+)x(\d+)$/.exec(resolution ?? "");
  return m ? Math.min(Number(m[1]), Number(m[2])) > maxShortSide : false;
}

function attribute(line: string, name: string): string | undefined {
  const m = new RegExp(`[:,]${name}=("([^"]*)"|[^,]*)`).exec(line);
  return m ? (m[2] ?? m[1]) : undefined;
}
