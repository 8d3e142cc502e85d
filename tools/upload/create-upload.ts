import type { UploadArgs } from "./args.js";
import type { PendingUpload } from "./resume-state.js";

/** Where and what to upload: the CLI's target arguments, and the file as the server should record it. */
export interface CreateUploadRequest extends Pick<UploadArgs, "edge" | "token" | "contentId" | "season" | "episode" | "title"> {
  filename: string;
  sizeBytes: number;
  contentType: string;
}

/** A refusal from the edge, with the RPC code it reported (`invalid_argument`, `not_found`, …). */
export class EdgeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "EdgeError";
  }
}

/**
 * MediaService.CreateVideoUpload through its REST route at the edge
 * (`POST /api/v1/admin/content/{content_id}/video`): registers the upload and its encoding job
 * and answers with the tus URL for the bytes, made absolute against the edge.
 */
export async function createVideoUpload(req: CreateUploadRequest, fetchImpl: typeof fetch = fetch): Promise<PendingUpload> {
  const url = `${req.edge}/api/v1/admin/content/${encodeURIComponent(req.contentId)}/video`;
  const body = {
    ...(req.season === undefined ? {} : { seasonNumber: req.season, episodeNumber: req.episode }),
    filename: req.filename,
    sizeBytes: String(req.sizeBytes), // int64 travels as a string in proto JSON
    contentType: req.contentType,
    ...(req.title === "" ? {} : { title: req.title }),
  };
  const res = await fetchImpl(url, {
    method: "POST",
    headers: { authorization: `Bearer ${req.token}`, "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const json = parseJson(text);
  if (!res.ok) {
    const code = typeof json?.code === "string" ? json.code : `http_${res.status}`;
    const message = typeof json?.message === "string" ? json.message : text.trim() || res.statusText;
    throw new EdgeError(res.status, code, `creating the upload failed: ${res.status} ${code}: ${message}`);
  }
  const field = (name: string): string => {
    const value = json?.[name];
    if (typeof value !== "string" || value === "") throw new Error(`creating the upload: the edge's answer has no ${name}: ${text.slice(0, 300)}`);
    return value;
  };
  return {
    videoId: field("videoId"),
    encodingJobId: field("encodingJobId"),
    uploadId: field("uploadId"),
    uploadUrl: new URL(field("uploadUrl"), `${req.edge}/`).toString(),
    expiresAt: typeof json?.expiresAt === "string" ? json.expiresAt : "",
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  ".mp4": "video/mp4",
  ".m4v": "video/mp4",
  ".mov": "video/quicktime",
  ".mkv": "video/x-matroska",
  ".webm": "video/webm",
  ".avi": "video/x-msvideo",
  ".ts": "video/mp2t",
  ".mxf": "application/mxf",
};

/** A MIME type from the file name, for the record (the server probes the bytes anyway). */
export function contentTypeOf(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return (dot >= 0 && CONTENT_TYPES[filename.slice(dot).toLowerCase()]) || "application/octet-stream";
}
