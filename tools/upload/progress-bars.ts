import { MultiBar, type SingleBar } from "cli-progress";
import { BAR_FORMAT, type BarLine } from "./progress-format.js";

/**
 * The terminal side: one cli-progress bar per line key, created on first sight (a job's ladder is
 * known only once the source is probed) and updated in place. Without a TTY (CI logs, pipes),
 * cli-progress prints the bars every few seconds instead of redrawing them.
 */
export class ProgressBars {
  private readonly multibar: MultiBar;
  private readonly bars = new Map<string, SingleBar>();
  private drawing = false;
  /** Log lines handed to cli-progress that it has not drawn yet. */
  private undrawnLogs = 0;

  constructor(private readonly stream: NodeJS.WritableStream = process.stderr) {
    this.multibar = new MultiBar({
      format: BAR_FORMAT,
      stream,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 5_000,
      barCompleteChar: "█",
      barIncompleteChar: "░",
    });
    this.multibar.on("redraw-post", () => (this.undrawnLogs = 0));
  }

  show(lines: BarLine[]): void {
    this.drawing = true;
    for (const line of lines) {
      const bar = this.bars.get(line.key);
      if (bar === undefined) this.bars.set(line.key, this.multibar.create(100, line.value, line.payload));
      else bar.update(line.value, line.payload);
    }
  }

  /** A line above the bars (printing past them would garble the redraw). */
  log(text: string): void {
    if (this.drawing) {
      this.multibar.log(`${text}\n`);
      this.undrawnLogs++;
    } else this.stream.write(`${text}\n`);
  }

  /** Draws the bars a last time, with any pending log lines, and leaves them on screen. Idempotent. */
  stop(): void {
    if (!this.drawing) return;
    this.drawing = false;
    if (this.undrawnLogs > 0) this.multibar.update(); // cli-progress's stop() drops log lines not yet drawn
    this.multibar.stop();
  }
}
