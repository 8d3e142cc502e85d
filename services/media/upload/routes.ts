import type { HttpHandler } from "../../../platform/host/service-host.js";
import type { Req, Res } from "./http-replies.js";

/** The media service's plain-HTTP endpoints, tried in turn; resolves false when none owns the request. */
export function uploadRoutes(...endpoints: Array<(req: Req, res: Res) => Promise<boolean>>): HttpHandler {
  return async (req, res) => {
    for (const endpoint of endpoints) if (await endpoint(req, res)) return true;
    return false;
  };
}
