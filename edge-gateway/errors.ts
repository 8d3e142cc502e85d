import { createRegistry, toJson, type Registry } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { file_google_rpc_error_details } from "../gen/google/rpc/error_details_pb.js";

/** HTTP status for each RPC code (the google.api / Connect mapping). */
const HTTP_STATUS: Record<Code, number> = {
  [Code.Canceled]: 499,
  [Code.Unknown]: 500,
  [Code.InvalidArgument]: 400,
  [Code.DeadlineExceeded]: 504,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
  [Code.FailedPrecondition]: 412,
  [Code.Aborted]: 409,
  [Code.OutOfRange]: 400,
  [Code.Unimplemented]: 501,
  [Code.Internal]: 500,
  [Code.Unavailable]: 503,
  [Code.DataLoss]: 500,
  [Code.Unauthenticated]: 401,
};

export function httpStatusOf(code: Code): number {
  return HTTP_STATUS[code] ?? 500;
}

/** `InvalidArgument` → `invalid_argument`, as the Connect protocol spells codes. */
export function codeName(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

const detailTypes: Registry = createRegistry(file_google_rpc_error_details);

/** The JSON error body of the REST surface: `{code, message, details}`. */
export function errorBody(err: ConnectError): { code: string; message: string; details: unknown[] } {
  const details = err.details.map((d) => {
    const typeName = "desc" in d ? d.desc.typeName : d.type;
    const schema = detailTypes.getMessage(typeName);
    if (schema === undefined) return { "@type": `type.googleapis.com/${typeName}` };
    const value = err.findDetails(schema)[0];
    return { "@type": `type.googleapis.com/${typeName}`, ...(value ? (toJson(schema, value) as object) : {}) };
  });
  return { code: codeName(err.code), message: err.rawMessage, details };
}
