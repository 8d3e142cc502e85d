import type { DescService } from "@bufbuild/protobuf";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { ServerReflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { serveOperatorEndpoint, type OperatorEndpoints } from "../http/operator-endpoints.js";
import type { FaultSwitch } from "./faults.js";
import { DualProtocolListener } from "./listener.js";
import { registerReflection } from "./reflection.js";

export interface OperatorServerOptions extends OperatorEndpoints {
  port: number;
  host: string;
  /** The services reflection describes (health and reflection are added). */
  reflect: DescService[];
  /** Served at `/faults` when given. */
  faults?: FaultSwitch;
}

export interface OperatorServer {
  port: number;
  url: string;
  close(): void;
}

/**
 * A process's operator port: `/metrics`, `/livez`, `/readyz`, `/healthz`, grpc.health and server
 * reflection (so `buf curl --list-services` works against it), on one plaintext port serving
 * HTTP/1.1 and h2c. Nothing here is for clients; bind it where only operators reach it.
 */
export async function startOperatorServer(opts: OperatorServerOptions): Promise<OperatorServer> {
  const handler = connectNodeAdapter({
    routes: (router) => {
      opts.health.register(router);
      registerReflection(router, [...opts.reflect, Health, ServerReflection]);
    },
    fallback: (req, res) =>
      void (opts.faults?.serve(req, res) ?? Promise.resolve(false)).then((done) => done || serveOperatorEndpoint(req, res, opts)).then((done) => {
        if (done) return;
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: "not_found", message: `no operator endpoint ${req.method} ${(req.url ?? "/").split("?")[0]}` }));
      }),
  });
  const listener = new DualProtocolListener(handler);
  const port = await listener.listen(opts.port, opts.host);
  return {
    port,
    url: `http://${opts.host}:${port}`,
    close() {
      listener.stopAccepting();
      listener.destroyAll();
    },
  };
}
