import { getOption, hasOption, type DescField, type DescMessage, type DescMethod, type DescService } from "@bufbuild/protobuf";
import { http } from "../../gen/google/api/annotations_pb.js";
import type { HttpRule } from "../../gen/google/api/http_pb.js";

/**
 * The REST surface, read from the `google.api.http` annotations of the services' descriptors at
 * start-up: no route is written by hand. A template such as `/api/v1/profile/{profile_id}/my-list`
 * becomes segments; `{field}` binds one segment to a (possibly nested, dotted) request field and
 * `{field=**}` the rest of the path.
 */
export interface RestRoute {
  httpMethod: string;
  template: string;
  segments: Segment[];
  service: DescService;
  method: DescMethod;
  /** `*` maps the whole JSON body onto the request; a field name maps it onto that field; "" means no body. */
  body: string;
  /** A response field to send as the whole body instead of the response message. */
  responseBody: string;
}

type Segment = { literal: string } | { field: DescField[]; rest: boolean };

export class RouteTable {
  private readonly routes: RestRoute[] = [];

  constructor(services: DescService[]) {
    for (const service of services) {
      for (const method of service.methods) {
        if (!hasOption(method, http)) continue;
        const rule = getOption(method, http);
        for (const r of [rule, ...rule.additionalBindings]) this.routes.push(compile(service, method, r));
      }
    }
    // Literal segments win over variables at the same position: /content/home before /content/{id}.
    this.routes.sort((a, b) => specificity(b) - specificity(a));
    const seen = new Set<string>();
    for (const r of this.routes) {
      const key = `${r.httpMethod} ${r.segments.map((s) => ("literal" in s ? s.literal : "{}")).join("/")}`;
      if (seen.has(key)) throw new Error(`two RPCs bind ${r.httpMethod} ${r.template}`);
      seen.add(key);
    }
  }

  get all(): readonly RestRoute[] {
    return this.routes;
  }

  /** The route for a request with its path variables; else the verbs the path does allow (maybe none). */
  match(httpMethod: string, path: string): { route: RestRoute; vars: Map<DescField[], string> } | { allowed: string[] } {
    const parts = splitPath(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const vars = matchSegments(route.segments, parts);
      if (vars === undefined) continue;
      if (route.httpMethod === httpMethod || (httpMethod === "HEAD" && route.httpMethod === "GET")) return { route, vars };
      allowed.push(route.httpMethod);
    }
    return { allowed };
  }
}

function compile(service: DescService, method: DescMethod, rule: HttpRule): RestRoute {
  const p = rule.pattern;
  let httpMethod: string;
  let template: string;
  if (p.case === "custom") {
    httpMethod = p.value.kind.toUpperCase();
    template = p.value.path;
  } else if (p.case !== undefined) {
    httpMethod = p.case.toUpperCase();
    template = p.value;
  } else {
    throw new Error(`${method.parent.typeName}.${method.name}: google.api.http rule without a pattern`);
  }
  const segments = splitPath(template).map((s): Segment => {
    const m = /^\{([a-z0-9_.]+)(?:=(\*\*|\*))?\}$/i.exec(s);
    if (!m) return { literal: s };
    return { field: resolveFieldPath(method.input, m[1], `${method.name} path template ${template}`), rest: m[2] === "**" };
  });
  return { httpMethod, template, segments, service, method, body: rule.body, responseBody: rule.responseBody };
}

/** `video.id` → the descriptors of the fields along the path, or an error naming what is missing. */
export function resolveFieldPath(message: DescMessage, dotted: string, where: string): DescField[] {
  const path: DescField[] = [];
  let current: DescMessage | undefined = message;
  for (const name of dotted.split(".")) {
    const field: DescField | undefined = current?.fields.find((f) => f.name === name || f.jsonName === name);
    if (field === undefined) throw new Error(`${where}: ${message.typeName} has no field ${dotted}`);
    path.push(field);
    current = field.fieldKind === "message" ? field.message : undefined;
  }
  return path;
}

function splitPath(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

function specificity(r: RestRoute): number {
  // Earlier literal segments weigh more, so the first differing segment decides.
  return r.segments.reduce((acc, s, i) => acc + ("literal" in s ? 2 ** (16 - i) : 0), 0);
}

function matchSegments(segments: Segment[], parts: string[]): Map<DescField[], string> | undefined {
  // Most routes fail on a literal segment: decode and bind only once the whole shape matches.
  if (!sameShape(segments, parts)) return undefined;
  const vars = new Map<DescField[], string>();
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if ("literal" in seg) continue;
    if (seg.rest) {
      vars.set(seg.field, parts.slice(i).map(decodeURIComponent).join("/"));
      return vars;
    }
    vars.set(seg.field, decodeURIComponent(parts[i]));
  }
  return vars;
}

function sameShape(segments: Segment[], parts: string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if ("literal" in seg) {
      if (parts[i] !== seg.literal) return false;
    } else if (seg.rest) {
      return i < parts.length;
    } else if (parts[i] === undefined) {
      return false;
    }
  }
  return parts.length === segments.length;
}
