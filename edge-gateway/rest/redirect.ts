import { isMessage, type DescMessage } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { HttpRedirectSchema } from "../../gen/cinemesh/common/v1/http_pb.js";

/**
 * How an RPC's answer becomes an HTTP redirect on the REST surface, declared in the proto: when
 * the message a route sends — the response, or the field its `google.api.http` `response_body`
 * names — is a `cinemesh.common.v1.HttpRedirect`, the edge answers 302 with its `location`
 * instead of a JSON body. Returns undefined for every other route.
 */
export function redirectLocation(schema: DescMessage, message: object, responseBody: string): string | undefined {
  const field = responseBody === "" ? undefined : schema.fields.find((f) => f.name === responseBody);
  const sent: unknown = field === undefined ? message : (message as Record<string, unknown>)[field.localName];
  const isRedirect = (field === undefined ? schema : field.message)?.typeName === HttpRedirectSchema.typeName;
  if (!isRedirect) return undefined;
  if (!isMessage(sent, HttpRedirectSchema) || sent.location === "") throw new ConnectError(`${schema.typeName}: the service answered a redirect without a location`, Code.Internal);
  return sent.location;
}
