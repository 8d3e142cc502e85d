/** One segment of a media playlist. */
export interface PlaylistSegment {
  uri: string;
  durationSeconds: number;
}

export interface MediaPlaylist {
  /** EXT-X-MAP URI (fMP4 initialization segment), if any. */
  initUri?: string;
  segments: PlaylistSegment[];
}

/** Reads the segments of a VOD media playlist (as ffmpeg's muxers write them). */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  const playlist: MediaPlaylist = { segments: [] };
  let pendingDuration: number | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith("#EXT-X-MAP:")) {
      playlist.initUri = /URI="([^"]*)"/.exec(line)?.[1];
    } else if (line.startsWith("#EXTINF:")) {
      pendingDuration = Number.parseFloat(line.slice("#EXTINF:".length));
    } else if (!line.startsWith("#")) {
      if (pendingDuration === undefined || !Number.isFinite(pendingDuration)) throw new Error(`segment ${line} has no EXTINF duration`);
      playlist.segments.push({ uri: line, durationSeconds: pendingDuration });
      pendingDuration = undefined;
    }
  }
  return playlist;
}

/** EXT-X-TARGETDURATION: every EXTINF, rounded to the nearest integer, must not exceed it. */
export function targetDuration(segments: readonly PlaylistSegment[]): number {
  return Math.max(1, ...segments.map((s) => Math.round(s.durationSeconds)));
}

/** A VOD media playlist of fMP4 segments: every segment starts with a keyframe (independent). */
export function writeMediaPlaylist(playlist: MediaPlaylist): string {
  const lines = [
    "#EXTM3U",
    // EXT-X-MAP in a playlist that is not I-frames-only needs version 6; 7 is the CMAF baseline.
    "#EXT-X-VERSION:7",
    `#EXT-X-TARGETDURATION:${targetDuration(playlist.segments)}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    "#EXT-X-INDEPENDENT-SEGMENTS",
  ];
  if (playlist.initUri) lines.push(`#EXT-X-MAP:URI="${playlist.initUri}"`);
  for (const s of playlist.segments) lines.push(`#EXTINF:${s.durationSeconds.toFixed(6)},`, s.uri);
  lines.push("#EXT-X-ENDLIST", "");
  return lines.join("\n");
}
