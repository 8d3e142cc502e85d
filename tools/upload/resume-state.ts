import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** What makes two runs "the same command": same edge, same slot of the same title, same file. */
export interface UploadTarget {
  edge: string;
  contentId: string;
  season: number | undefined;
  episode: number | undefined;
  file: { path: string; size: number; mtimeMs: number };
}

/** An upload the server has registered and that has not been finished yet. */
export interface PendingUpload {
  videoId: string;
  encodingJobId: string;
  uploadId: string;
  /** Absolute tus URL of the upload. */
  uploadUrl: string;
  /** ISO time after which the server no longer takes the bytes; empty when unknown. */
  expiresAt: string;
}

interface StateFile {
  version: 1;
  uploads: Record<string, PendingUpload & { file: string; savedAt: string }>;
}

/**
 * The fingerprint of an upload target. A changed file (size or modification time) is a new
 * upload, never appended to the old one's bytes.
 */
export function fingerprintOf(target: UploadTarget): string {
  const key = [target.edge, target.contentId, target.season ?? "", target.episode ?? "", target.file.path, target.file.size, Math.trunc(target.file.mtimeMs)];
  return createHash("sha256").update(JSON.stringify(key)).digest("hex");
}

/**
 * Unfinished uploads, in a small JSON file keyed by fingerprint, so that running the same command
 * again continues the same server-side upload (tus HEAD tells where it stands) instead of
 * registering a new one. Entries past their expiry are dropped as they are read.
 */
export class ResumeState {
  constructor(
    private readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async find(fingerprint: string): Promise<PendingUpload | undefined> {
    const state = await this.read();
    const entry = state.uploads[fingerprint];
    if (entry === undefined || this.expired(entry)) return undefined;
    const { videoId, encodingJobId, uploadId, uploadUrl, expiresAt } = entry;
    return { videoId, encodingJobId, uploadId, uploadUrl, expiresAt };
  }

  async remember(fingerprint: string, upload: PendingUpload, file: string): Promise<void> {
    const state = await this.read();
    state.uploads[fingerprint] = { ...upload, file, savedAt: this.now().toISOString() };
    await this.write(state);
  }

  async forget(fingerprint: string): Promise<void> {
    const state = await this.read();
    if (!(fingerprint in state.uploads)) return;
    delete state.uploads[fingerprint];
    await this.write(state);
  }

  private expired(entry: PendingUpload): boolean {
    return entry.expiresAt !== "" && Date.parse(entry.expiresAt) <= this.now().getTime();
  }

  private async read(): Promise<StateFile> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, uploads: {} };
      throw err;
    }
    let state: StateFile;
    try {
      state = JSON.parse(text) as StateFile;
    } catch (err) {
      throw new Error(`cannot read the resume state ${this.file} (${(err as Error).message}); delete it to start uploads afresh`);
    }
    if (state?.version !== 1 || typeof state.uploads !== "object" || state.uploads === null) {
      throw new Error(`${this.file} is not an upload resume state (version 1); delete it to start uploads afresh`);
    }
    for (const [fp, entry] of Object.entries(state.uploads)) if (this.expired(entry)) delete state.uploads[fp];
    return state;
  }

  /** Whole-file replace through a rename, so a crash mid-write never leaves half a file. */
  private async write(state: StateFile): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.file);
  }
}
