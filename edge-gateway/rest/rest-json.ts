import { ScalarType, type DescEnum, type DescField, type DescMessage, type JsonObject, type JsonValue } from "@bufbuild/protobuf";

/**
 * The REST surface speaks the JSON of the seeds' API, which differs from the proto3 JSON mapping
 * that Connect clients get in two ways:
 * - enum values in their REST spelling (see restEnumName): `"MOVIE"`, `"PREMIUM"`, `"PG_13"`,
 *   `"1080p"`, not `"CONTENT_TYPE_MOVIE"`; on the way in the full name, the short name and the
 *   seeds' spelling are all accepted (`PG-13` for `PG_13`, `1080p` for `1080P`);
 * - 64-bit integers as JSON numbers (`"totalRatings": 2`), where proto3 JSON writes strings; a
 *   value beyond 2^53 stays a string so no digit is lost. Numbers are accepted on the way in.
 */
export function toRestJson(desc: DescMessage, json: JsonValue): JsonValue {
  return needsShaping(desc) ? walk(desc, json, outbound) : json;
}

export function fromRestJson(desc: DescMessage, json: JsonValue): JsonValue {
  return needsShaping(desc) ? walk(desc, json, inbound) : json;
}

interface Shaping {
  enumValue(e: DescEnum, value: string, field: DescField): string;
  int64(value: JsonValue): JsonValue;
}

const outbound: Shaping = {
  enumValue: (e, value, field) => shorten(e, value, field),
  int64: (value) => (typeof value === "string" && Number.isSafeInteger(Number(value)) ? Number(value) : value),
};

const inbound: Shaping = {
  enumValue: (e, value, field) => lengthen(e, value, field),
  int64: (value) => value,
};

type Rename = (e: DescEnum, value: string, field: DescField) => string;

/**
 * The one REST spelling of an enum value, for every enum: its name without the enum's type prefix
 * (`CONTENT_TYPE_MOVIE` → `MOVIE`, `MATURITY_RATING_PG_13` → `PG_13`); a name that then starts
 * with a digit is a measurement and is written in lowercase, as the seeds write it
 * (`VIDEO_QUALITY_1080P` → `1080p`). The prefix is the enum's own name in SCREAMING_SNAKE_CASE,
 * not protobuf-es's `sharedPrefix`: that one serves TypeScript identifiers and is left undefined
 * when a short name would start with a digit, which is how VideoQuality kept its prefix.
 */
export function restEnumName(e: DescEnum, protoName: string): string {
  const prefix = typePrefix(e);
  const short = protoName.startsWith(prefix) && protoName.length > prefix.length ? protoName.slice(prefix.length) : protoName;
  return /^[0-9]/.test(short) ? short.toLowerCase() : short;
}

/** `VideoQuality` → `VIDEO_QUALITY_`, the prefix the style guide gives the enum's values. */
function typePrefix(e: DescEnum): string {
  return `${e.name.slice(0, 1)}${e.name.slice(1).replace(/[A-Z]/g, (c) => `_${c}`)}_`.toUpperCase();
}

const shortNames = new WeakMap<DescEnum, Map<string, string>>();

/** restEnumName, remembered per enum: every card of a page has two enums to rename. */
const shorten: Rename = (e, value) => {
  let names = shortNames.get(e);
  if (names === undefined) shortNames.set(e, (names = new Map()));
  let short = names.get(value);
  if (short === undefined) {
    short = restEnumName(e, value);
    // Only the enum's own names are kept, so a caller cannot grow the map.
    if (e.values.some((v) => v.name === value)) names.set(value, short);
  }
  return short;
};

const lengthen: Rename = (e, value, field) => {
  const upper = value.replace(/-/g, "_").toUpperCase();
  const known = e.values.find((v) => v.name === upper || v.name === `${typePrefix(e)}${upper}`);
  if (known !== undefined) return known.name;
  const expected = e.values.filter((v) => v.number !== 0).map((v) => restEnumName(e, v.name));
  throw new UnknownEnumValueError(`${field.name}: unknown value ${JSON.stringify(value)}, expected one of ${expected.join(", ")}`);
};

export class UnknownEnumValueError extends Error {
  override name = "UnknownEnumValueError";
}

/** Shapes `json` in place: it is always the caller's own fresh copy (toJson's, or a parsed body). */
function walk(desc: DescMessage, json: JsonValue, shaping: Shaping): JsonValue {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return json;
  const out: JsonObject = json;
  for (const field of desc.fields) {
    if (field.jsonName in out) out[field.jsonName] = convertField(field, out[field.jsonName], shaping);
    // The proto name too (accepted on the way in), unless it is the same key: a value is shaped once.
    if (field.name !== field.jsonName && field.name in out) out[field.name] = convertField(field, out[field.name], shaping);
  }
  return out;
}

function convertField(field: DescField, value: JsonValue, shaping: Shaping): JsonValue {
  const one = (v: JsonValue): JsonValue => {
    if (field.enum !== undefined && typeof v === "string") return shaping.enumValue(field.enum, v, field);
    if (field.message !== undefined && needsShaping(field.message)) return walk(field.message, v, shaping);
    if (is64Bit(field)) return shaping.int64(v);
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

const SIXTY_FOUR_BIT = new Set([ScalarType.INT64, ScalarType.UINT64, ScalarType.FIXED64, ScalarType.SFIXED64, ScalarType.SINT64]);

function is64Bit(field: DescField): boolean {
  return field.scalar !== undefined && SIXTY_FOUR_BIT.has(field.scalar);
}

const shaped = new WeakMap<DescMessage, boolean>();

/** Whether a message has an enum or 64-bit field at any depth; remembered, as it is asked per request. */
function needsShaping(desc: DescMessage, visiting = new Set<DescMessage>()): boolean {
  const known = shaped.get(desc);
  if (known !== undefined) return known;
  if (visiting.has(desc)) return false;
  visiting.add(desc);
  const result = desc.fields.some(
    (f) => f.enum !== undefined || is64Bit(f) || (f.message !== undefined && !isWellKnown(f.message) && needsShaping(f.message, visiting)),
  );
  visiting.delete(desc);
  if (visiting.size === 0) shaped.set(desc, result);
  return result;
}

function isWellKnown(desc: DescMessage): boolean {
  return desc.typeName.startsWith("google.protobuf.");
}
