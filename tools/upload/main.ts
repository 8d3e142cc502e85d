import { interruptSignal, runCli } from "../cli/command-line.js";
import { parseUploadArgs, USAGE } from "./args.js";
import { runUpload } from "./run.js";

/**
 * `node dist/tools/upload/main.js --content <id> [--season N --episode N] <file>`: uploads a video
 * source through the edge and follows its encoding (see args.ts for every option).
 */
runCli({
  parse: parseUploadArgs,
  usage: USAGE,
  run: (args) => runUpload(args, { stdout: process.stdout, stderr: process.stderr, signal: interruptSignal() }),
});
