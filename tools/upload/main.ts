import { parseUploadArgs, USAGE, UsageError } from "./args.js";
import { EXIT, runUpload } from "./run.js";

/**
 * `node dist/tools/upload/main.js --content <id> [--season N --episode N] <file>`: uploads a video
 * source through the edge and follows its encoding (see args.ts for every option).
 */
async function main(): Promise<number> {
  let args;
  try {
    args = parseUploadArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (args === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return runUpload(args, { stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.failed;
  },
);
