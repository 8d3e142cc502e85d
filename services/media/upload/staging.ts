import { stat } from "node:fs/promises";
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
}

/**
 * Embedded: @tus/file-store in the upload dir (shared by the media processes of one machine);
 * a completed upload is then copied into the object store under `originals/`.
 */
export function fileStaging(directory: string): UploadStaging {
  const datastore = new FileStore({ directory });
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
    async remove(s) {
      try {
        await datastore.remove(s.uploadId);
      } catch (err) {
        if (!(await missing(path.join(directory, s.uploadId)))) throw err;
      }
    },
  };
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
