/**
 * Adding subtitle tracks to an encoded video's HLS master playlist, pure. A subtitle uploaded after
 * encoding gets a one-segment WebVTT media playlist next to the master, an `EXT-X-MEDIA` entry of
 * TYPE=SUBTITLES, and every variant (`EXT-X-STREAM-INF`) names the subtitles group.
 */

export interface MasterSubtitle {
  language: string;
  /** Menu name. */
  name: string;
  /** Media playlist URI, relative to the master. */
  uri: string;
  /** Closed captions for the deaf and hard of hearing (CHARACTERISTICS per Apple's HLS spec). */
  closedCaptions: boolean;
}

const DEFAULT_GROUP = "subs";

/** The master with exactly `subtitles` as its subtitle renditions (entries for the same URI are replaced). */
export function withSubtitles(master: string, subtitles: MasterSubtitle[]): string {
  const lines = master.replace(/\r\n?/g, "\n").split("\n");
  const group = existingGroup(lines) ?? DEFAULT_GROUP;
  const uris = new Set(subtitles.map((s) => s.uri));
  const kept = lines.filter((l) => !(l.startsWith("#EXT-X-MEDIA:") && /TYPE=SUBTITLES/.test(l) && uris.has(attr(l, "URI") ?? "")));
  const media = subtitles.map((s) => mediaLine(group, s));
  const out: string[] = [];
  let inserted = false;
  for (const line of kept) {
    if (!inserted && line.startsWith("#EXT-X-STREAM-INF:")) {
      out.push(...media);
      inserted = true;
    }
    out.push(line.startsWith("#EXT-X-STREAM-INF:") && subtitles.length > 0 ? withGroup(line, group) : line);
  }
  if (!inserted) out.push(...media);
  return out.join("\n").replace(/\n*$/, "\n");
}

/** A VOD media playlist of one WebVTT file spanning the whole video. */
export function subtitlePlaylist(vttUri: string, durationSeconds: number): string {
  const duration = Math.max(1, Math.ceil(durationSeconds));
  return [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${duration}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    `#EXTINF:${duration.toFixed(3)},`,
    vttUri,
    "#EXT-X-ENDLIST",
    "",
  ].join("\n");
}

function mediaLine(group: string, s: MasterSubtitle): string {
  const characteristics = s.closedCaptions ? ',CHARACTERISTICS="public.accessibility.describes-music-and-sound,public.accessibility.transcribes-spoken-dialog"' : "";
  return `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="${group}",NAME="${quote(s.name)}",LANGUAGE="${quote(s.language)}",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO${characteristics},URI="${quote(s.uri)}"`;
}

function existingGroup(lines: string[]): string | undefined {
  for (const l of lines) if (l.startsWith("#EXT-X-MEDIA:") && /TYPE=SUBTITLES/.test(l)) return attr(l, "GROUP-ID");
  return undefined;
}

function withGroup(streamInf: string, group: string): string {
  if (/[:,]SUBTITLES="/.test(streamInf)) return streamInf.replace(/([:,])SUBTITLES="[^"]*"/, `$1SUBTITLES="${group}"`);
  return `${streamInf},SUBTITLES="${group}"`;
}

function attr(line: string, name: string): string | undefined {
  return new RegExp(`[:,]${name}="([^"]*)"`).exec(line)?.[1];
}

function quote(v: string): string {
  return v.replace(/["\n\r]/g, "");
}
