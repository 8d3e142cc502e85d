import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EnvReader } from "../config.js";
import { MIN_MEDIA_KEY_BYTES } from "./media-token.js";

/**
 * The secret shared by playback (which signs media URLs) and the edge (which checks them):
 * `MEDIA_SIGNING_KEY` (base64, at least 32 bytes) or the file `MEDIA_SIGNING_KEY_FILE` holding it,
 * by default the dev key `npm start` writes under the data dir.
 */
export function readMediaSigningKey(r: EnvReader, dataDir: string): Buffer {
  const file = r.string("MEDIA_SIGNING_KEY_FILE", devMediaKeyFile(dataDir));
  let text = r.optional("MEDIA_SIGNING_KEY") ?? "";
  if (text === "") {
    try {
      text = readFileSync(file, "utf8");
    } catch {
      r.problem(`no media signing key: set MEDIA_SIGNING_KEY or MEDIA_SIGNING_KEY_FILE (looked for ${file}; \`npm start\` creates it)`);
      return Buffer.alloc(0);
    }
  }
  const key = Buffer.from(text.trim(), "base64");
  if (key.length < MIN_MEDIA_KEY_BYTES) r.problem(`the media signing key must be base64 of at least ${MIN_MEDIA_KEY_BYTES} bytes`);
  return key;
}

export function devMediaKeyFile(dataDir: string): string {
  return path.join(dataDir, "keys", "media-signing.key");
}

/** Makes the dev media key once (the launcher calls it beside the token keys) and keeps it across restarts. */
export async function ensureDevMediaKey(dataDir: string): Promise<string> {
  const file = devMediaKeyFile(dataDir);
  try {
    await readFile(file);
  } catch {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  }
  return file;
}
