import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { FileStore } from "@tus/file-store";
import { S3Store } from "@tus/s3-store";
import { Upload, type DataStore } from "@tus/utils";
import type { ObjectStore } from "../../../platform/storage/objects.js";
import type { MediaConfig } from "../config.js";
import type { UploadSession } from "../model.js";

/** Where the bytes of a tus upload sit while they arrive. */
export interface UploadStaging {
  /** The tus data store the HTTP endpoint writes through. */
  readonly datastore: DataStore;
  /** The tus upload id of a session. */
  idOf(session: UploadSession): string;
  /** Creates the empty upload resource of a session (its length fixed to the declared size). */
  create(session: UploadSession): Promise<void>;
  /** Bytes received so far; a local file when the bytes are on this machine, else they are already at the session's object key. */
  received(session: UploadSession): Promise<{ offset: number; localPath?: string }>;
  /** Forgets the staged upload once its bytes are in the object store (or rejected). */
  remove(session: UploadSession): Promise<void>;
  /** Drops an unfinished upload: the bytes received so far, and on S3 the multipart upload itself. */
  discard(session: UploadSession): Promise<void>;
  /**
   * Removes staged files last written before `cutoff` that belong to no live upload (`isLive` is
   * asked about each tus upload id); a no-op where the staging area is the bucket.
   */
  removeOrphans(cutoff: Date, isLive: (uploadId: string) => Promise<boolean>): Promise<void>;
}

/**
 * Embedded: @tus/file-store in the upload dir (shared by the media processes of one machine);
 * a completed upload is then copied into the object store under `originals/`.
 */
export function fileStaging(directory: string): UploadStaging {
  const datastore = new FileStore({ directory });
  const remove = async (s: UploadSession) => {
    try {
      await datastore.remove(s.uploadId);
    } catch (err) {
      if (!(await missing(path.join(directory, s.uploadId)))) throw err;
    }
  };
  return {
    datastore,
    idOf: (s) => s.uploadId,
    async create(s) {
      await datastore.create(newUpload(s.uploadId, s));
    },
    async received(s) {
      const upload = await datastore.getUpload(s.uploadId);
      return { offset: upload.offset, localPath: path.join(directory, s.uploadId) };
    },
    remove,
    async discard(s) {
      await remove(s);
      // The file store keeps its metadata only when the data file was already gone.
      await rm(path.join(directory, `${s.uploadId}.json`), { force: true });
    },
    async removeOrphans(cutoff, isLive) {
      let names: string[];
      try {
        names = await readdir(directory);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
        throw err;
      }
      for (const name of names) {
        const id = name.replace(/\.json$/, "");
        const staged = UUID.test(id);
        // Multipart scratch files are deleted by the request that wrote them, unless its process died.
        if (!staged && !name.startsWith("multipart-")) continue;
        const file = path.join(directory, name);
        const written = await modifiedAt(file);
        if (written === undefined || written >= cutoff) continue;
        if (staged && (await isLive(id))) continue;
        await rm(file, { force: true });
      }
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function modifiedAt(file: string): Promise<Date | undefined> {
  try {
    return (await stat(file)).mtime;
  } catch {
    return undefined;
  }
}

/**
 * With S3: @tus/s3-store writes the parts straight to the bucket, as a multipart upload of the
 * session's final key (`originals/{videoId}/{jobId}/source`), so nothing is copied afterwards.
 * Its bookkeeping object (`<key>.info`) sits beside the source and goes once the upload completed.
 */
export function s3Staging(s3: NonNullable<MediaConfig["s3"]>, objects: ObjectStore): UploadStaging {
  const datastore = new S3Store({
    partSize: 8 * 1024 * 1024,
    s3ClientConfig: {
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      credentials: s3.accessKeyId && s3.secretAccessKey ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } : undefined,
    },
  });
  return {
    datastore,
    idOf: (s) => s.objectKey,
    async create(s) {
      await datastore.create(newUpload(s.objectKey, s));
    },
    async received(s) {
      const upload = await datastore.getUpload(s.objectKey);
      return { offset: upload.offset };
    },
    async remove(s) {
      await objects.delete(`${s.objectKey}.info`);
    },
    async discard(s) {
      // Aborts the multipart upload, so the bucket frees its parts; the caller deletes the
      // original's prefix, which takes `.info` and an incomplete `.part` with it.
      try {
        await datastore.remove(s.objectKey);
      } catch (err) {
        if ((err as { status_code?: number }).status_code !== 404) throw err;
      }
    },
    async removeOrphans() {
      // Every S3 upload lives under its job's prefix, which failing or completing the job clears.
    },
  };
}

function newUpload(id: string, s: UploadSession): Upload {
  return new Upload({
    id,
    size: s.sizeBytes,
    offset: 0,
    metadata: { filename: s.filename, filetype: s.contentType || null },
    creation_date: s.createdAt.toISOString(),
  });
}

async function missing(file: string): Promise<boolean> {
  try {
    await stat(file);
    return false;
  } catch {
    return true;
  }
}
