import path from "node:path";

/** The Content-Type of a stored media object, from its name: what players and browsers expect for each. */
export function contentTypeOf(name: string): string {
  const ext = path.extname(name).toLowerCase();
  return (
    {
      ".m3u8": "application/vnd.apple.mpegurl",
      ".mpd": "application/dash+xml",
      ".m4s": "video/iso.segment",
      ".mp4": "video/mp4",
      ".m4a": "audio/mp4",
      ".ts": "video/mp2t",
      ".vtt": "text/vtt; charset=utf-8",
      ".jpg": "image/jpeg",
      ".jpeg": "image/jpeg",
      ".png": "image/png",
      ".webp": "image/webp",
    }[ext] ?? "application/octet-stream"
  );
}
