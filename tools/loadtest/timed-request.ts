import http from "node:http";

export interface TimedResponse {
  status: number;
  /** Body bytes received. */
  bytes: number;
  /** From the request being issued to the last body byte. */
  ms: number;
  /** The body as text, when asked for (playlists, JSON); segment bodies are only counted. */
  text?: string;
}

export interface TimedRequestOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string;
  keepText?: boolean;
}

/**
 * One HTTP/1.1 request over `agent` (keep-alive, sized by the caller), timed to the end of the
 * body. node:http rather than fetch: at a few hundred requests/s of 100 kB+ bodies the load
 * generator's own CPU should stay small next to the servers it measures.
 */
export function timedRequest(agent: http.Agent, url: URL, opts: TimedRequestOptions = {}): Promise<TimedResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      let bytes = 0;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (opts.keepText) chunks.push(chunk);
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          bytes,
          ms: performance.now() - started,
          text: opts.keepText ? Buffer.concat(chunks).toString("utf8") : undefined,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}
