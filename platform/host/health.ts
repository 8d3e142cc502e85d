import type { ConnectRouter } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";

export { Status as ServingStatus };

/**
 * `grpc.health.v1.Health` for one process: the status of each gRPC service it serves and of the
 * process as a whole (the empty service name). Watch streams every change until the call ends.
 */
export class HealthRegistry {
  private readonly statuses = new Map<string, Status>();
  private readonly watchers = new Set<() => void>();

  constructor(serviceNames: string[]) {
    for (const name of ["", ...serviceNames]) this.statuses.set(name, Status.NOT_SERVING);
  }

  setAll(status: Status): void {
    for (const name of this.statuses.keys()) this.statuses.set(name, status);
    for (const wake of this.watchers) wake();
  }

  status(service: string): Status | undefined {
    return this.statuses.get(service);
  }

  register(router: ConnectRouter): void {
    router.service(Health, {
      check: (req) => {
        const status = this.statuses.get(req.service);
        if (status === undefined) throw new ConnectError(`unknown service ${req.service}`, Code.NotFound);
        return { status };
      },
      list: () => ({
        statuses: Object.fromEntries([...this.statuses].map(([name, status]) => [name, { status }])),
      }),
      watch: (req, ctx) => this.watch(req.service, ctx.signal),
    });
  }

  private async *watch(service: string, signal: AbortSignal) {
    let last: Status | undefined;
    while (!signal.aborted) {
      const status = this.statuses.get(service) ?? Status.SERVICE_UNKNOWN;
      if (status !== last) {
        last = status;
        yield { status };
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.watchers.delete(wake);
          signal.removeEventListener("abort", wake);
          resolve();
        };
        this.watchers.add(wake);
        signal.addEventListener("abort", wake);
      });
    }
    // The call ends because the client went away or the server is shutting down; in the latter
    // case UNAVAILABLE tells the client to watch another replica.
    throw new ConnectError("server shutting down", Code.Unavailable);
  }
}
