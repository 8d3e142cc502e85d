import { ConnectError, Code, type HandlerContext } from "@connectrpc/connect";
import { CatalogService } from "../../../gen/cinemesh/catalog/v1/catalog_pb.js";
import { createTokenSigner, createTokenVerifier, generateAuthKeyPair, type TokenSigner } from "../../auth/tokens.js";
import { createLogger } from "../../logger.js";
import { kClaims, PROFILE_ID_HEADER } from "../../rpc/context.js";
import type { FaultSwitch } from "../faults.js";
import type { ListenerTimeouts } from "../listener.js";
import { DEFAULT_RPC_LIMITS, type RpcLimits } from "../service-config.js";
import { startServiceHost, type ServiceHost } from "../service-host.js";

/** `GetContent` with this id echoes what reached the handler: request id, caller, profile. */
export const ECHO_ID = "7d1c0b8e-2f4a-4c55-9a0e-3b6f1a2d9c10";
/** `GetContent` with this id waits until the call's signal aborts, and reports why. */
export const WAIT_ID = "0b6f3c1e-9d2a-4e8f-8c11-5a7e2d9b4f60";

export interface CatalogHost {
  host: ServiceHost;
  signer: TokenSigner;
  /** The next call to WAIT_ID: when its handler has started, and why its signal aborted. */
  nextWait(): { started: Promise<void>; aborted: Promise<unknown> };
  close(): Promise<void>;
}

/**
 * A service host (tests only) serving the catalog contract with handlers that show what the
 * platform delivered to them: `ListGenres` answers `x-genres` genres (3 by default),
 * `GetContent` echoes or waits (ECHO_ID, WAIT_ID) and answers NOT_FOUND for other ids.
 */
export async function startCatalogHost(opts: { maxTimeoutMs?: number; limits?: Partial<RpcLimits>; timeouts?: ListenerTimeouts; port?: number; faults?: FaultSwitch } = {}): Promise<CatalogHost> {
  const keys = await generateAuthKeyPair();
  const waiters: Array<{ started: () => void; aborted: (reason: unknown) => void }> = [];
  const host = await startServiceHost({
    name: "catalog",
    port: opts.port ?? 0,
    host: "127.0.0.1",
    logger: createLogger("catalog", "silent"),
    verifier: await createTokenVerifier(keys.publicKeyPem),
    services: [CatalogService],
    routes: (router) =>
      router.service(CatalogService, {
        listGenres: (_req, ctx) => {
          const n = Number(ctx.requestHeader.get("x-genres") ?? 3);
          return { genres: Array.from({ length: n }, (_, i) => ({ name: `Genre ${i}`, slug: `genre-${i}`, contentCount: i })) };
        },
        getContent: async (req, ctx) => {
          if (req.contentId === ECHO_ID) return { content: echo(req.contentId, ctx) };
          if (req.contentId === WAIT_ID) {
            const waiter = waiters.shift();
            waiter?.started();
            const reason = await aborted(ctx.signal);
            waiter?.aborted(reason);
            throw ConnectError.from(reason);
          }
          throw new ConnectError(`content ${req.contentId} not found`, Code.NotFound);
        },
      }),
    maxTimeoutMs: opts.maxTimeoutMs ?? 30_000,
    shutdownGraceMs: 1_000,
    limits: { ...DEFAULT_RPC_LIMITS, ...opts.limits },
    timeouts: opts.timeouts,
    faults: opts.faults,
  });
  return {
    host,
    signer: await createTokenSigner(keys.privateKeyPem),
    nextWait() {
      let started!: () => void;
      let abortedWith!: (reason: unknown) => void;
      const wait = { started: new Promise<void>((r) => (started = r)), aborted: new Promise<unknown>((r) => (abortedWith = r)) };
      waiters.push({ started, aborted: abortedWith });
      return wait;
    },
    close: () => host.close(),
  };
}

function echo(contentId: string, ctx: HandlerContext) {
  return {
    contentId,
    title: ctx.requestHeader.get("x-request-id") ?? "",
    director: ctx.values.get(kClaims)?.userId ?? "",
    language: ctx.requestHeader.get(PROFILE_ID_HEADER) ?? "",
    description: `timeout ${ctx.timeoutMs() === undefined ? "none" : "set"}`,
  };
}

function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener("abort", () => resolve(signal.reason), { once: true });
  });
}
