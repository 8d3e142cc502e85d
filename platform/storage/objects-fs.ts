import { randomUUID } from "node:crypto";
import { createWriteStream, type Stats } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertObjectKey, assertObjectPrefix } from "./object-key.js";
import type { ListedObject, ObjectInfo, ObjectStore } from "./objects.js";
import { InvalidObjectKeyError, ObjectNotFoundError, resolveRange } from "./objects.js";

const READ_CHUNK_BYTES = 1 << 20;

export interface FsObjectStoreOptions {
  /** Root directory, e.g. `.cinemesh/objects`; shared by every process of the local mesh. */
  root: string;
}

interface Meta {
  contentType: string;
}

const DEFAULT_CONTENT_TYPE = "application/octet-stream";

/**
 * The embedded object store: object bytes at `<root>/data/<key>`, content type at
 * `<root>/meta/<key>`. Writes go to `<root>/tmp` first and are renamed into place, so readers
 * (in any process) see a whole old or a whole new object. A key cannot be both an object and
 * the folder of other objects (`a` and `a/b`), which S3 would allow.
 */
export async function createFsObjectStore(options: FsObjectStoreOptions): Promise<ObjectStore> {
  const root = path.resolve(options.root);
  const dirs = { data: path.join(root, "data"), meta: path.join(root, "meta"), tmp: path.join(root, "tmp") };
  await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));

  const dataPath = (key: string) => path.join(dirs.data, key);
  const metaPath = (key: string) => path.join(dirs.meta, key);

  const readMeta = async (key: string): Promise<Meta> => {
    try {
      return JSON.parse(await readFile(metaPath(key), "utf8")) as Meta;
    } catch {
      return { contentType: DEFAULT_CONTENT_TYPE };
    }
  };

  /** Writes to a temp file, then renames it over `target`. */
  const writeAtomically = async (key: string, target: string, write: (tmp: string) => Promise<void>) => {
    const tmp = path.join(dirs.tmp, randomUUID());
    try {
      await write(tmp);
      // A concurrent delete may prune the (momentarily empty) folder between mkdir and rename.
      for (let attempt = 1; ; attempt++) {
        await mkdir(path.dirname(target), { recursive: true });
        try {
          await rename(tmp, target);
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "ENOENT" || attempt === 3) throw err;
        }
      }
    } catch (err) {
      await rm(tmp, { force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOTDIR" || code === "EISDIR") {
        throw new InvalidObjectKeyError(key, "clashes with an existing key used as a folder (or the reverse)");
      }
      throw err;
    }
  };

  const removeObject = async (key: string): Promise<boolean> => {
    const existed = await unlink(dataPath(key)).then(
      () => true,
      (err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? false : Promise.reject(err)),
    );
    await rm(metaPath(key), { force: true });
    await pruneEmptyParents(dirs.data, path.dirname(dataPath(key)));
    await pruneEmptyParents(dirs.meta, path.dirname(metaPath(key)));
    return existed;
  };

  const store: ObjectStore = {
    async put(key, body, contentType) {
      assertObjectKey(key);
      const meta: Meta = { contentType };
      await writeAtomically(key, metaPath(key), (tmp) => writeFile(tmp, JSON.stringify(meta)));
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      await writeAtomically(key, dataPath(key), (tmp) => pipeline(source, createWriteStream(tmp)));
    },

    async get(key, range) {
      const body = await store.getBody(key, range);
      const { contentType } = await readMeta(key);
      return { ...body, contentType };
    },

    async getBody(key, range) {
      assertObjectKey(key);
      // Open first, then stat the open file: a concurrent put renames a new file into place but
      // cannot change the one we hold.
      const file = await open(dataPath(key)).catch((err: NodeJS.ErrnoException) => {
        throw err.code === "ENOENT" || err.code === "EISDIR" ? new ObjectNotFoundError(key) : err;
      });
      try {
        const stats = await file.stat();
        const { size } = stats;
        const version = fileVersion(stats);
        const resolved = resolveRange(key, size, range);
        if (size === 0) {
          await file.close();
          return { body: Readable.from([]), size, range: resolved, version };
        }
        // 1 MiB reads: with the default 64 KiB, a segment costs dozens of threadpool round trips
        // and buffers, and the media origin served a fifth of nginx's bytes/s (README, playback load).
        const body = file.createReadStream({ start: resolved.start, end: resolved.end, highWaterMark: READ_CHUNK_BYTES });
        return { body, size, range: resolved, version };
      } catch (err) {
        await file.close();
        throw err;
      }
    },

    async head(key) {
      assertObjectKey(key);
      try {
        const s = await stat(dataPath(key));
        if (!s.isFile()) return null;
        const { contentType } = await readMeta(key);
        return { key, size: s.size, contentType, lastModified: s.mtime, version: fileVersion(s) } satisfies ObjectInfo;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return null;
        throw err;
      }
    },

    async exists(key) {
      return (await store.head(key)) !== null;
    },

    async *list(prefix) {
      assertObjectPrefix(prefix);
      for (const entry of await listFiles(dirs.data, prefix)) yield entry;
    },

    async delete(key) {
      assertObjectKey(key);
      await removeObject(key);
    },

    async deletePrefix(prefix) {
      assertObjectPrefix(prefix);
      if (prefix === "") throw new InvalidObjectKeyError(prefix, "refusing to delete every object");
      let deleted = 0;
      for (const { key } of await listFiles(dirs.data, prefix)) if (await removeObject(key)) deleted++;
      return deleted;
    },

    async close() {},
  };
  return store;
}

/** Every put renames a new file into place, so the inode tells replacements apart; mtime guards against inode reuse. */
function fileVersion(s: Stats): string {
  return `${s.ino.toString(36)}-${s.mtimeMs.toString(36)}`;
}

/** Every file under `dataRoot` whose key starts with `prefix`, sorted by key like an S3 listing. */
async function listFiles(dataRoot: string, prefix: string): Promise<ListedObject[]> {
  // Only the folder named by the prefix's complete segments can hold matches.
  const start = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
  const found: ListedObject[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(dataRoot, rel), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return;
      throw err;
    }
    for (const entry of entries) {
      const key = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (prefix.startsWith(`${key}/`) || `${key}/`.startsWith(prefix) || key.startsWith(prefix)) await walk(key);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const s = await stat(path.join(dataRoot, key)).catch(() => undefined);
        if (s) found.push({ key, size: s.size, lastModified: s.mtime });
      }
    }
  };
  await walk(start);
  return found.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
}

/** Removes now-empty folders from `dir` up to (not including) `root`. */
async function pruneEmptyParents(root: string, dir: string): Promise<void> {
  while (dir.startsWith(root + path.sep)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or already gone): stop climbing
    }
    dir = path.dirname(dir);
  }
}
