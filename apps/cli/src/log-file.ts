import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Options of {@link LogFile}. */
export interface LogFileOptions {
  /**
   * Rotate before a write would make the file larger than this many bytes.
   * @defaultValue `5_242_880` (5 MiB)
   */
  maxBytes: number;
  /**
   * How many rotated files to keep (`app.log.1` is the newest).
   * @defaultValue `3`
   */
  keep: number;
}

/** The defaults of {@link LogFileOptions}. */
export const DefaultLogFileOptions = {
  maxBytes: 5 * 1024 * 1024,
  keep: 3,
} as const satisfies Required<LogFileOptions>;

/**
 * An append-only plain-text log file rotated by size: `app.log` → `app.log.1` → … →
 * `app.log.<keep>`, the oldest dropped. Writes are synchronous so nothing is lost when the
 * process exits right after logging.
 */
export class LogFile {
  /** The path of the current log file. */
  readonly path: string;
  readonly #options: LogFileOptions;
  #size: number | undefined;
  #failed = false;

  constructor(path: string, options: Partial<LogFileOptions> = {}) {
    this.path = path;
    this.#options = { ...DefaultLogFileOptions, ...options };
  }

  /**
   * Appends one line (a newline is added). Errors while writing are swallowed after the first:
   * a read-only disk must not stop a run, and the first failure is reported by the return value.
   * @returns `false` when the line could not be written.
   */
  appendLine(line: string): boolean {
    if (this.#failed) return false;
    const data = `${line}\n`;
    const bytes = Buffer.byteLength(data);
    try {
      if (this.#size === undefined) {
        mkdirSync(dirname(this.path), { recursive: true });
        this.#size = existsSync(this.path) ? statSync(this.path).size : 0;
      }
      if (this.#size > 0 && this.#size + bytes > this.#options.maxBytes) {
        this.rotate();
      }
      appendFileSync(this.path, data);
      this.#size += bytes;
      return true;
    } catch {
      this.#failed = true;
      return false;
    }
  }

  /** Shifts `app.log` to `app.log.1`, `app.log.1` to `app.log.2`, …, dropping the oldest. */
  rotate(): void {
    const { keep } = this.#options;
    rmSync(`${this.path}.${keep}`, { force: true });
    for (let index = keep - 1; index >= 1; index -= 1) {
      const from = `${this.path}.${index}`;
      if (existsSync(from)) renameSync(from, `${this.path}.${index + 1}`);
    }
    if (keep >= 1 && existsSync(this.path)) {
      renameSync(this.path, `${this.path}.1`);
    } else {
      rmSync(this.path, { force: true });
    }
    this.#size = 0;
  }
}

/**
 * Makes a message safe for a one-line-per-event log: CR and LF become the two characters `\r`,
 * `\n`, and the other characters editors and log tools break lines at (U+0085, U+2028, U+2029,
 * which a player or channel name can hold) become `\u0085`, `\u2028`, `\u2029`.
 */
export function escapeLineBreaks(message: string): string {
  return message
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n')
    .replace(
      /[\u0085\u2028\u2029]/g,
      (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}

/**
 * Formats one `app.log` line: `<ISO timestamp> <LEVEL> [tag] message`, with line breaks escaped.
 * @example `2026-11-24T18:40:00.123Z INFO  [migrate] Applied 3 migrations`
 */
export function formatLogLine(date: Date, level: string, tag: string, message: string): string {
  const tagPart = tag === '' ? '' : `[${tag}] `;
  return `${date.toISOString()} ${level.toUpperCase().padEnd(5)} ${tagPart}${escapeLineBreaks(message)}`;
}
