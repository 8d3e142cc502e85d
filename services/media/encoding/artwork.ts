import { access, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildArtworkCommand, type RenditionFiles } from "./artwork-command.js";
import type { ArtworkPlan } from "./encode-plan.js";
import { EncodingFailedError } from "./errors.js";
import { runFfmpeg, type RunOptions } from "./runner.js";
import { trickplayVtt } from "./trickplay.js";

export interface Artwork {
  thumbnails: string[];
  trickplay: { sprite: string; vtt: string; intervalSeconds: number };
  preview: string;
}

/** Draws the thumbnails, trickplay sprite and preview from the encoded rungs, and writes the sprite's WebVTT index. */
export async function makeArtwork(
  plan: ArtworkPlan,
  workDir: string,
  durationSeconds: number,
  filesOf: (rendition: string) => RenditionFiles,
  run: Omit<RunOptions, "onTick" | "description">,
): Promise<Artwork> {
  await runFfmpeg(buildArtworkCommand(plan, workDir, filesOf), { ...run, description: "artwork failed" });
  const { grid, spritePath, vttPath } = plan.trickplay;
  const expected = [...plan.thumbnails.shots.map((t) => t.path), spritePath, plan.preview.path];
  const missing = (await Promise.all(expected.map(async (p) => ((await exists(path.join(workDir, p))) ? [] : [p])))).flat();
  if (missing.length > 0) throw new EncodingFailedError("artwork failed", `ffmpeg wrote no ${missing.join(", ")}`);
  await writeFile(path.join(workDir, vttPath), trickplayVtt(grid, durationSeconds, path.basename(spritePath)));
  return {
    thumbnails: plan.thumbnails.shots.map((t) => t.path),
    trickplay: { sprite: spritePath, vtt: vttPath, intervalSeconds: grid.intervalSeconds },
    preview: plan.preview.path,
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
