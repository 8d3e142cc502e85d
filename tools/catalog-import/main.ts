import { interruptSignal, runCli } from "../cli/command-line.js";
import { parseImportArgs, USAGE } from "./args.js";
import { adminToken, edgeCatalog } from "./edge-catalog.js";
import { edgeMembers } from "./edge-members.js";
import { InputFormatError } from "./read-movielens.js";
import { EXIT, exitCodeOf, importDirectory, summaryText } from "./run-import.js";

/** `node dist/tools/catalog-import/main.js DIR [options]`: imports a catalog through the edge (see args.ts). */
runCli({
  parse: parseImportArgs,
  usage: USAGE,
  async run(args) {
    const signal = interruptSignal(() => process.stderr.write("\ninterrupted: finishing the titles under way\n"));
    try {
      const token = () => ("token" in args.auth ? Promise.resolve(args.auth.token) : adminToken(args.edge, args.auth.email, args.auth.password));
      const ratings = args.password === undefined ? undefined : { password: args.password, emailDomain: args.emailDomain, members: edgeMembers(args.edge, token) };
      const summary = await importDirectory({ ...args, ratings }, edgeCatalog({ edge: args.edge, auth: args.auth }), { stderr: process.stderr, signal });
      process.stdout.write(summaryText(summary));
      return exitCodeOf(summary);
    } catch (err) {
      if (!(err instanceof InputFormatError)) throw err;
      process.stderr.write(`${err.message}\n`);
      return EXIT.usage;
    }
  },
});
