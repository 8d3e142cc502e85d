import type { DescEnum, DescField, DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";

/**
 * The REST surface spells enum values the way the seeds' API does: `"MOVIE"`, `"PREMIUM"`, `"PG_13"`,
 * not the protobuf JSON names `"CONTENT_TYPE_MOVIE"`, `"SUBSCRIPTION_PLAN_PREMIUM"`. On the way out
 * the enum's shared prefix is dropped; on the way in both spellings are accepted (and `PG-13` for
 * `PG_13`). Connect and gRPC clients keep the standard protobuf names.
 */
export function enumsToRest(desc: DescMessage, json: JsonValue): JsonValue {
  return hasEnums(desc) ? walk(desc, json, shorten) : json;
}

export function enumsFromRest(desc: DescMessage, json: JsonValue): JsonValue {
  return hasEnums(desc) ? walk(desc, json, lengthen) : json;
}

type Rename = (e: DescEnum, value: string, field: DescField) => string;

const shorten: Rename = (e, value) => (e.sharedPrefix && value.startsWith(e.sharedPrefix.toUpperCase()) ? value.slice(e.sharedPrefix.length) : value);

const lengthen: Rename = (e, value, field) => {
  const upper = value.replace(/-/g, "_").toUpperCase();
  const prefix = e.sharedPrefix?.toUpperCase() ?? "";
  const full = upper.startsWith(prefix) ? upper : `${prefix}${upper}`;
  if (e.values.some((v) => v.name === full)) return full;
  const expected = e.values.filter((v) => v.number !== 0).map((v) => shorten(e, v.name, field));
  throw new UnknownEnumValueError(`${field.name}: unknown value ${JSON.stringify(value)}, expected one of ${expected.join(", ")}`);
};

export class UnknownEnumValueError extends Error {
  override name = "UnknownEnumValueError";
}

function walk(desc: DescMessage, json: JsonValue, rename: Rename): JsonValue {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return json;
  const out: JsonObject = { ...json };
  for (const field of desc.fields) {
    for (const key of [field.jsonName, field.name]) {
      if (key in out) out[key] = convertField(field, out[key], rename);
    }
  }
  return out;
}

function convertField(field: DescField, value: JsonValue, rename: Rename): JsonValue {
  const one = (v: JsonValue): JsonValue => {
    if (field.enum !== undefined && typeof v === "string") return rename(field.enum, v, field);
    if (field.message !== undefined && hasEnums(field.message)) return walk(field.message, v, rename);
    return v;
  };
  switch (field.fieldKind) {
    case "list":
      return Array.isArray(value) ? value.map(one) : value;
    case "map":
      return typeof value === "object" && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, one(v)])) : value;
    default:
      return one(value);
  }
}

const enumBearing = new WeakMap<DescMessage, boolean>();

/** Whether a message has an enum field at any depth; remembered, since it is asked per request. */
function hasEnums(desc: DescMessage, visiting = new Set<DescMessage>()): boolean {
  const known = enumBearing.get(desc);
  if (known !== undefined) return known;
  if (visiting.has(desc)) return false;
  visiting.add(desc);
  const result = desc.fields.some((f) => f.enum !== undefined || (f.message !== undefined && !isWellKnown(f.message) && hasEnums(f.message, visiting)));
  visiting.delete(desc);
  if (visiting.size === 0) enumBearing.set(desc, result);
  return result;
}

function isWellKnown(desc: DescMessage): boolean {
  return desc.typeName.startsWith("google.protobuf.");
}
