import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { MediaService, type WatchJobResponseSchema } from "../../../gen/cinemesh/media/v1/media_pb.js";

export type WatchUpdate = MessageInitShape<typeof WatchJobResponseSchema>;

interface StoredUpload {
  length: number;
  chunks: Buffer[];
  offset: number;
  jobId: string;
}

/**
 * What the upload CLI needs from the edge, played by the contracts rather than the real media
 * service (which is being written alongside): CreateVideoUpload's REST route, the tus core
 * protocol (HEAD for the offset, PATCH to append) on the URL it returns, and WatchJob over Connect
 * replaying a scripted list of updates. Knobs make it fail the way real servers do.
 */
export class ContractEdge {
  url = "";
  readonly token = "admin-token";
  readonly creates: Array<Record<string, unknown>> = [];
  readonly uploads = new Map<string, StoredUpload>();
  /** Starting offsets of every PATCH received, in order. */
  readonly patchOffsets: number[] = [];
  /** PATCHes starting at or past this offset fail with 500 (a broken link or a crashed server). */
  failPatchesFrom: number | undefined;
  /** The PATCH that completes the file is refused with this (tus 422: not playable media). */
  rejectCompletion: { status: number; message: string } | undefined;
  /** What WatchJob streams for the next job created. */
  nextJobScript: WatchUpdate[] = [];
  private readonly scripts = new Map<string, WatchUpdate[]>();
  private readonly server = createServer((req, res) => void this.route(req, res));
  private readonly connect = connectNodeAdapter({
    routes: (router) =>
      router.service(MediaService, {
        watchJob: (req, ctx) => {
          if (ctx.requestHeader.get("authorization") !== `Bearer ${this.token}`) throw new ConnectError("admin role required", Code.PermissionDenied);
          const script = this.scripts.get(req.jobId);
          if (script === undefined) throw new ConnectError(`job ${req.jobId} not found`, Code.NotFound);
          return (async function* () {
            for (const update of script) {
              await new Promise((r) => setTimeout(r, 5));
              yield { jobId: req.jobId, ...update };
            }
          })();
        },
      }),
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** The bytes received for an upload, in order. */
  received(uploadId: string): Buffer {
    return Buffer.concat(this.uploads.get(uploadId)?.chunks ?? []);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://edge").pathname;
    const create = /^\/api\/v1\/admin\/content\/([^/]+)\/video$/.exec(path);
    const tus = /^\/api\/v1\/uploads\/([^/]+)$/.exec(path);
    if (create && req.method === "POST") return this.createUpload(req, res, create[1]);
    if (tus) return this.tus(req, res, tus[1]);
    this.connect(req, res);
  }

  private async createUpload(req: IncomingMessage, res: ServerResponse, contentId: string): Promise<void> {
    const body = JSON.parse((await readBody(req)).toString("utf8")) as Record<string, unknown>;
    if (req.headers.authorization !== `Bearer ${this.token}`) return json(res, 403, { code: "permission_denied", message: "admin role required" });
    this.creates.push({ contentId, ...body });
    const uploadId = randomUUID();
    const jobId = randomUUID();
    this.uploads.set(uploadId, { length: Number(body.sizeBytes), chunks: [], offset: 0, jobId });
    this.scripts.set(jobId, this.nextJobScript);
    json(res, 200, {
      videoId: randomUUID(),
      encodingJobId: jobId,
      uploadId,
      uploadUrl: `/api/v1/uploads/${uploadId}`,
      expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    });
  }

  private async tus(req: IncomingMessage, res: ServerResponse, uploadId: string): Promise<void> {
    const body = await readBody(req);
    const upload = this.uploads.get(uploadId);
    const headers = { "tus-resumable": "1.0.0", "cache-control": "no-store" };
    if (req.headers.authorization !== `Bearer ${this.token}`) return json(res, 403, { code: "permission_denied", message: "admin role required" });
    if (upload === undefined) return json(res, 404, { code: "not_found", message: `upload ${uploadId} not found` });
    if (req.method === "HEAD") {
      res.writeHead(200, { ...headers, "upload-offset": String(upload.offset), "upload-length": String(upload.length) }).end();
      return;
    }
    if (req.method !== "PATCH") return json(res, 405, { code: "unimplemented", message: req.method ?? "" });
    const offset = Number(req.headers["upload-offset"]);
    this.patchOffsets.push(offset);
    if (offset !== upload.offset) return json(res, 409, { code: "aborted", message: `offset ${offset}, expected ${upload.offset}` });
    if (this.failPatchesFrom !== undefined && offset >= this.failPatchesFrom) return json(res, 500, { code: "internal", message: "disk on fire" });
    const completes = offset + body.length === upload.length;
    if (completes && this.rejectCompletion) return json(res, this.rejectCompletion.status, { code: "failed_precondition", message: this.rejectCompletion.message });
    upload.chunks.push(body);
    upload.offset += body.length;
    res.writeHead(204, { ...headers, "upload-offset": String(upload.offset) }).end();
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
