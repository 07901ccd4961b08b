/**
 * `clanstats run --every <interval>`: the interval syntax and the next start time. The loop itself
 * lives in `commands.ts`; these parts are pure so they can be tested without waiting hours.
 */
import { formatDuration, parseDuration } from './duration.js';
import { UsageError } from './errors.js';

/** The shortest interval `--every` accepts: Wise Old Man and Discord deserve some rest. */
export const MIN_INTERVAL_MS = 10 * 60 * 1000;

/** The longest: timers in Node.js stop at about 24.8 days, and a month-old report helps nobody. */
export const MAX_INTERVAL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Parses an interval such as `6h`, `30m`, `1d` or `1h30m` (units d, h, m, largest first).
 * @throws {@link UsageError} naming `--every` and the accepted forms.
 */
export function parseInterval(text: string): number {
  const ms = parseDuration(text, false);
  if (ms === undefined) {
    throw new UsageError(
      `--every must be an interval such as 6h, 30m, 1d or 1h30m, got '${text}'.`,
      'run',
    );
  }
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    throw new UsageError(`--every must be from 10m to 7d, got '${text}'.`, 'run');
  }
  return ms;
}

/** An interval in words, to the minute: `6h`, `1h30m`, `1d`. */
export function formatInterval(ms: number): string {
  return formatDuration(Math.round(ms / 60_000) * 60_000);
}

/**
 * When the next run starts: one interval after the previous run started, so runs keep their
 * rhythm (06:00, 12:00, …) however long each takes. Starts missed because a run took longer than
 * the interval (or the computer slept) are skipped, not made up: the next start is the first one
 * still in the future.
 */
export function nextRunAt(previousStart: number, now: number, intervalMs: number): number {
  let next = previousStart + intervalMs;
  if (next <= now) next += Math.ceil((now - next + 1) / intervalMs) * intervalMs;
  return next;
}
