/**
 * One engine process as plain data: what to fetch, what to write, what to run and how to tell it is
 * up. Built by pure functions (`cassandra.ts`, `elasticsearch.ts`), run by `run-engine.ts`.
 */
export interface EngineSpec {
  /** Short name for messages ("cassandra"). */
  name: string;
  command: string;
  args: string[];
  /** Added to the inherited environment. */
  env: Record<string, string>;
  cwd: string;
  /** Written before the start (configuration). */
  files: { path: string; content: string }[];
  /** Created before the start (data, logs). */
  directories: string[];
  /** Directories copied before the start (a configuration directory the engine writes into). */
  copies: { from: string; to: string }[];
  /** Run as this user (an engine that refuses to run as root); it then owns everything under `cwd`. */
  runAs?: { uid: number; gid: number };
  /** Where the engine's own output goes; its last lines explain a failed start. */
  logFile: string;
  ready: ReadyCheck;
  /** The environment a client needs to reach the engine once it is up. */
  exports: Record<string, string>;
}

export type ReadyCheck =
  /** Up once the port accepts a connection (Cassandra opens its native port last). */
  | { kind: "tcp"; host: string; port: number }
  /** Up once GET `url` answers 200 with a JSON body `accept` takes. */
  | { kind: "http"; url: string; accept: (body: unknown) => boolean };

/** A command that fetches an engine's files into `into` (run once; its cache is reused after). */
export interface FetchSpec {
  command: string;
  args: string[];
  into: string;
}
