import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { parseMediaPlaylist } from "../hls-media-playlist.js";

const run = promisify(execFile);

/** What ffmpeg prints at `-v error` while decoding the mapped streams of `input` to nowhere ("" = clean). */
export async function decodeErrors(input: string, { inputOptions = [], maps = ["-map", "0"] }: { inputOptions?: string[]; maps?: string[] } = {}): Promise<string> {
  try {
    const { stderr } = await run("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", ...inputOptions, "-i", input, ...maps, "-f", "null", "-"], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return stderr.trim();
  } catch (err) {
    return String((err as { stderr?: string }).stderr || err);
  }
}

export async function ffprobe(input: string, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run("ffprobe", ["-v", "error", "-of", "json", ...args, input], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  channels?: number;
  tags?: { language?: string };
  side_data_list?: { rotation?: number }[];
}

export async function streamsOf(input: string, extraInputOptions: string[] = []): Promise<ProbedStream[]> {
  return ((await ffprobe(input, [...extraInputOptions, "-show_streams"])).streams as ProbedStream[]) ?? [];
}

/**
 * A media playlist's init segment and segments joined into one fragmented MP4 (a valid file),
 * so ffprobe can list its packets.
 */
export async function joinRendition(workDir: string, playlist: string, outFile: string): Promise<{ segmentStarts: number[] }> {
  const dir = path.dirname(path.join(workDir, playlist));
  const parsed = parseMediaPlaylist(await readFile(path.join(workDir, playlist), "utf8"));
  const parts = [parsed.initUri!, ...parsed.segments.map((s) => s.uri)].map((uri) => readFile(path.join(dir, uri)));
  await writeFile(outFile, Buffer.concat(await Promise.all(parts)));
  const segmentStarts: number[] = [];
  let t = 0;
  for (const s of parsed.segments) {
    segmentStarts.push(t);
    t += s.durationSeconds;
  }
  return { segmentStarts };
}

/** Presentation times of the video packets of a file, with whether each is a keyframe. */
export async function videoPackets(file: string): Promise<{ pts: number; key: boolean }[]> {
  const out = await ffprobe(file, ["-select_streams", "v:0", "-show_entries", "packet=pts_time,flags"]);
  return ((out.packets as { pts_time: string; flags: string }[]) ?? []).map((p) => ({ pts: Number(p.pts_time), key: p.flags.startsWith("K") }));
}

/** The attributes of each `#EXT-X-…:` line with the given tag. */
export function playlistTags(text: string, tag: string): Record<string, string>[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${tag}:`))
    .map((l) => {
      const attrs: Record<string, string> = {};
      for (const m of l.slice(tag.length + 1).matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) attrs[m[1]!] = m[2]!.replace(/^"|"$/g, "");
      return attrs;
    });
}

/** URIs that follow each EXT-X-STREAM-INF line of a master playlist. */
export function variantUris(master: string): string[] {
  const lines = master.split("\n");
  return lines.flatMap((l, i) => (l.startsWith("#EXT-X-STREAM-INF:") ? [lines[i + 1]!.trim()] : []));
}

/** Cues of a WebVTT file: [start, end] in seconds and the payload. */
export function vttCues(text: string): { start: number; end: number; payload: string }[] {
  const blocks = text.split(/\n\n+/);
  return blocks.flatMap((b) => {
    const lines = b.trim().split("\n");
    const timing = lines.findIndex((l) => l.includes("-->"));
    if (timing < 0) return [];
    const [start, end] = lines[timing]!.split("-->").map((t) => vttSeconds(t.trim().split(/\s/)[0]!));
    return [{ start: start!, end: end!, payload: lines.slice(timing + 1).join("\n") }];
  });
}

function vttSeconds(t: string): number {
  const parts = t.split(":").map(Number);
  return parts.reduce((acc, p) => acc * 60 + p, 0);
}
