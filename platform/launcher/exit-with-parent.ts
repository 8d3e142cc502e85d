/**
 * Loaded with `--import` into every process the launcher starts.
 *
 * The children run in their own process groups (so a terminal's Ctrl-C reaches only the launcher,
 * which stops them in order), which also means nothing stops them if the launcher dies without
 * doing so (SIGKILL, a crash): the launcher holds an IPC channel to each, and when it closes the
 * child stops itself the way the launcher would have asked, with SIGTERM.
 *
 * A stop asked for while the process is still starting, before its own graceful-shutdown handler
 * is installed, is an exit 0 rather than death by signal: there is nothing to drain yet.
 */
if (process.channel) {
  // The channel only watches the parent: it must not keep the process alive by itself.
  process.channel.unref();
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
}
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (process.listenerCount(signal) === 1) process.exit(0);
  });
}
// Tells the launcher a SIGTERM is handled from now on (before this, it would kill by signal).
process.send?.("started");
export {};
