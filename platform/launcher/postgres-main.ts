import { startEmbeddedPostgres, type RunningPostgres } from "../storage/embedded-postgres.js";

/**
 * The launcher's embedded Postgres, in a process of its own started like the services (its own
 * process group, tied to the launcher): a terminal's Ctrl-C then cannot shut the database down
 * under services that are still draining, the launcher stops it last, and it still stops if the
 * launcher is killed. Tells the launcher its URL over IPC once it accepts connections, and exits
 * only once the server has (Postgres waits for every backend before it does).
 */
const dataDir = process.env.LAUNCHER_POSTGRES_DIR!;
const port = Number(process.env.LAUNCHER_POSTGRES_PORT);

// Installed before startEmbeddedPostgres: it removes the signal handlers that appear while it
// loads the package (the package's own, which would exit at once), and a handler added then
// would go with them, leaving the server running after this process exits.
let starting: Promise<RunningPostgres> | undefined;
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  starting?.then(
    (pg) => pg.stop().then(() => process.exit(0)),
    () => process.exit(1),
  );
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

starting = startEmbeddedPostgres({ dataDir, port, database: "cinemesh" });
starting.then(
  (pg) => process.send?.({ url: pg.url }),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
