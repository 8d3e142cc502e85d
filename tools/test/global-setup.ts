import { execFile } from "node:child_process";
import { promisify } from "node:util";

/**
 * Builds dist/ once before any test file runs: the end-to-end tests start the compiled launcher
 * and services, and two test files building at the same time would overwrite each other's output
 * under the processes reading it.
 */
export default async function setup(): Promise<void> {
  await promisify(execFile)("npm", ["run", "build", "--silent"]);
}
