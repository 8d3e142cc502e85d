import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, RetryInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { DomainError, type DomainErrorKind } from "../domain/errors.js";

/** The one mapping from domain refusals to RPC codes, for every service. */
const CODES: Record<DomainErrorKind, Code> = {
  invalid_argument: Code.InvalidArgument,
  already_exists: Code.AlreadyExists,
  unauthenticated: Code.Unauthenticated,
  permission_denied: Code.PermissionDenied,
  not_found: Code.NotFound,
  failed_precondition: Code.FailedPrecondition,
  aborted: Code.Aborted,
  throttled: Code.ResourceExhausted,
};

/**
 * A domain refusal as the RPC error clients see: its code, its message, and the standard detail
 * (google.rpc.BadRequest naming the field, like the validation interceptor's; google.rpc.RetryInfo
 * for throttling). Anything else passes through unchanged (connect reports it as INTERNAL).
 */
export function toConnectError(err: unknown): unknown {
  if (!(err instanceof DomainError)) return err;
  const details = [];
  if (err.field !== undefined) {
    details.push({ desc: BadRequestSchema, value: create(BadRequestSchema, { fieldViolations: [{ field: err.field, description: err.message }] }) });
  }
  if (err.retryAfterMs !== undefined) {
    details.push({ desc: RetryInfoSchema, value: create(RetryInfoSchema, { retryDelay: durationFromMs(err.retryAfterMs) }) });
  }
  return new ConnectError(err.message, CODES[err.kind], undefined, details, err);
}

/**
 * Wraps each method of a service implementation so domain errors leave as ConnectErrors: unary
 * methods when their promise rejects, server-streaming ones when their stream throws.
 */
export function mappingDomainErrors<T extends object>(impl: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(impl)) {
    if (typeof method !== "function") continue;
    wrapped[name] = (...args: unknown[]) => {
      let result: unknown;
      try {
        result = method.apply(impl, args);
      } catch (err) {
        throw toConnectError(err);
      }
      if (isAsyncIterable(result)) return mapStream(result);
      if (result instanceof Promise) return result.catch((err: unknown) => Promise.reject(toConnectError(err)));
      return result;
    };
  }
  return wrapped as T;
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === "object" && v !== null && Symbol.asyncIterator in v;
}

async function* mapStream<T>(stream: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* stream;
  } catch (err) {
    throw toConnectError(err);
  }
}
