import { readdir, readFile } from "node:fs/promises";

/** Processes whose command line mentions `needle`, read from /proc (nothing is signalled or matched by name). */
export async function processesMentioning(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(needle)) pids.push(Number(entry));
  }
  return pids;
}
