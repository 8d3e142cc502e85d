import { fromJson, type DescField, type DescMessage, type JsonObject, type JsonValue, type MessageShape } from "@bufbuild/protobuf";
import { fromRestJson } from "./rest-json.js";
import { resolveFieldPath, type RestRoute } from "./routes.js";

/** A request the client got wrong: becomes INVALID_ARGUMENT / HTTP 400 naming the field. */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadRequestError";
  }
}

/**
 * Builds the RPC's request message from an HTTP request the way google.api.http transcoding does:
 * path variables, then the body (the whole message for `body: "*"`, else one field), then query
 * parameters for every field not already bound. Values go through the proto3 JSON mapping (enums
 * in their REST spelling, see rest-json.ts), so a wrong type is rejected with the field's name.
 */
export function buildRequest(
  route: RestRoute,
  vars: Map<DescField[], string>,
  query: URLSearchParams,
  body: JsonValue | undefined,
): MessageShape<DescMessage> {
  const json: JsonObject = {};
  if (route.body === "*") {
    if (body !== undefined) {
      if (!isObject(body)) throw new BadRequestError("request body must be a JSON object");
      Object.assign(json, body);
    }
  } else if (route.body !== "") {
    if (body !== undefined) setPath(json, resolveFieldPath(route.method.input, route.body, "body"), body);
  }
  for (const [path, value] of vars) setPath(json, path, scalarFromString(path[path.length - 1], value));
  if (route.body !== "*") {
    for (const key of new Set(query.keys())) {
      let path: DescField[];
      try {
        path = resolveFieldPath(route.method.input, key, "query");
      } catch {
        throw new BadRequestError(`unknown query parameter "${key}"`);
      }
      const field = path[path.length - 1];
      const values = query.getAll(key).map((v) => scalarFromString(field, v));
      setPath(json, path, field.fieldKind === "list" ? values : values[values.length - 1]);
    }
  }
  try {
    return fromJson(route.method.input, fromRestJson(route.method.input, json));
  } catch (err) {
    throw new BadRequestError(err instanceof Error ? err.message : String(err));
  }
}

/** Path and query values arrive as strings; the proto3 JSON mapping wants real booleans. */
function scalarFromString(field: DescField, value: string): JsonValue {
  const scalar = field.fieldKind === "scalar" || field.fieldKind === "list" ? field.scalar : undefined;
  if (scalar === 8 /* BOOL */) {
    if (value === "true" || value === "1") return true;
    if (value === "false" || value === "0") return false;
    throw new BadRequestError(`${field.name}: expected true or false, got "${value}"`);
  }
  return value;
}

function setPath(json: JsonObject, path: DescField[], value: JsonValue): void {
  let obj = json;
  for (const field of path.slice(0, -1)) {
    const next = obj[field.jsonName];
    obj = obj[field.jsonName] = isObject(next) ? next : {};
  }
  obj[path[path.length - 1].jsonName] = value;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
