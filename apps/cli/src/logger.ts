/**
 * The orchestrator's logging: consola (one tag per stage) with two reporters. The terminal gets
 * one line per event, `✔ [migrate] Applied 0001_initial`, coloured on a terminal; `app.log` gets
 * one plain line per event with an ISO timestamp. Everything is redacted before either sees it.
 */
import { formatWithOptions, styleText } from 'node:util';
import {
  createConsola,
  type ConsolaInstance,
  type ConsolaReporter,
  type LogObject,
  type LogType,
} from 'consola';
import { formatLogLine, type LogFile } from './log-file.js';
import type { Redactor } from './redact.js';

/** A stream the terminal reporter writes to. */
export interface TerminalStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

/** Options of {@link createCliLogger}. */
export interface CliLoggerOptions {
  /** The highest consola level shown on the terminal (3 = info, 4 = debug). */
  terminalLevel: number;
  /** The highest consola level written to `app.log`. */
  fileLevel: number;
  /** `app.log`, or `undefined` to log to the terminal only. */
  logFile: LogFile | undefined;
  /** Removes secrets from every message. */
  redactor: Redactor;
  /**
   * Receives info, success and debug lines.
   * @defaultValue `process.stdout`
   */
  stdout?: TerminalStream;
  /**
   * Receives warnings, errors and verbose details.
   * @defaultValue `process.stderr`
   */
  stderr?: TerminalStream;
}

/** The CLI's logger: a consola instance plus helpers for forwarded stage output. */
export interface CliLogger {
  /** The root consola instance (no tag). */
  readonly consola: ConsolaInstance;
  /** A consola instance tagged with a stage or command name. */
  withTag(tag: string): ConsolaInstance;
  /** Logs a pre-formatted message under a tag with a consola log type (for forwarded stage logs). */
  forward(type: LogType, tag: string, message: string): void;
  /**
   * Records details (a crashed stage's stderr, a stack trace) in `app.log` under `label`, and on
   * the terminal only at debug level (`--verbose`).
   */
  detail(label: string, tag: string, text: string): void;
  /** Writes a line to `app.log` only. */
  fileOnly(label: string, tag: string, message: string): void;
  /** Registers a function called before anything is written to the terminal (clears a progress bar). */
  onBeforeTerminalWrite(callback: (() => void) | undefined): void;
  /** Removes secrets from text. */
  redact(text: string): string;
}

const icons: Partial<Record<string, string>> = {
  fatal: '✖',
  error: '✖',
  fail: '✖',
  warn: '⚠',
  info: 'ℹ',
  success: '✔',
  ready: '✔',
  start: '◐',
  box: '▣',
  debug: '⚙',
  trace: '→',
  verbose: '→',
};

type Colour = 'red' | 'yellow' | 'cyan' | 'green' | 'magenta' | 'gray';

const colours: Partial<Record<string, Colour>> = {
  fatal: 'red',
  error: 'red',
  fail: 'red',
  warn: 'yellow',
  info: 'cyan',
  success: 'green',
  ready: 'green',
  start: 'magenta',
  debug: 'gray',
  trace: 'gray',
  verbose: 'gray',
};

function useColour(stream: TerminalStream): boolean {
  return stream.isTTY === true && process.env.NO_COLOR === undefined;
}

function formatArguments(args: readonly unknown[]): string {
  return formatWithOptions({ colors: false, breakLength: Number.POSITIVE_INFINITY }, ...args);
}

/** Formats a terminal line: `✔ [tag] message`, with line breaks (CR, LF, U+0085, U+2028, U+2029) shown as ` ⏎ ` so one event stays one line. */
export function formatTerminalLine(
  type: string,
  tag: string,
  message: string,
  colour: boolean,
): string {
  const icon = icons[type] ?? '';
  const colourName = colours[type];
  const paint = (text: string): string =>
    colour && colourName !== undefined ? styleText(colourName, text) : text;
  const tagText = tag === '' ? '' : `${colour ? styleText('gray', `[${tag}]`) : `[${tag}]`} `;
  const body = message.replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, ' ⏎ ');
  return `${icon === '' ? '' : `${paint(icon)} `}${tagText}${type === 'error' || type === 'fatal' ? paint(body) : body}`;
}

/** Creates the CLI's logger. */
export function createCliLogger(options: CliLoggerOptions): CliLogger {
  const { redactor, logFile, terminalLevel, fileLevel } = options;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let beforeTerminalWrite: (() => void) | undefined;

  const terminalReporter: ConsolaReporter = {
    log(logObject: LogObject) {
      if (logObject.level > terminalLevel) return;
      beforeTerminalWrite?.();
      const stream = logObject.level < 2 ? stderr : stdout;
      const message = redactor.redact(formatArguments(logObject.args));
      stream.write(
        `${formatTerminalLine(logObject.type, logObject.tag, message, useColour(stream))}\n`,
      );
    },
  };

  const fileReporter: ConsolaReporter = {
    log(logObject: LogObject) {
      if (logFile === undefined || logObject.level > fileLevel) return;
      const message = redactor.redact(formatArguments(logObject.args));
      logFile.appendLine(formatLogLine(logObject.date, logObject.type, logObject.tag, message));
    },
  };

  const instance = createConsola({
    level: Math.max(terminalLevel, fileLevel),
    reporters: [terminalReporter, fileReporter],
    throttle: 0,
  });

  return {
    consola: instance,
    withTag: (tag) => instance.withTag(tag),
    forward(type, tag, message) {
      const target = tag === '' ? instance : instance.withTag(tag);
      target[type](message);
    },
    detail(label, tag, text) {
      const message = redactor.redact(text);
      logFile?.appendLine(formatLogLine(new Date(), label, tag, message));
      if (terminalLevel >= 4) {
        beforeTerminalWrite?.();
        stderr.write(`${tag === '' ? '' : `[${tag}] `}${message}\n`);
      }
    },
    fileOnly(label, tag, message) {
      logFile?.appendLine(formatLogLine(new Date(), label, tag, redactor.redact(message)));
    },
    onBeforeTerminalWrite(callback) {
      beforeTerminalWrite = callback;
    },
    redact: (text) => redactor.redact(text),
  };
}
