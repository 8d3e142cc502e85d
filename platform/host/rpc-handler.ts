import { Code, ConnectError, createConnectRouter, type ConnectRouter, type ConnectRouterOptions } from "@connectrpc/connect";
import type { UniversalHandler } from "@connectrpc/connect/protocol";
import { universalRequestFromNodeRequest, universalResponseToNodeResponse } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import { withServerDecodeErrors } from "./decode-errors.js";
import type { NodeHandler, NodeReq, NodeRes } from "./listener.js";

export interface RpcHandlerOptions extends ConnectRouterOptions {
  routes: (router: ConnectRouter) => void;
  /** Requests no RPC route matched. */
  fallback: (req: NodeReq, res: NodeRes) => void;
  logger: Logger;
}

/**
 * connect-node's `connectNodeAdapter`, with one difference: each of connect's handlers reports a
 * request that does not decode as INVALID_ARGUMENT (see decode-errors.ts). The adapter builds its
 * router itself and offers no way to wrap the handlers it makes, hence this copy of its few lines.
 */
export function createRpcHandler(opts: RpcHandlerOptions): NodeHandler {
  const router = createConnectRouter(opts);
  opts.routes(router);
  const paths = new Map<string, UniversalHandler>();
  for (const h of router.handlers) paths.set(h.requestPath, withServerDecodeErrors(h));
  return (req, res) => {
    const handler = paths.get(req.url?.split("?", 2)[0] ?? "");
    if (handler === undefined) {
      opts.fallback(req, res);
      return;
    }
    handler(universalRequestFromNodeRequest(req, res, undefined, undefined))
      .then((uRes) => universalResponseToNodeResponse(uRes, res))
      .catch((reason: unknown) => {
        // A client that went away mid-response: nothing left to answer.
        if (ConnectError.from(reason).code === Code.Aborted) return;
        opts.logger.error({ err: reason, rpc: `${handler.service.typeName}/${handler.method.name}` }, "RPC handler failed");
      });
  };
}
