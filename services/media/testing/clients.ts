import http from "node:http";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { MediaService } from "../../../gen/cinemesh/media/v1/media_pb.js";
import type { ObjectStore } from "../../../platform/storage/objects.js";

export type Protocol = "connect" | "grpc" | "grpc-web";

export function mediaClient(baseUrl: string, protocol: Protocol = "connect"): Client<typeof MediaService> {
  const transport =
    protocol === "grpc"
      ? createGrpcTransport({ baseUrl })
      : protocol === "grpc-web"
        ? createGrpcWebTransport({ baseUrl, httpVersion: "1.1" })
        : createConnectTransport({ baseUrl, httpVersion: "1.1" });
  return createClient(MediaService, transport);
}

/** A tus HEAD: the server's offset of an upload. */
export async function tusHead(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: "HEAD", headers: { ...headers, "tus-resumable": "1.0.0" } });
}

export async function tusPatch(url: string, offset: number, body: Uint8Array, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "PATCH",
    headers: { ...headers, "tus-resumable": "1.0.0", "upload-offset": String(offset), "content-type": "application/offset+octet-stream" },
    body,
  });
}

/**
 * A PATCH that dies mid-body, as a dropped connection would: it announces `declared` bytes, sends
 * `sent` of them, then destroys the socket. Resolves once the socket is gone.
 */
export function interruptedPatch(url: string, offset: number, declared: Uint8Array, sent: number, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: "PATCH",
      headers: {
        ...headers,
        "tus-resumable": "1.0.0",
        "upload-offset": String(offset),
        "content-type": "application/offset+octet-stream",
        "content-length": String(declared.length),
      },
    });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    req.write(declared.subarray(0, sent), () => setTimeout(() => req.destroy(), 200));
  });
}

export async function listKeys(objects: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of objects.list(prefix)) keys.push(o.key);
  return keys;
}

export async function readObject(objects: ObjectStore, key: string): Promise<Buffer> {
  const read = await objects.get(key);
  const chunks: Buffer[] = [];
  for await (const c of read.body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
