import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import { byteChunks } from "./byte-chunks.js";
import { assertObjectKey, assertObjectPrefix } from "./object-key.js";
import type { ObjectStore } from "./objects.js";
import { InvalidObjectKeyError, ObjectNotFoundError, RangeNotSatisfiableError } from "./objects.js";
import { uploadMultipart } from "./s3-multipart-upload.js";

export interface S3ObjectStoreOptions {
  /** e.g. `http://minio:9000`; omit for AWS itself. */
  endpoint?: string;
  bucket: string;
  region?: string;
  /** Omit both to use the SDK's default credential chain (instance role, env, profile). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Streams longer than this go up in parts of this size. Default 8 MiB (S3's minimum is 5 MiB). */
  partSizeBytes?: number;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/** The production object store: S3 or an S3-compatible server. Creates the bucket if absent. */
export async function createS3ObjectStore(options: S3ObjectStoreOptions): Promise<ObjectStore> {
  const region = options.region ?? "us-east-1";
  const client = new S3Client({
    endpoint: options.endpoint,
    region,
    forcePathStyle: true,
    // Only add/verify checksums where S3 requires them: S3-compatible servers reject the
    // newer default (CRC32 trailers on every request).
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    credentials:
      options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
  });
  const Bucket = options.bucket;
  const partSize = options.partSizeBytes ?? DEFAULT_PART_SIZE;
  try {
    await ensureBucket(client, Bucket, region);
  } catch (err) {
    client.destroy();
    throw err;
  }

  const store: ObjectStore = {
    async put(key, body, contentType) {
      assertObjectKey(key);
      if (Buffer.isBuffer(body)) {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length }));
        return;
      }
      // Length unknown: read one part; if the stream ends within it, a single PUT does.
      const chunks = byteChunks(body, partSize);
      const first = await chunks.next();
      const second = first.done ? first : await chunks.next();
      if (second.done) {
        const single = first.done ? Buffer.alloc(0) : first.value;
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: single, ContentType: contentType, ContentLength: single.length }));
        return;
      }
      await uploadMultipart(client, { Bucket, Key: key, ContentType: contentType }, prepend([first.value, second.value], chunks));
    },

    async get(key, range) {
      assertObjectKey(key);
      if (range && (!Number.isInteger(range.start) || range.start < 0 || (range.end !== undefined && range.end < range.start))) {
        const info = await store.head(key);
        if (!info) throw new ObjectNotFoundError(key);
        throw new RangeNotSatisfiableError(key, info.size);
      }
      try {
        const res = await client.send(
          new GetObjectCommand({ Bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end ?? ""}` : undefined }),
        );
        const length = res.ContentLength ?? 0;
        const total = res.ContentRange ? Number(res.ContentRange.split("/")[1]) : length;
        const start = res.ContentRange ? Number(/bytes (\d+)-/.exec(res.ContentRange)?.[1] ?? 0) : 0;
        return {
          body: (res.Body as Readable | undefined) ?? Readable.from([]),
          contentType: res.ContentType ?? "application/octet-stream",
          size: total,
          range: { start, end: start + length - 1 },
          version: versionOf(res),
        };
      } catch (err) {
        if (isS3Error(err, "NoSuchKey", 404)) throw new ObjectNotFoundError(key);
        if (isS3Error(err, "InvalidRange", 416)) {
          const info = await store.head(key);
          throw new RangeNotSatisfiableError(key, info?.size ?? 0);
        }
        throw err;
      }
    },

    // S3 sends the content type with the bytes: there is nothing to save by leaving it out.
    getBody: (key, range) => store.get(key, range),

    async head(key) {
      assertObjectKey(key);
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return {
          key,
          size: res.ContentLength ?? 0,
          contentType: res.ContentType ?? "application/octet-stream",
          lastModified: res.LastModified ?? new Date(0),
          version: versionOf(res),
        };
      } catch (err) {
        if (isS3Error(err, "NotFound", 404)) return null;
        throw err;
      }
    },

    async exists(key) {
      return (await store.head(key)) !== null;
    },

    async *list(prefix) {
      assertObjectPrefix(prefix);
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix || undefined, ContinuationToken: token }));
        for (const o of page.Contents ?? []) {
          yield { key: o.Key!, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },

    async delete(key) {
      assertObjectKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async deletePrefix(prefix) {
      assertObjectPrefix(prefix);
      if (prefix === "") throw new InvalidObjectKeyError(prefix, "refusing to delete every object");
      let deleted = 0;
      let batch: string[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const res = await client.send(
          new DeleteObjectsCommand({ Bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
        );
        if (res.Errors?.length) {
          throw new Error(`could not delete ${res.Errors.length} objects under ${prefix}: ${res.Errors[0].Code} ${res.Errors[0].Message}`);
        }
        deleted += batch.length;
        batch = [];
      };
      // Collect first: deleting while paging would shift the listing under the continuation token.
      const keys: string[] = [];
      for await (const o of store.list(prefix)) keys.push(o.key);
      for (const key of keys) {
        batch.push(key);
        if (batch.length === 1000) await flush();
      }
      await flush();
      return deleted;
    },

    async close() {
      client.destroy();
    },
  };
  return store;
}

async function ensureBucket(client: S3Client, bucket: string, region: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (err) {
    if (!isS3Error(err, "NotFound", 404) && !isS3Error(err, "NoSuchBucket", 404)) throw err;
  }
  try {
    await client.send(
      new CreateBucketCommand({
        Bucket: bucket,
        CreateBucketConfiguration:
          region === "us-east-1" ? undefined : { LocationConstraint: region as BucketLocationConstraint },
      }),
    );
  } catch (err) {
    // Another process created it first.
    if (!isS3Error(err, "BucketAlreadyOwnedByYou", 409) && !isS3Error(err, "BucketAlreadyExists", 409)) throw err;
  }
}

function isS3Error(err: unknown, name: string, status: number): boolean {
  return err instanceof S3ServiceException && (err.name === name || err.$metadata.httpStatusCode === status);
}

async function* prepend<T>(first: T[], rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield* first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** The ETag names the bytes; with the time, a rewrite of the same bytes counts as new too (as it does on files). */
function versionOf(res: { ETag?: string; LastModified?: Date }): string {
  return `${res.ETag ?? ""}@${res.LastModified?.getTime() ?? 0}`;
}
