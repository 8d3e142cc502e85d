import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { InvalidSubtitleError } from "./errors.js";
import type { FfmpegCommandSpec } from "./ffmpeg-command.js";
import { writeMediaPlaylist } from "./hls-media-playlist.js";
import { languageLabel, toBcp47, uniqueTrackNames } from "./language.js";
import { runFfmpeg, type RunOptions } from "./runner.js";

export interface SubtitleUpload {
  /** BCP 47 or ISO 639 ("en", "pt-BR", "fra"). */
  language: string;
  label?: string;
  path: string;
  format: "srt" | "webvtt";
}

export interface StoredSubtitle {
  /** BCP 47. */
  language: string;
  label: string;
  /** The WebVTT file, relative to the work folder. */
  path: string;
  /** Its HLS media playlist (one segment: the whole file), relative to the work folder. */
  playlist: string;
}

export const SUBTITLE_DIR = "subtitles";

/**
 * ffmpeg reads the upload as the format it claims (no detection, so a playlist is read as text
 * and refused) and from the local file only, and writes WebVTT (SRT converted, VTT normalised).
 */
export function subtitleCommand(upload: SubtitleUpload, outputPath: string): FfmpegCommandSpec {
  return {
    inputs: [{ path: upload.path, options: ["-hide_banner", "-nostdin", "-v", "error", "-protocol_whitelist", "file", "-f", upload.format === "srt" ? "srt" : "webvtt"] }],
    outputs: [{ path: outputPath, options: ["-map", "0:s:0", "-c:s", "webvtt", "-f", "webvtt"] }],
    directories: [path.dirname(outputPath)],
  };
}

/**
 * Stores every uploaded subtitle as `subtitles/<lang>.vtt` with a `subtitles/<lang>.m3u8` playlist
 * covering the whole duration. A file ffmpeg cannot read, or one without a single cue, is refused.
 */
export async function storeSubtitles(
  uploads: readonly SubtitleUpload[],
  workDir: string,
  durationSeconds: number,
  run: Omit<RunOptions, "onTick" | "description">,
): Promise<StoredSubtitle[]> {
  const languages = uploads.map((u) => toBcp47(u.language));
  const names = uniqueTrackNames("", languages);
  return Promise.all(
    uploads.map(async (upload, i) => {
      const language = languages[i]!;
      const vtt = path.join(SUBTITLE_DIR, `${names[i]}.vtt`);
      const playlist = path.join(SUBTITLE_DIR, `${names[i]}.m3u8`);
      const label = upload.label?.trim() || languageLabel(language, language);
      try {
        await runFfmpeg(subtitleCommand(upload, path.join(workDir, vtt)), { ...run, description: `subtitle ${label} failed` });
      } catch (err) {
        if (run.signal?.aborted) throw err;
        throw new InvalidSubtitleError(language, `The ${label} subtitles cannot be read as ${upload.format === "srt" ? "SRT" : "WebVTT"}.`, { cause: err });
      }
      if (!(await readFile(path.join(workDir, vtt), "utf8")).includes("-->")) {
        throw new InvalidSubtitleError(language, `The ${label} subtitles contain no cues.`);
      }
      await writeFile(path.join(workDir, playlist), writeMediaPlaylist({ segments: [{ uri: path.basename(vtt), durationSeconds }] }));
      return { language, label, path: vtt, playlist };
    }),
  );
}
