import { createRegistry, toBinary, type DescFile, type DescService, type Registry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  ServerReflection,
  type ServerReflectionRequest,
  type ServerReflectionResponseSchema,
} from "../../gen/grpc/reflection/v1/reflection_pb.js";

type Response = MessageInitShape<typeof ServerReflectionResponseSchema>;

/** Every file reachable from the served services, and every type they declare. */
interface Schema {
  files: Map<string, DescFile>;
  types: Registry;
}

/**
 * `grpc.reflection.v1.ServerReflection` over the generated file descriptors of the services a
 * process serves, so `buf curl` and grpcurl can list and call them without a schema. A file is
 * answered with its transitive imports, each sent at most once per stream (as grpc-go does).
 */
export function registerReflection(router: ConnectRouter, services: DescService[]): void {
  const files = new Map<string, DescFile>();
  const collect = (f: DescFile) => {
    if (files.has(f.name)) return;
    files.set(f.name, f);
    f.dependencies.forEach(collect);
  };
  services.forEach((s) => collect(s.file));
  const registry: Schema = { files, types: createRegistry(...files.values()) };
  const serviceNames = services.map((s) => s.typeName);
  router.service(ServerReflection, {
    async *serverReflectionInfo(requests) {
      const sent = new Set<string>();
      for await (const req of requests) {
        yield answer(req, registry, serviceNames, sent);
      }
    },
  });
}

function answer(req: ServerReflectionRequest, registry: Schema, serviceNames: string[], sent: Set<string>): Response {
  const base = { validHost: req.host, originalRequest: req };
  const r = req.messageRequest;
  switch (r.case) {
    case "listServices":
      return { ...base, messageResponse: { case: "listServicesResponse", value: { service: serviceNames.map((name) => ({ name })) } } };
    case "fileByFilename": {
      const file = registry.files.get(r.value);
      return file ? files(base, file, sent) : notFound(base, `file ${r.value}`);
    }
    case "fileContainingSymbol": {
      const file = fileOfSymbol(registry, r.value);
      return file ? files(base, file, sent) : notFound(base, `symbol ${r.value}`);
    }
    case "fileContainingExtension": {
      const message = registry.types.getMessage(r.value.containingType);
      const ext = message && registry.types.getExtensionFor(message, r.value.extensionNumber);
      return ext ? files(base, ext.file, sent) : notFound(base, `extension ${r.value.extensionNumber} of ${r.value.containingType}`);
    }
    case "allExtensionNumbersOfType": {
      const typeName = r.value;
      if (!registry.types.getMessage(typeName)) return notFound(base, `type ${typeName}`);
      const extensionNumber: number[] = [];
      for (const desc of registry.types) {
        if (desc.kind === "extension" && desc.extendee.typeName === typeName) extensionNumber.push(desc.number);
      }
      return { ...base, messageResponse: { case: "allExtensionNumbersResponse", value: { baseTypeName: typeName, extensionNumber } } };
    }
    default:
      return { ...base, messageResponse: { case: "errorResponse", value: { errorCode: 12, errorMessage: "unsupported reflection request" } } };
  }
}

/** A symbol is a message, enum, service or extension name, or `Service.Method`. */
function fileOfSymbol(registry: Schema, symbol: string): DescFile | undefined {
  const desc = registry.types.get(symbol);
  if (desc) return desc.file;
  const dot = symbol.lastIndexOf(".");
  const parent = dot > 0 ? registry.types.getService(symbol.slice(0, dot)) : undefined;
  return parent?.methods.some((m) => m.name === symbol.slice(dot + 1)) ? parent.file : undefined;
}

function files(base: Pick<Response, "validHost" | "originalRequest">, file: DescFile, sent: Set<string>): Response {
  const out: Uint8Array[] = [];
  const visit = (f: DescFile) => {
    if (sent.has(f.name)) return;
    sent.add(f.name);
    out.push(toBinary(FileDescriptorProtoSchema, f.proto));
    f.dependencies.forEach(visit);
  };
  // The requested file always goes out, even if an earlier answer on this stream carried it.
  sent.delete(file.name);
  visit(file);
  return { ...base, messageResponse: { case: "fileDescriptorResponse", value: { fileDescriptorProto: out } } };
}

function notFound(base: Pick<Response, "validHost" | "originalRequest">, what: string): Response {
  return { ...base, messageResponse: { case: "errorResponse", value: { errorCode: 5, errorMessage: `${what} not found` } } };
}

