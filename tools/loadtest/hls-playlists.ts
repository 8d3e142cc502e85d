/** What a player reads from an HLS master: its variant playlists and its audio renditions (URIs as written, relative). */
export interface HlsMaster {
  variants: string[];
  audio: string[];
}

/** What a player reads from an HLS media playlist: the init segment and each media segment with its duration. */
export interface HlsMedia {
  init: string;
  segments: { uri: string; seconds: number }[];
}

export function parseHlsMaster(text: string): HlsMaster {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const variants = lines.filter((_, i) => i > 0 && lines[i - 1]!.startsWith("#EXT-X-STREAM-INF"));
  const audio = lines.filter((l) => l.startsWith("#EXT-X-MEDIA:") && /TYPE=AUDIO/.test(l)).flatMap((l) => /URI="([^"]+)"/.exec(l)?.[1] ?? []);
  if (variants.length === 0) throw new Error(`no variant streams in the master playlist:\n${text}`);
  return { variants, audio };
}

export function parseHlsMedia(text: string): HlsMedia {
  const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(text)?.[1];
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const segments: HlsMedia["segments"] = [];
  lines.forEach((l, i) => {
    const extinf = /^#EXTINF:([\d.]+)/.exec(l);
    if (extinf && lines[i + 1]) segments.push({ uri: lines[i + 1]!, seconds: Number(extinf[1]) });
  });
  if (init === undefined || segments.length === 0) throw new Error(`not an fMP4 media playlist:\n${text}`);
  return { init, segments };
}
