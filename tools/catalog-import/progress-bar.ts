import { MultiBar, type SingleBar } from "cli-progress";

export interface ImportCounts {
  created: number;
  existing: number;
  failed: number;
}

/**
 * One bar on stderr for the titles to create, with the running counts; lines logged through it
 * appear above the bar instead of garbling it. Without a TTY (CI logs, pipes) cli-progress prints
 * the bar every few seconds instead of redrawing it.
 */
export class ImportProgress {
  private readonly multibar: MultiBar;
  private readonly bar: SingleBar;
  private stopped = false;

  constructor(total: number, stream: NodeJS.WritableStream) {
    this.multibar = new MultiBar({
      format: "importing [{bar}] {value}/{total} | created {created} | already there {existing} | failed {failed} | {eta_formatted} left",
      stream,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 5_000,
      etaBuffer: 200,
      barCompleteChar: "█",
      barIncompleteChar: "░",
    });
    this.bar = this.multibar.create(total, 0, { created: 0, existing: 0, failed: 0 });
  }

  update(done: number, counts: ImportCounts): void {
    this.bar.update(done, { ...counts });
  }

  log(text: string): void {
    this.multibar.log(`${text}\n`);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.multibar.update(); // draws log lines still pending: stop() alone drops them
    this.multibar.stop();
  }
}
