import type { DescMessage, DescMethodUnary, MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextValues, type HandlerContext, type UnaryRequest } from "@connectrpc/connect";

/**
 * One unary call served by the gRPC fast path: what connect's HandlerContext and UnaryRequest
 * hold for it, with one difference: the AbortSignal exists only once somebody asks for it.
 * Connect makes a signal per call, links it to the deadline, the request and the shutdown, and
 * aborts it when the call ends: two AbortControllers, four listeners and a DOMException with its
 * stack trace, about 16 µs per call on Node 20, for a signal most handlers never look at.
 * A signal asked for behaves as connect's does: it aborts at the deadline, when the client
 * cancels, on shutdown, and when the call is over.
 */
export class UnaryCall {
  readonly values = createContextValues();
  readonly responseHeader = new Headers();
  readonly responseTrailer = new Headers();
  private controller: AbortController | undefined;
  private aborted: { reason: unknown } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly method: DescMethodUnary,
    readonly requestHeader: Headers,
    readonly url: string,
    /** Absolute deadline (ms since the epoch), if the call has one. */
    private readonly deadline: number | undefined,
  ) {}

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted !== undefined) {
        this.controller.abort(this.aborted.reason);
      } else if (this.deadline !== undefined) {
        const timedOut = () => this.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded));
        this.timer = setTimeout(timedOut, Math.max(0, this.deadline - Date.now()));
      }
    }
    return this.controller.signal;
  }

  readonly timeoutMs = (): number | undefined => (this.deadline === undefined ? undefined : this.deadline - Date.now());

  /** Cancels the call (client gone, shutdown, deadline). */
  abort(reason: unknown): void {
    if (this.aborted !== undefined) return;
    this.aborted = { reason };
    clearTimeout(this.timer);
    this.controller?.abort(reason);
  }

  /** The call is over: a signal handed out fires now, as connect's does after every call. */
  end(): void {
    clearTimeout(this.timer);
    if (this.controller !== undefined && !this.controller.signal.aborted) this.controller.abort();
    this.aborted ??= { reason: undefined };
  }

  /** The request the interceptor chain sees; its `signal` is read through to the call. */
  request<I extends DescMessage>(message: MessageShape<I>): UnaryRequest<I> {
    const call = this;
    return {
      stream: false,
      service: this.method.parent,
      method: this.method as DescMethodUnary<I>,
      requestMethod: "POST",
      url: this.url,
      header: this.requestHeader,
      contextValues: this.values,
      message,
      get signal() {
        return call.signal;
      },
    };
  }

  /** The handler's context for the request as the interceptors passed it on (they may replace parts). */
  handlerContext(req: UnaryRequest): HandlerContext {
    return {
      method: this.method,
      service: req.service,
      requestMethod: "POST",
      protocolName: "grpc",
      url: this.url,
      timeoutMs: this.timeoutMs,
      requestHeader: req.header,
      responseHeader: this.responseHeader,
      responseTrailer: this.responseTrailer,
      values: req.contextValues,
      get signal() {
        return req.signal;
      },
    };
  }
}
