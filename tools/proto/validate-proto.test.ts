// Proves that proto/vendor/buf/validate/validate.proto, printed by
// tools/proto/print-validate-proto.mjs from the compiled descriptor that @bufbuild/protovalidate
// ships, compiles back to exactly that descriptor, and that the committed file is not stale.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import {
  clone,
  createRegistry,
  equals,
  fromBinary,
  getExtension,
  setExtension,
  toBinary,
  type Registry,
} from "@bufbuild/protobuf";
import {
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  type FileDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import {
  file_buf_validate_validate,
  predefined,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const vendored = "proto/vendor/buf/validate/validate.proto";

/** Compiles the vendored file with the pinned buf and returns its FileDescriptorProto. */
function buildWithBuf(): FileDescriptorProto {
  const bytes = execFileSync(
    join(root, "node_modules/.bin/buf"),
    [
      "build",
      "proto/vendor",
      "--path",
      vendored,
      "--exclude-source-info",
      // A plain FileDescriptorSet: a Buf image adds buf-specific fields to each file.
      "--as-file-descriptor-set",
      "-o",
      "-#format=binpb",
    ],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  );
  const set = fromBinary(FileDescriptorSetSchema, bytes);
  const file = set.file.find((f) => f.name === file_buf_validate_validate.proto.name);
  if (!file) throw new Error(`buf build did not produce ${file_buf_validate_validate.proto.name}`);
  return file;
}

function withoutSourceInfo(file: FileDescriptorProto): FileDescriptorProto {
  const copy = clone(FileDescriptorProtoSchema, file);
  copy.sourceCodeInfo = undefined;
  return copy;
}

// Custom options (e.g. `(buf.validate.predefined).cel`) are extensions of the *Options messages.
// FileDescriptorProtoSchema does not know them, so after fromBinary() they sit in the options'
// unknown fields, and equals() ignores unknown fields and extensions by default. With this
// registry (which holds the extensions declared in validate.proto) and `extensions`/`unknown`
// enabled, equals() decodes and compares every custom option value, and compares any remaining
// unknown fields byte by byte.
const registry: Registry = createRegistry(file_buf_validate_validate);
const strict = { registry, extensions: true, unknown: true };

// json_name: the descriptor embedded in validate_pb.js has the json_name of message fields stripped
// (they equal the default), and fileDesc() restores them explicitly (restoreJsonNames); extensions
// keep the json_name protoc set. buf likewise populates json_name on every field and extension, so
// both sides carry the same explicit json_name everywhere and no normalisation is needed; the
// comparison below would fail if that ever changed.
describe("proto/vendor/buf/validate/validate.proto", () => {
  const shipped = withoutSourceInfo(file_buf_validate_validate.proto);

  it("compiles with buf to the descriptor shipped in @bufbuild/protovalidate", () => {
    const built = withoutSourceInfo(buildWithBuf());
    expect(built.syntax).toBe(shipped.syntax);
    expect(built.dependency).toEqual(shipped.dependency);
    expect(built.messageType.map((m) => m.name)).toEqual(shipped.messageType.map((m) => m.name));
    expect(equals(FileDescriptorProtoSchema, built, shipped, strict)).toBe(true);
    // Stronger still: the serialised descriptors are byte-for-byte identical (same fields, same
    // option encoding and order). If a buf upgrade ever changed only the order in which it
    // serialises options, this line could be relaxed; the semantic check above is the contract.
    expect(Buffer.from(toBinary(FileDescriptorProtoSchema, built)).equals(
      Buffer.from(toBinary(FileDescriptorProtoSchema, shipped)),
    )).toBe(true);
  });

  it("uses a comparison that sees custom option values (negative control)", () => {
    const tampered = clone(FileDescriptorProtoSchema, shipped);
    const field = tampered.messageType.find((m) => m.name === "StringRules")!.field.find((f) => f.name === "email")!;
    const rules = getExtension(field.options!, predefined);
    expect(rules.cel.length).toBeGreaterThan(0);
    rules.cel[0].expression += " ";
    setExtension(field.options!, predefined, rules);
    expect(equals(FileDescriptorProtoSchema, tampered, shipped)).toBe(true); // default equals() is blind to it
    expect(equals(FileDescriptorProtoSchema, tampered, shipped, strict)).toBe(false);
  });

  it("is what tools/proto/print-validate-proto.mjs prints now (not stale)", () => {
    const printed = execFileSync(process.execPath, ["tools/proto/print-validate-proto.mjs"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const committed = readFileSync(join(root, vendored), "utf8");
    expect(committed).toBe(printed);
    const { version } = JSON.parse(
      readFileSync(join(root, "node_modules/@bufbuild/protovalidate/package.json"), "utf8"),
    ) as { version: string };
    expect(committed.split("\n")[0]).toContain(`@bufbuild/protovalidate@${version}. DO NOT EDIT.`);
  });
});
