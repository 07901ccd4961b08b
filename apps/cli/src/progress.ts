/**
 * Renders stage progress events: a redrawn bar on an interactive terminal, and plain lines at
 * every tenth of the way otherwise (logs, CI, pipes), so `app.log` and CI output stay readable.
 */
import type { StageProgressEvent } from './protocol.js';

/** Where and how progress is shown. */
export interface ProgressRendererOptions {
  /** Draw a bar (an interactive terminal) or print plain lines. */
  interactive: boolean;
  /** Receives the bar (only used when `interactive`). */
  stream: { write(text: string): unknown; columns?: number | undefined };
  /** Logs a plain line under a tag (the line also reaches `app.log`). */
  log: (tag: string, message: string) => void;
  /**
   * How many plain lines a full run of one counter prints at most (one per step).
   * @defaultValue `10`
   */
  steps?: number;
}

const BAR_WIDTH = 24;

interface CounterState {
  lastStep: number;
  finished: boolean;
}

function percent(event: StageProgressEvent): number {
  if (event.total <= 0) return 100;
  return Math.min(100, Math.floor((event.current / event.total) * 100));
}

/** Draws progress bars or prints periodic lines; see the module comment. */
export class ProgressRenderer {
  readonly #options: ProgressRendererOptions;
  readonly #counters = new Map<string, CounterState>();
  #barVisible = false;

  constructor(options: ProgressRendererOptions) {
    this.#options = options;
  }

  /** Handles one progress event from a stage. */
  update(tag: string, event: StageProgressEvent): void {
    const key = `${tag}\u0000${event.label}`;
    let state = this.#counters.get(key);
    if (state === undefined || (state.finished && event.current < event.total)) {
      state = { lastStep: -1, finished: false };
      this.#counters.set(key, state);
    }
    if (state.finished) return;
    const done = event.current >= event.total;
    const summary = `${event.label}: ${event.current}/${event.total} (${percent(event)}%)`;
    if (done) {
      state.finished = true;
      this.clear();
      this.#options.log(tag, `${summary} done`);
      return;
    }
    if (this.#options.interactive) {
      this.#drawBar(tag, event);
      return;
    }
    const steps = this.#options.steps ?? 10;
    const step = event.total <= 0 ? steps : Math.floor((event.current / event.total) * steps);
    if (step > state.lastStep) {
      state.lastStep = step;
      this.#options.log(tag, summary);
    }
  }

  /** Erases the bar (before other output, and when a stage ends). */
  clear(): void {
    if (!this.#barVisible) return;
    this.#options.stream.write('\r\u001B[2K');
    this.#barVisible = false;
  }

  #drawBar(tag: string, event: StageProgressEvent): void {
    const filled = Math.round((percent(event) / 100) * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    let line = `[${tag}] ${event.label} ${bar} ${percent(event)}% ${event.current}/${event.total}`;
    const columns = this.#options.stream.columns;
    if (columns !== undefined && columns > 10 && line.length >= columns) {
      line = line.slice(0, columns - 1);
    }
    this.#options.stream.write(`\r\u001B[2K${line}`);
    this.#barVisible = true;
  }
}
