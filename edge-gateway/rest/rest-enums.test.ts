import { describe, expect, it } from "vitest";
import { fromJson, toJson, type DescEnum, type DescField, type DescMessage, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { MESH_SERVICES } from "../contracts.js";
import { fromRestJson, toRestJson } from "./rest-json.js";
import { RouteTable } from "./routes.js";

/**
 * The REST spelling of every enum, stated independently of the writer: the value's name without
 * its enum's type prefix (`CONTENT_TYPE_` for ContentType), in lowercase when what is left starts
 * with a digit, as the seeds write measurements ("1080p"), else as declared.
 */
function followsRule(e: DescEnum, name: string, written: string): boolean {
  const prefix = `${e.name.replace(/(?!^)(?=[A-Z])/g, "_").toUpperCase()}_`;
  const casing = /^[0-9]/.test(written) ? written.toLowerCase() : written.toUpperCase();
  return written === casing && `${prefix}${written.toUpperCase()}` === name;
}

const routes = new RouteTable(MESH_SERVICES).all;
const outputs = [...new Set(routes.map((r) => r.method.output))];
const isOpaque = (m: DescMessage) => m.typeName.startsWith("google.");

/** Every message reachable from the routes' responses, and the enums they hold. */
const reachable = new Set<DescMessage>();
const visit = (m: DescMessage) => {
  if (reachable.has(m) || isOpaque(m)) return;
  reachable.add(m);
  for (const f of m.fields) if (f.message) visit(f.message);
};
outputs.forEach(visit);
const enums = new Set([...reachable].flatMap((m) => m.fields.flatMap((f) => (f.enum ? [f.enum] : []))));
const widest = Math.max(...[...enums].map((e) => e.values.length));
const mostMembers = Math.max(1, ...[...reachable].flatMap((m) => m.oneofs.map((o) => o.fields.length)));

/**
 * Instance `k` of a message in proto3 JSON: every enum at depth set to its `k`-th value, every
 * nested message, list and map filled, oneof member `k / widest` chosen; so k over
 * widest × mostMembers instances reaches every value of every enum on every path.
 */
function instance(m: DescMessage, k: number, path: Set<DescMessage>): JsonObject {
  const json: JsonObject = {};
  const next = new Set(path).add(m);
  for (const f of m.fields) {
    if (f.oneof && f.oneof.fields[Math.floor(k / widest) % f.oneof.fields.length] !== f) continue;
    const one = valueOf(f, k, next);
    if (one === undefined) continue;
    json[f.jsonName] = f.fieldKind === "list" ? [one] : f.fieldKind === "map" ? { [mapKey(f)]: one } : one;
  }
  return json;
}

function valueOf(f: DescField, k: number, path: Set<DescMessage>): JsonValue | undefined {
  if (f.enum) return f.enum.values[k % f.enum.values.length].name;
  if (f.message && !isOpaque(f.message) && !path.has(f.message)) return instance(f.message, k, path);
  return undefined;
}

function mapKey(f: DescField): string {
  return f.fieldKind === "map" && f.mapKey === 8 /* BOOL */ ? "true" : f.fieldKind === "map" && f.mapKey === 9 /* STRING */ ? "k" : "1";
}

/** The (enum, written value) pairs of a REST JSON answer. */
function writtenEnums(m: DescMessage, json: JsonValue, out: Array<[DescEnum, string]>): void {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return;
  for (const f of m.fields) {
    const v = json[f.jsonName];
    if (v === undefined) continue;
    const items = f.fieldKind === "list" ? (v as JsonValue[]) : f.fieldKind === "map" ? Object.values(v as JsonObject) : [v];
    for (const item of items) {
      if (f.enum) out.push([f.enum, item as string]);
      else if (f.message && !isOpaque(f.message)) writtenEnums(f.message, item, out);
    }
  }
}

describe("enums on the REST surface", () => {
  it("has routes whose responses hold enums, VideoQuality among them", () => {
    expect([...enums].map((e) => e.typeName)).toEqual(expect.arrayContaining(["cinemesh.common.v1.VideoQuality", "cinemesh.common.v1.MaturityRating"]));
  });

  it("writes every value of every enum in every route's response by the one rule, and reads it back", () => {
    const seen = new Map<DescEnum, Set<string>>();
    for (const output of outputs) {
      for (let k = 0; k < widest * mostMembers; k++) {
        const message = fromJson(output, instance(output, k, new Set()));
        const rest = toRestJson(output, toJson(output, message, { alwaysEmitImplicit: true }));
        const written: Array<[DescEnum, string]> = [];
        writtenEnums(output, rest, written);
        for (const [e, value] of written) {
          const name = e.values.find((v) => followsRule(e, v.name, value))?.name;
          expect(name, `${output.typeName}: ${e.typeName} written as ${JSON.stringify(value)}`).toBeDefined();
          seen.set(e, (seen.get(e) ?? new Set()).add(name!));
        }
        expect(fromJson(output, fromRestJson(output, rest))).toEqual(message);
      }
    }
    for (const e of enums) expect([...(seen.get(e) ?? [])].sort(), e.typeName).toEqual(e.values.map((v) => v.name).sort());
  });

  it("accepts the full proto name, the short name and the seed spelling of a quality", () => {
    const quality = [...reachable].flatMap((m) => m.fields).find((f) => f.enum?.typeName === "cinemesh.common.v1.VideoQuality")!;
    const holder = quality.parent;
    for (const spelling of ["VIDEO_QUALITY_1080P", "1080P", "1080p"]) {
      const json = fromRestJson(holder, { [quality.jsonName]: spelling }) as JsonObject;
      expect(json[quality.jsonName], spelling).toBe("VIDEO_QUALITY_1080P");
    }
  });
});
