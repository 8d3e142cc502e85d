export interface MasterVariant {
  uri: string;
  /** Peak bits per second, audio included. */
  bandwidth: number;
  averageBandwidth: number;
  width: number;
  height: number;
  frameRate: number;
  /** RFC 6381 codec strings of the video and of the audio that plays with it. */
  codecs: string[];
}

export interface MasterMedia {
  uri: string;
  /** Menu label; unique within its group. */
  name: string;
  /** BCP 47, or "und" (then LANGUAGE is left out). */
  language: string;
  isDefault: boolean;
}

export interface MasterAudio extends MasterMedia {
  channels: number;
}

export interface MasterPlaylistInput {
  variants: MasterVariant[];
  audio: MasterAudio[];
  subtitles: MasterMedia[];
}

const AUDIO_GROUP = "audio";
const SUBTITLE_GROUP = "subs";

/**
 * The HLS master playlist: every audio track as an EXT-X-MEDIA rendition of one AUDIO group (the
 * first is DEFAULT), subtitles as a SUBTITLES group, and one EXT-X-STREAM-INF per video rung with
 * measured BANDWIDTH / AVERAGE-BANDWIDTH, RESOLUTION, FRAME-RATE and CODECS.
 */
export function writeMasterPlaylist({ variants, audio, subtitles }: MasterPlaylistInput): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS", ""];
  for (const a of audio) {
    lines.push(
      `#EXT-X-MEDIA:${attributes([
        ["TYPE", "AUDIO"],
        ["GROUP-ID", quoted(AUDIO_GROUP)],
        ["NAME", quoted(a.name)],
        ["LANGUAGE", a.language === "und" ? undefined : quoted(a.language)],
        ["DEFAULT", a.isDefault ? "YES" : "NO"],
        ["AUTOSELECT", "YES"],
        ["CHANNELS", quoted(String(a.channels))],
        ["URI", quoted(a.uri)],
      ])}`,
    );
  }
  for (const s of subtitles) {
    lines.push(
      `#EXT-X-MEDIA:${attributes([
        ["TYPE", "SUBTITLES"],
        ["GROUP-ID", quoted(SUBTITLE_GROUP)],
        ["NAME", quoted(s.name)],
        ["LANGUAGE", s.language === "und" ? undefined : quoted(s.language)],
        ["DEFAULT", s.isDefault ? "YES" : "NO"],
        ["AUTOSELECT", "YES"],
        ["FORCED", "NO"],
        ["URI", quoted(s.uri)],
      ])}`,
    );
  }
  if (audio.length + subtitles.length > 0) lines.push("");
  for (const v of [...variants].sort((a, b) => a.bandwidth - b.bandwidth)) {
    lines.push(
      `#EXT-X-STREAM-INF:${attributes([
        ["BANDWIDTH", String(Math.round(v.bandwidth))],
        ["AVERAGE-BANDWIDTH", String(Math.round(v.averageBandwidth))],
        ["RESOLUTION", `${v.width}x${v.height}`],
        ["FRAME-RATE", v.frameRate.toFixed(3)],
        ["CODECS", quoted(v.codecs.join(","))],
        ["AUDIO", audio.length > 0 ? quoted(AUDIO_GROUP) : undefined],
        ["SUBTITLES", subtitles.length > 0 ? quoted(SUBTITLE_GROUP) : undefined],
        ["CLOSED-CAPTIONS", "NONE"],
      ])}`,
      v.uri,
    );
  }
  lines.push("");
  return lines.join("\n");
}

function attributes(pairs: [string, string | undefined][]): string {
  return pairs.flatMap(([key, value]) => (value === undefined ? [] : [`${key}=${value}`])).join(",");
}

/** HLS quoted strings may not hold a double quote or a line break. */
function quoted(text: string): string {
  return `"${text.replace(/"/g, "'").replace(/[\r\n]+/g, " ")}"`;
}
