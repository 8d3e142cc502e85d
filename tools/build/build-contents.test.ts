import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** What `npm run build` compiles into dist/: what ships, and nothing that only tests need. */
describe("the build", () => {
  it("compiles no test support (testing/ folders) and no tests, not even through an import", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (config === undefined) throw new Error("tsconfig.json unreadable");
    // The program follows imports, so a shipped file importing test support would pull it in.
    const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true } });
    const ours = program
      .getSourceFiles()
      .map((f) => path.relative(root, f.fileName))
      .filter((f) => !f.startsWith("node_modules") && !f.startsWith(".."));
    expect(ours.filter((f) => f.split(path.sep).includes("testing") || f.endsWith(".test.ts"))).toEqual([]);
    expect(ours).toContain(path.join("platform", "launcher", "mesh-process.ts"));
  }, 180_000);
});
