import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type S3Client,
} from "@aws-sdk/client-s3";

/**
 * Uploads parts one at a time as a multipart upload, so a stream of unknown length never sits
 * in memory beyond one part. On failure the upload is aborted (S3 would otherwise keep billing
 * the parts). Parts go up sequentially; parallel parts would be faster, at the cost of memory.
 */
export async function uploadMultipart(
  client: S3Client,
  target: { Bucket: string; Key: string; ContentType: string },
  parts: AsyncIterable<Buffer>,
): Promise<void> {
  const { UploadId } = await client.send(new CreateMultipartUploadCommand(target));
  const { Bucket, Key } = target;
  try {
    const done: { ETag: string; PartNumber: number }[] = [];
    for await (const body of parts) {
      const PartNumber = done.length + 1;
      const { ETag } = await client.send(
        new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: body, ContentLength: body.length }),
      );
      done.push({ ETag: ETag!, PartNumber });
    }
    await client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: done } }));
  } catch (err) {
    await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => {});
    throw err;
  }
}
