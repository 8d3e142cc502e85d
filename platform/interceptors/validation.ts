import { create } from "@bufbuild/protobuf";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { createValidator, type Violation } from "@bufbuild/protovalidate";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { BadRequestSchema } from "../../gen/google/rpc/error_details_pb.js";

/**
 * Enforces the protovalidate rules declared in the protos on every request message, before the
 * handler runs. A violation is INVALID_ARGUMENT whose message names the field, with a
 * google.rpc.BadRequest detail listing every field violation.
 */
export function validationInterceptor(): Interceptor {
  const validator = createValidator();
  const check = <D extends DescMessage>(schema: D, message: MessageShape<D>): void => {
    const result = validator.validate(schema, message);
    if (result.kind === "invalid") throw invalidArgument(result.violations);
    if (result.kind === "error") throw new ConnectError(`validation rules failed to run: ${result.error.message}`, Code.Internal);
  };
  return (next) => async (req) => {
    if (!req.stream) {
      check(req.method.input, req.message);
      return next(req);
    }
    const input = req.method.input;
    const messages = req.message;
    return next({
      ...req,
      message: (async function* () {
        for await (const m of messages) {
          check(input, m);
          yield m;
        }
      })(),
    });
  };
}

function invalidArgument(violations: Violation[]): ConnectError {
  const fieldViolations = violations.map((v) => ({ field: pathToString(v.field), description: `${v.message} [${v.ruleId}]` }));
  const message = violations.map((v) => v.toString()).join("; ");
  return new ConnectError(message, Code.InvalidArgument, undefined, [
    { desc: BadRequestSchema, value: create(BadRequestSchema, { fieldViolations }) },
  ]);
}
