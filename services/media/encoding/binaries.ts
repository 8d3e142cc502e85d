import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Where the ffmpeg and ffprobe executables are: `FFMPEG_PATH` / `FFPROBE_PATH`, else the first on
 * `PATH`, else the binary shipped inside the npm packages `@ffmpeg-installer/ffmpeg` and
 * `@ffprobe-installer/ffprobe` (a static build, for machines without a system ffmpeg).
 */
export function ffmpegPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolveBinary("ffmpeg", env.FFMPEG_PATH, env.PATH, "@ffmpeg-installer/ffmpeg");
}

export function ffprobePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolveBinary("ffprobe", env.FFPROBE_PATH, env.PATH, "@ffprobe-installer/ffprobe");
}

function resolveBinary(name: string, explicit: string | undefined, searchPath: string | undefined, npmPackage: string): string {
  if (explicit) return explicit;
  const onPath = findOnPath(name, searchPath);
  if (onPath) return onPath;
  const shipped = npmShippedBinary(npmPackage);
  if (shipped) return shipped;
  throw new Error(
    `${name} not found: set ${name.toUpperCase()}_PATH, put ${name} on PATH, or install ${npmPackage}`,
  );
}

function findOnPath(name: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function npmShippedBinary(npmPackage: string): string | undefined {
  try {
    // The installer packages throw (a string) on platforms they ship no binary for.
    const shipped = createRequire(import.meta.url)(npmPackage) as { path?: unknown };
    return typeof shipped.path === "string" ? shipped.path : undefined;
  } catch {
    return undefined;
  }
}
