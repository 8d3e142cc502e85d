#!/usr/bin/env node
// Prints buf/validate/validate.proto (the protovalidate schema) as .proto source, reconstructed
// from the compiled FileDescriptorProto that @bufbuild/protovalidate ships in
// gen/buf/validate/validate_pb.js (`file_buf_validate_validate`). Neither the Buf Schema Registry
// nor the .proto source is available to us, so tools/proto/vendor.sh runs this script and
// redirects stdout into proto/vendor/buf/validate/validate.proto.
//
//   node tools/proto/print-validate-proto.mjs > proto/vendor/buf/validate/validate.proto
//
// The printer is generic over proto2/proto3 FileDescriptorProtos: syntax, package, imports
// (public/weak), file options, messages (nested messages/enums/extensions, fields with labels,
// defaults, json_name when it differs from the default, map fields, oneofs, proto3 optional,
// reserved ranges/names, extension ranges), enums (values, reserved), services, `extend` blocks,
// and every option: standard ones (known fields of the *Options messages) and custom ones
// (extensions, decoded from the options' unknown fields with the extensions declared in the file
// and its imports). Option values that are messages are printed as text-format literals.
// Type and option names are printed as the shortest (partially qualified) name that still resolves
// to the same symbol under protobuf's scoping rules. Leading (and detached) comments are printed
// when the descriptor has source_code_info (the shipped one has none); trailing comments are not.
// Anything it cannot reproduce faithfully (groups, editions, unknown non-extension option fields,
// ...) makes it throw instead of printing something subtly different.
// tools/proto/validate-proto.test.ts proves the round trip with buf.
import { readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ScalarType, getExtension, isFieldSet } from "@bufbuild/protobuf";
import { nestedTypes, protoCamelCase, reflect } from "@bufbuild/protobuf/reflect";
import {
  EnumOptionsSchema,
  EnumValueOptionsSchema,
  ExtensionRangeOptionsSchema,
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FieldDescriptorProtoSchema,
  FieldOptionsSchema,
  FileOptionsSchema,
  MessageOptionsSchema,
  MethodOptionsSchema,
  OneofOptionsSchema,
  ServiceOptionsSchema,
} from "@bufbuild/protobuf/wkt";
import { file_buf_validate_validate } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";

const PACKAGE = "@bufbuild/protovalidate";
const MAX_FIELD_NUMBER = 536870911; // 2^29 - 1, `max` in message reserved/extension ranges
const MAX_MESSAGE_SET_NUMBER = 2147483646; // `max` for extension ranges of message_set_wire_format messages
const MAX_ENUM_NUMBER = 2147483647; // `max` in enum reserved ranges (end inclusive)
// FieldDescriptorProto is proto2: unset optional fields read as their defaults (0, "", TYPE_DOUBLE),
// so presence has to be checked explicitly.
const FD = FieldDescriptorProtoSchema.field;

// ---------------------------------------------------------------------------------------------
// String literals

/** Escapes a string for a double-quoted .proto / text-format string literal. */
export function quoteString(s) {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      // Control characters: octal escapes of their UTF-8 bytes.
      for (const b of new TextEncoder().encode(ch)) out += octal(b);
    } else out += ch; // printable ASCII and other Unicode, as UTF-8
  }
  return out + '"';
}

/** Escapes bytes for a double-quoted literal: printable ASCII as is, everything else in octal. */
export function quoteBytes(bytes) {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += "\\\\";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b === 0x09) out += "\\t";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += octal(b);
  }
  return out + '"';
}

function octal(b) {
  return "\\" + b.toString(8).padStart(3, "0");
}

function formatFloat(n) {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (Object.is(n, -0)) return "-0";
  // Shortest representation that round-trips to the same double; a float32 value widened to
  // double prints digits that parse back to the same float32.
  return String(n);
}

function formatScalar(type, v) {
  switch (type) {
    case ScalarType.STRING:
      return quoteString(v);
    case ScalarType.BYTES:
      return quoteBytes(v);
    case ScalarType.BOOL:
      return v ? "true" : "false";
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      return formatFloat(v);
    default:
      return String(v); // integers; 64-bit ones are bigint (or string with jstype = JS_STRING)
  }
}

function formatEnum(enumDesc, n) {
  const v = enumDesc.values.find((v) => v.number === n);
  return v ? v.name : String(n);
}

// ---------------------------------------------------------------------------------------------
// Symbols and name resolution

const AGGREGATE = new Set(["package", "message", "enum", "service"]);
const TYPE = new Set(["message", "enum"]);

/** All symbols of the file and its (transitive) imports: full name (no leading dot) -> kind. */
function buildSymbols(file) {
  const symbols = new Map();
  const add = (name, kind) => {
    if (!symbols.has(name)) symbols.set(name, kind);
  };
  const seen = new Set();
  const visit = (f) => {
    if (seen.has(f)) return;
    seen.add(f);
    const pkg = f.proto.package;
    if (pkg) {
      const parts = pkg.split(".");
      for (let i = 1; i <= parts.length; i++) add(parts.slice(0, i).join("."), "package");
    }
    for (const t of nestedTypes(f)) {
      switch (t.kind) {
        case "message":
          add(t.typeName, "message");
          for (const fd of t.proto.field) add(`${t.typeName}.${fd.name}`, "field");
          for (const o of t.proto.oneofDecl) add(`${t.typeName}.${o.name}`, "oneof");
          break;
        case "enum": {
          add(t.typeName, "enum");
          // Enum values are siblings of their enum, not children.
          const scope = parentName(t.typeName);
          for (const v of t.proto.value) add(join2(scope, v.name), "enumvalue");
          break;
        }
        case "extension":
          add(t.typeName, "extension");
          break;
        case "service":
          add(t.typeName, "service");
          for (const m of t.proto.method) add(`${t.typeName}.${m.name}`, "method");
          break;
      }
    }
    f.dependencies.forEach(visit);
  };
  visit(file);
  return symbols;
}

function parentName(fullName) {
  const i = fullName.lastIndexOf(".");
  return i < 0 ? "" : fullName.slice(0, i);
}

function join2(scope, name) {
  return scope ? `${scope}.${name}` : name;
}

/**
 * Resolves a (relative) name the way protoc does (DescriptorBuilder::LookupSymbolNoPlaceholder):
 * the first component is searched from the innermost scope outwards; for compound names the first
 * match must be an aggregate, for type references a non-type match is skipped.
 */
function lookup(symbols, name, relativeTo, mode) {
  const dotIdx = name.indexOf(".");
  const first = dotIdx < 0 ? name : name.slice(0, dotIdx);
  let scope = relativeTo;
  for (;;) {
    const i = scope.lastIndexOf(".");
    if (i < 0) {
      const kind = symbols.get(name);
      if (kind === undefined || (mode === "type" && !TYPE.has(kind))) return undefined;
      return name;
    }
    scope = scope.slice(0, i);
    const candidate = `${scope}.${first}`;
    const kind = symbols.get(candidate);
    if (kind !== undefined) {
      if (dotIdx >= 0) {
        if (AGGREGATE.has(kind)) {
          const full = `${scope}.${name}`;
          return symbols.has(full) ? full : undefined;
        }
      } else if (mode !== "type" || TYPE.has(kind)) {
        return candidate;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Printer

class ProtoPrinter {
  constructor(file) {
    this.file = file;
    this.fp = file.proto;
    if (this.fp.edition !== 0 || this.fp.syntax === "editions") {
      throw new Error("editions files are not supported by this printer");
    }
    if (this.fp.optionDependency.length) throw new Error("option imports are not supported");
    this.syntax = this.fp.syntax || "proto2";
    if (this.syntax !== "proto2" && this.syntax !== "proto3") {
      throw new Error(`unsupported syntax ${this.syntax}`);
    }
    this.symbols = buildSymbols(file);
    // Extensions of the file and its imports, by extendee and number.
    this.extensions = new Map();
    const seen = new Set();
    const visit = (f) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const t of nestedTypes(f)) {
        if (t.kind === "extension") this.extensions.set(`${t.extendee.typeName}:${t.number}`, t);
      }
      f.dependencies.forEach(visit);
    };
    visit(file);
    this.locations = new Map();
    for (const loc of this.fp.sourceCodeInfo?.location ?? []) {
      const key = loc.path.join(",");
      if (!this.locations.has(key)) this.locations.set(key, loc);
    }
    this.out = [];
  }

  hasComments() {
    return [...this.locations.values()].some(
      (l) => l.leadingComments || l.leadingDetachedComments.length || l.trailingComments,
    );
  }

  line(depth, text = "") {
    this.out.push(text === "" ? "" : "  ".repeat(depth) + text);
  }

  blank() {
    if (this.out.length && this.out[this.out.length - 1] !== "") this.out.push("");
  }

  /** Leading detached and leading comments of the element at `path`, if source info has them. */
  comments(path, depth) {
    const loc = this.locations.get(path.join(","));
    if (!loc) return;
    const block = (text) => {
      const lines = text.replace(/\n$/, "").split("\n");
      for (const l of lines) this.line(depth, `//${l}`);
    };
    for (const d of loc.leadingDetachedComments) {
      block(d);
      this.blank();
    }
    if (loc.leadingComments) block(loc.leadingComments);
  }

  /** Shortest name for `fullName` (no leading dot) that resolves back to it from all `scopes`. */
  name(fullName, scopes, mode) {
    const parts = fullName.split(".");
    for (let k = parts.length - 1; k >= 0; k--) {
      const candidate = parts.slice(k).join(".");
      if (scopes.every((s) => lookup(this.symbols, candidate, s, mode) === fullName)) return candidate;
    }
    return `.${fullName}`;
  }

  typeRef(typeName, scopes) {
    if (!typeName.startsWith(".")) throw new Error(`unresolved type name ${typeName}`);
    return this.name(typeName.slice(1), scopes, "type");
  }

  // --- values and options ------------------------------------------------------------------

  /** Set fields and extensions of a message, ordered by field number. */
  setMembers(rmsg) {
    const members = rmsg.sortedFields
      .filter((f) => rmsg.isSet(f))
      .map((f) => ({ field: f, number: f.number, ext: false }));
    const unknownNumbers = [...new Set((rmsg.getUnknown() ?? []).map((u) => u.no))];
    for (const no of unknownNumbers) {
      const ext = this.extensions.get(`${rmsg.desc.typeName}:${no}`);
      if (!ext) {
        throw new Error(`${rmsg.desc.typeName} has unknown field ${no} that is not a known extension`);
      }
      members.push({ field: ext, number: no, ext: true });
    }
    members.sort((a, b) => a.number - b.number);
    for (const m of members) {
      if (m.field.delimitedEncoding) {
        throw new Error(`group/delimited field ${m.field.name} is not supported`);
      }
      m.values = this.memberValues(rmsg, m);
    }
    return members;
  }

  /** The values of a member as a list: one element per repeated element or map entry. */
  memberValues(rmsg, { field, ext }) {
    if (ext) {
      const v = getExtension(rmsg.message, field);
      switch (field.fieldKind) {
        case "message":
          return [reflect(field.message, v)];
        case "list":
          return v.map((e) => (field.listKind === "message" ? reflect(field.message, e) : e));
        default:
          return [v];
      }
    }
    const v = rmsg.get(field);
    switch (field.fieldKind) {
      case "list":
        return [...v];
      case "map":
        return [...v.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      default:
        return [v];
    }
  }

  /** Formats one value of a field (an element for lists, an entry for maps). */
  formatValue(field, v) {
    const kind = field.fieldKind === "list" ? field.listKind : field.fieldKind;
    switch (kind) {
      case "message":
        return this.aggregate(v);
      case "enum":
        return formatEnum(field.enum, v);
      case "scalar":
        return formatScalar(field.scalar, v);
      case "map": {
        const [key, value] = v;
        const val =
          field.mapKind === "message"
            ? `value ${this.aggregate(value)}`
            : `value: ${field.mapKind === "enum" ? formatEnum(field.enum, value) : formatScalar(field.scalar, value)}`;
        return `{\n  key: ${formatScalar(field.mapKey, key)}\n  ${val.replaceAll("\n", "\n  ")}\n}`;
      }
    }
    throw new Error(`unexpected field kind ${kind}`);
  }

  /** A message as a text-format literal `{ ... }`; lines after the first are relative to it. */
  aggregate(rmsg) {
    const lines = [];
    for (const m of this.setMembers(rmsg)) {
      const name = m.ext ? `[${m.field.typeName}]` : m.field.name;
      const isMessage = (m.field.fieldKind === "list" ? m.field.listKind : m.field.fieldKind) === "message";
      for (const v of m.values) {
        const sep = isMessage || m.field.fieldKind === "map" ? " " : ": ";
        lines.push(`${name}${sep}${this.formatValue(m.field, v)}`);
      }
    }
    if (!lines.length) return "{}";
    return `{\n${lines.map((l) => "  " + l.replaceAll("\n", "\n  ")).join("\n")}\n}`;
  }

  /**
   * The option assignments (`name = value`) for an options message. Message-typed options are
   * flattened one level (`(ext).field = value`, repeated once per element), like hand-written
   * protos do; scopes are the names option names are resolved against.
   */
  options(schema, opts, scopes) {
    if (!opts) return [];
    if (opts.uninterpretedOption?.length) throw new Error("uninterpreted options are not supported");
    const rmsg = reflect(schema, opts);
    const result = [];
    const optName = (m) => (m.ext ? `(${this.name(m.field.typeName, scopes, "all")})` : m.field.name);
    for (const m of this.setMembers(rmsg)) {
      if (m.field.name === "uninterpreted_option" && !m.ext) continue;
      const name = optName(m);
      if (m.field.fieldKind === "message") {
        const sub = this.setMembers(m.values[0]);
        if (!sub.length) result.push({ name, value: "{}" });
        for (const s of sub) {
          for (const v of s.values) result.push({ name: `${name}.${optName(s)}`, value: this.formatValue(s.field, v) });
        }
      } else {
        for (const v of m.values) result.push({ name, value: this.formatValue(m.field, v) });
      }
    }
    return result;
  }

  /** `option x = y;` statements. */
  optionStatements(depth, schema, opts, scopes) {
    for (const { name, value } of this.options(schema, opts, scopes)) {
      this.line(depth, `option ${name} = ${value.replaceAll("\n", "\n" + "  ".repeat(depth))};`);
    }
  }

  /** ` [a = b, ...]` for fields, enum values and extension ranges ("" if there are none). */
  bracket(depth, assignments) {
    if (!assignments.length) return "";
    const pad = "  ".repeat(depth);
    const parts = assignments.map(({ name, value }) => `${name} = ${value}`);
    if (parts.length === 1) return ` [${parts[0].replaceAll("\n", "\n" + pad)}]`;
    if (parts.every((p) => !p.includes("\n")) && parts.join(", ").length <= 80) {
      return ` [${parts.join(", ")}]`;
    }
    const inner = pad + "  ";
    return ` [\n${parts.map((p) => inner + p.replaceAll("\n", "\n" + inner)).join(",\n")}\n${pad}]`;
  }

  // --- declarations ---------------------------------------------------------------------------

  print(header) {
    const fp = this.fp;
    for (const l of header) this.line(0, l ? `// ${l}` : "//");
    this.blank();
    this.comments([12], 0);
    this.line(0, `syntax = ${quoteString(this.syntax)};`);
    const pkgScope = join2(fp.package, "dummy"); // options of the file resolve relative to the package
    if (fp.package) {
      this.blank();
      this.comments([2], 0);
      this.line(0, `package ${fp.package};`);
    }
    if (fp.dependency.length) {
      this.blank();
      fp.dependency.forEach((dep, i) => {
        this.comments([3, i], 0);
        const mod = fp.publicDependency.includes(i) ? "public " : fp.weakDependency.includes(i) ? "weak " : "";
        this.line(0, `import ${mod}${quoteString(dep)};`);
      });
    }
    if (fp.options) {
      this.blank();
      this.optionStatements(0, FileOptionsSchema, fp.options, [pkgScope]);
    }
    this.extends(0, fp.extension, fp.package, [7]);
    fp.messageType.forEach((m, i) => {
      this.blank();
      this.message(0, m, fp.package, [4, i]);
    });
    fp.enumType.forEach((e, i) => {
      this.blank();
      this.enum(0, e, fp.package, [5, i]);
    });
    fp.service.forEach((s, i) => {
      this.blank();
      this.service(0, s, fp.package, [6, i]);
    });
    return this.out.join("\n") + "\n";
  }

  /** `extend` blocks, one per run of consecutive extensions with the same extendee. */
  extends(depth, extensions, scope, path) {
    let i = 0;
    while (i < extensions.length) {
      const extendee = extensions[i].extendee;
      this.blank();
      const first = join2(scope, extensions[i].name);
      this.line(depth, `extend ${this.typeRef(extendee, [first])} {`);
      for (; i < extensions.length && extensions[i].extendee === extendee; i++) {
        const ext = extensions[i];
        const full = join2(scope, ext.name);
        if (this.typeRef(extendee, [full]) !== this.typeRef(extendee, [first])) {
          throw new Error(`extendee of ${full} resolves differently within one extend block`);
        }
        if (isFieldSet(ext, FD.jsonName) && ext.jsonName !== protoCamelCase(ext.name)) {
          throw new Error(`extension ${full} has a custom json_name, which .proto cannot express`);
        }
        this.comments([...path, i], depth + 1);
        this.field(depth + 1, ext, scope, { extension: true });
      }
      this.line(depth, "}");
    }
  }

  field(depth, fd, scope, { inOneof = false, extension = false, mapEntry } = {}) {
    const full = join2(scope, fd.name);
    let label = "";
    if (fd.label === Label.REPEATED && !mapEntry) label = "repeated ";
    else if (fd.label === Label.REQUIRED) label = "required ";
    else if (fd.label === Label.OPTIONAL && !inOneof) {
      if (this.syntax === "proto2" || fd.proto3Optional) label = "optional ";
    }
    let type;
    if (mapEntry) {
      const [k, v] = [mapEntry.field.find((f) => f.number === 1), mapEntry.field.find((f) => f.number === 2)];
      const entryScope = join2(parentName(fd.typeName.slice(1)), mapEntry.name);
      type = `map<${this.fieldType(k, [`${entryScope}.key`])}, ${this.fieldType(v, [`${entryScope}.value`, full])}>`;
    } else {
      type = this.fieldType(fd, [full]);
    }
    const pseudo = [];
    if (isFieldSet(fd, FD.defaultValue)) {
      pseudo.push({ name: "default", value: this.formatDefault(fd) });
    }
    if (!extension && isFieldSet(fd, FD.jsonName) && fd.jsonName !== protoCamelCase(fd.name)) {
      pseudo.push({ name: "json_name", value: quoteString(fd.jsonName) });
    }
    const opts = this.options(FieldOptionsSchema, fd.options, [full, join2(scope, "dummy")]);
    this.line(depth, `${label}${type} ${fd.name} = ${fd.number}${this.bracket(depth, [...pseudo, ...opts])};`);
  }

  fieldType(fd, scopes) {
    if (!isFieldSet(fd, FD.type)) {
      if (isFieldSet(fd, FD.typeName)) return this.typeRef(fd.typeName, scopes);
      throw new Error(`field ${fd.name} has no type`);
    }
    switch (fd.type) {
      case Type.MESSAGE:
      case Type.ENUM:
        return this.typeRef(fd.typeName, scopes);
      case Type.GROUP:
        throw new Error(`group field ${fd.name} is not supported`);
      default:
        return Type[fd.type].toLowerCase();
    }
  }

  formatDefault(fd) {
    const v = fd.defaultValue;
    switch (fd.type) {
      case Type.STRING:
        return quoteString(v);
      case Type.BYTES:
        return `"${v}"`; // default_value of bytes fields is already C-escaped
      default:
        return v; // numbers (incl. inf/-inf/nan), true/false, enum value names
    }
  }

  message(depth, m, scope, path) {
    const full = join2(scope, m.name);
    this.comments(path, depth);
    this.line(depth, `message ${m.name} {`);
    const bodyStart = this.out.length;
    const d = depth + 1;
    this.optionStatements(d, MessageOptionsSchema, m.options, [join2(full, "dummy"), full]);

    // Map entries are generated from map fields and become nested types in declaration order.
    const entries = new Map();
    for (const n of m.nestedType) if (n.options?.mapEntry) entries.set(`.${full}.${n.name}`, n);
    const mapFieldEntries = m.field
      .filter((f) => f.type === Type.MESSAGE && f.label === Label.REPEATED && entries.has(f.typeName))
      .map((f) => entries.get(f.typeName));
    const others = m.nestedType.filter((n) => !n.options?.mapEntry);
    const sameOrder = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
    let nestedFirst = false;
    if (entries.size) {
      if (sameOrder(m.nestedType, [...mapFieldEntries, ...others])) nestedFirst = false;
      else if (sameOrder(m.nestedType, [...others, ...mapFieldEntries])) nestedFirst = true;
      else throw new Error(`cannot reproduce the order of map entries among the nested types of ${full}`);
    }
    const nestedIndex = (n) => m.nestedType.indexOf(n);
    const printNested = () => {
      for (const n of others) {
        this.blank();
        this.message(d, n, full, [...path, 3, nestedIndex(n)]);
      }
    };
    if (nestedFirst) printNested();

    // Fields, with the members of each real oneof grouped into a contiguous oneof block.
    const synthetic = new Set(
      m.oneofDecl
        .map((_, i) => i)
        .filter((i) => m.field.some((f) => f.oneofIndex === i && f.proto3Optional)),
    );
    const printedOneofs = new Set();
    let lastOneof = -1;
    m.field.forEach((f, fi) => {
      const oi = isFieldSet(f, FD.oneofIndex) && !synthetic.has(f.oneofIndex) ? f.oneofIndex : -1;
      if (oi >= 0 && oi !== lastOneof && printedOneofs.has(oi)) {
        throw new Error(`fields of oneof ${m.oneofDecl[oi].name} in ${full} are not contiguous`);
      }
      if (oi !== lastOneof && lastOneof >= 0) this.line(d, "}");
      if (oi >= 0 && oi !== lastOneof) {
        const o = m.oneofDecl[oi];
        printedOneofs.add(oi);
        this.comments([...path, 8, oi], d);
        this.line(d, `oneof ${o.name} {`);
        this.optionStatements(d + 1, OneofOptionsSchema, o.options, [join2(full, o.name), join2(full, "dummy")]);
      }
      lastOneof = oi;
      const fd = oi >= 0 ? d + 1 : d;
      this.comments([...path, 2, fi], fd);
      const entry = f.type === Type.MESSAGE && f.label === Label.REPEATED ? entries.get(f.typeName) : undefined;
      this.field(fd, f, full, { inOneof: oi >= 0, mapEntry: entry });
    });
    if (lastOneof >= 0) this.line(d, "}");
    m.oneofDecl.forEach((o, i) => {
      if (!synthetic.has(i) && !printedOneofs.has(i)) throw new Error(`oneof ${o.name} in ${full} has no fields`);
    });

    if (!nestedFirst) printNested();
    m.enumType.forEach((e, i) => {
      this.blank();
      this.enum(d, e, full, [...path, 4, i]);
    });
    this.extends(d, m.extension, full, [...path, 6]);
    const messageSet = m.options?.messageSetWireFormat === true;
    if (m.extensionRange.length) this.blank();
    m.extensionRange.forEach((r, i) => {
      this.comments([...path, 5, i], d);
      const range = formatRange(r.start, r.end - 1, messageSet ? MAX_MESSAGE_SET_NUMBER : MAX_FIELD_NUMBER);
      const opts = this.options(ExtensionRangeOptionsSchema, r.options, [full, join2(full, "dummy")]);
      this.line(d, `extensions ${range}${this.bracket(d, opts)};`);
    });
    this.reserved(d, m.reservedRange.map((r) => formatRange(r.start, r.end - 1, MAX_FIELD_NUMBER)), m.reservedName);
    if (this.out[this.out.length - 1] === "") this.out.pop();
    if (this.out.length === bodyStart) this.out[bodyStart - 1] += "}"; // empty message: `message M {}`
    else this.line(depth, "}");
  }

  reserved(depth, ranges, names) {
    if (ranges.length || names.length) this.blank();
    if (ranges.length) this.line(depth, `reserved ${ranges.join(", ")};`);
    if (names.length) this.line(depth, `reserved ${names.map(quoteString).join(", ")};`);
  }

  enum(depth, e, scope, path) {
    const full = join2(scope, e.name);
    this.comments(path, depth);
    this.line(depth, `enum ${e.name} {`);
    const d = depth + 1;
    this.optionStatements(d, EnumOptionsSchema, e.options, [join2(full, "dummy"), full]);
    e.value.forEach((v, i) => {
      this.comments([...path, 2, i], d);
      const opts = this.options(EnumValueOptionsSchema, v.options, [join2(scope, v.name), join2(full, v.name)]);
      this.line(d, `${v.name} = ${v.number}${this.bracket(d, opts)};`);
    });
    this.reserved(d, e.reservedRange.map((r) => formatRange(r.start, r.end, MAX_ENUM_NUMBER)), e.reservedName);
    this.line(depth, "}");
  }

  service(depth, s, scope, path) {
    const full = join2(scope, s.name);
    this.comments(path, depth);
    this.line(depth, `service ${s.name} {`);
    const d = depth + 1;
    this.optionStatements(d, ServiceOptionsSchema, s.options, [join2(full, "dummy"), full]);
    s.method.forEach((m, i) => {
      const mfull = join2(full, m.name);
      this.comments([...path, 2, i], d);
      const input = `${m.clientStreaming ? "stream " : ""}${this.typeRef(m.inputType, [mfull])}`;
      const output = `${m.serverStreaming ? "stream " : ""}${this.typeRef(m.outputType, [mfull])}`;
      const sig = `rpc ${m.name}(${input}) returns (${output})`;
      const opts = this.options(MethodOptionsSchema, m.options, [mfull, join2(full, "dummy")]);
      if (!opts.length) {
        this.line(d, `${sig};`);
      } else {
        this.line(d, `${sig} {`);
        this.optionStatements(d + 1, MethodOptionsSchema, m.options, [mfull, join2(full, "dummy")]);
        this.line(d, "}");
      }
    });
    this.line(depth, "}");
  }
}

/** `n`, `a to b` or `a to max` for an inclusive range. */
function formatRange(start, endInclusive, max) {
  if (endInclusive === start) return String(start);
  return `${start} to ${endInclusive === max ? "max" : endInclusive}`;
}

/**
 * Prints a DescFile as .proto source. `header` lines are printed as `//` comments at the top.
 */
export function printProtoFile(file, header = []) {
  const printer = new ProtoPrinter(file);
  const lines = [...header];
  if (!printer.hasComments()) {
    if (lines.length) lines.push("");
    lines.push("The compiled descriptor carries no source info, so the original comments are absent.");
  }
  return printer.print(lines);
}

/** The version of the installed @bufbuild/protovalidate, from its package.json. */
export function protovalidateVersion() {
  let dir = dirname(fileURLToPath(import.meta.resolve(PACKAGE)));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (pkg.name === PACKAGE) return pkg.version;
    } catch {
      // no package.json here, keep walking up
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the package.json of ${PACKAGE}`);
    dir = up;
  }
}

export function printValidateProto() {
  const version = protovalidateVersion();
  return printProtoFile(file_buf_validate_validate, [
    `Code generated by tools/proto/print-validate-proto.mjs from ${PACKAGE}@${version}. DO NOT EDIT.`,
    "Regenerate with: bash tools/proto/vendor.sh",
    "",
    `Printed from the compiled FileDescriptorProto for ${file_buf_validate_validate.proto.name}`,
    `that ${PACKAGE} ships in gen/buf/validate/validate_pb.js (file_buf_validate_validate).`,
    "protovalidate is Copyright Buf Technologies, Inc., licensed under the Apache License 2.0.",
  ]);
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  process.stdout.write(printValidateProto());
}
