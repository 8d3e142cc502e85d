import { readFileSync } from "node:fs";

/** Linux's USER_HZ: the unit of the CPU times in /proc/<pid>/stat (100 on every mainstream kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) used so far by this process and by every child it has waited for,
 * the ffmpeg processes included (cutime/cstime of /proc/self/stat). On a shared machine this
 * varies far less than wall-clock time.
 */
export function cpuSecondsWithChildren(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  // Fields after the command name (which may hold spaces), starting at field 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  return (utime! + stime! + cutime! + cstime!) / CLOCK_TICKS_PER_SECOND;
}
