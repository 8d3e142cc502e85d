import { pino, type Logger } from "pino";

/** The logging surface the storage and event adapters need; a pino logger satisfies it. */
export type Log = Pick<Logger, "debug" | "info" | "warn" | "error">;

/** A logger that drops everything, for callers (and tests) that pass none. */
export const silentLog: Log = pino({ level: "silent" });
