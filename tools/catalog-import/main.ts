import { interruptSignal, runCli } from "../cli/command-line.js";
import { parseImportArgs, USAGE } from "./args.js";
import { edgeCatalog } from "./edge-catalog.js";
import { InputFormatError } from "./read-movielens.js";
import { EXIT, exitCodeOf, importDirectory, summaryText } from "./run-import.js";

/** `node dist/tools/catalog-import/main.js DIR [options]`: imports a catalog through the edge (see args.ts). */
runCli({
  parse: parseImportArgs,
  usage: USAGE,
  async run(args) {
    const signal = interruptSignal(() => process.stderr.write("\ninterrupted: finishing the titles under way\n"));
    try {
      const summary = await importDirectory(args, edgeCatalog({ edge: args.edge, auth: args.auth }), { stderr: process.stderr, signal });
      process.stdout.write(summaryText(summary));
      return exitCodeOf(summary);
    } catch (err) {
      if (!(err instanceof InputFormatError)) throw err;
      process.stderr.write(`${err.message}\n`);
      return EXIT.usage;
    }
  },
});
