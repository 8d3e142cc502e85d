import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs on stdout, one object a line, with the process's service name on every line. */
export function createLogger(service: string, level: string = "info"): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
