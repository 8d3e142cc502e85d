import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { writeJson } from "../http/operator-endpoints.js";
import type { NodeReq, NodeRes } from "./listener.js";

/** What an operator can make a process do wrong, for drills and benchmarks. */
export interface Faults {
  /** Added before every RPC of the process's own services (health and reflection answer at once). */
  delayMs: number;
}

const MAX_DELAY_MS = 600_000;

/**
 * Injected faults of one process, off unless `FAULTS_ENABLED=true`: an interceptor that delays
 * each call (ending early, as the call would, when its caller gives up), and `GET`/`PUT /faults`
 * on the operator port to read and set them, e.g.
 * `curl -X PUT localhost:8005/faults -d '{"delayMs":2000}'` slows library by 2 s.
 */
export class FaultSwitch {
  private faults: Faults = { delayMs: 0 };

  current(): Faults {
    return { ...this.faults };
  }

  set(faults: Partial<Faults>): Faults {
    this.faults = { ...this.faults, ...faults };
    return this.current();
  }

  interceptor(): Interceptor {
    return (next) => async (req) => {
      const { delayMs } = this.faults;
      if (delayMs > 0 && !req.service.typeName.startsWith("grpc.")) await pause(delayMs, req.signal);
      return next(req);
    };
  }

  /** `GET /faults` and `PUT /faults` (JSON body, fields of Faults); resolves false for anything else. */
  async serve(req: NodeReq, res: NodeRes): Promise<boolean> {
    if ((req.url ?? "/").split("?")[0] !== "/faults") return false;
    if (req.method === "GET") return reply(res, 200, this.current());
    if (req.method !== "PUT") return reply(res, 405, { code: "method_not_allowed", message: "use GET or PUT /faults" });
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return reply(res, 400, { code: "invalid_argument", message: "the body must be JSON, e.g. {\"delayMs\":2000}" });
    }
    if (typeof body !== "object" || body === null || Array.isArray(body) || Object.keys(body).some((k) => k !== "delayMs")) {
      return reply(res, 400, { code: "invalid_argument", message: "the only fault is delayMs" });
    }
    const { delayMs } = body as { delayMs?: unknown };
    if (delayMs === undefined) return reply(res, 200, this.current());
    if (typeof delayMs !== "number" || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
      return reply(res, 400, { code: "invalid_argument", message: `delayMs must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}` });
    }
    return reply(res, 200, this.set({ delayMs }));
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason instanceof ConnectError ? signal.reason : new ConnectError("the call was cancelled", Code.Canceled));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", abort);
      resolve();
    }, ms);
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
  });
}

function readBody(req: NodeReq, limit = 4096): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > limit) req.destroy(new Error("body too large"));
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

function reply(res: NodeRes, status: number, body: object): true {
  writeJson(res, status, body);
  return true;
}
