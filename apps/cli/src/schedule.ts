/**
 * `clanstats run --every <interval>`: the interval syntax and the next start time. The loop itself
 * lives in `commands.ts`; these parts are pure so they can be tested without waiting hours.
 */
import { UsageError } from './errors.js';

/** The shortest interval `--every` accepts: Wise Old Man and Discord deserve some rest. */
export const MIN_INTERVAL_MS = 10 * 60 * 1000;

/** The longest: timers in Node.js stop at about 24.8 days, and a month-old report helps nobody. */
export const MAX_INTERVAL_MS = 7 * 24 * 60 * 60 * 1000;

const UNIT_MS: Readonly<Record<string, number>> = {
  d: 24 * 60 * 60 * 1000,
  h: 60 * 60 * 1000,
  m: 60 * 1000,
};

/**
 * Parses an interval such as `6h`, `30m`, `1d` or `1h30m` (units d, h, m, largest first).
 * @throws {@link UsageError} naming `--every` and the accepted forms.
 */
export function parseInterval(text: string): number {
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/i.exec(text.trim());
  const parts: Array<string | undefined> = match?.slice(1) ?? [];
  if (match === null || parts.every((part) => part === undefined)) {
    throw new UsageError(
      `--every must be an interval such as 6h, 30m, 1d or 1h30m, got '${text}'.`,
      'run',
    );
  }
  const [days = '0', hours = '0', minutes = '0'] = parts;
  const ms =
    Number(days) * (UNIT_MS.d ?? 0) +
    Number(hours) * (UNIT_MS.h ?? 0) +
    Number(minutes) * (UNIT_MS.m ?? 0);
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    throw new UsageError(`--every must be from 10m to 7d, got '${text}'.`, 'run');
  }
  return ms;
}

/** An interval in words: `6h`, `1h30m`, `1d`. */
export function formatInterval(ms: number): string {
  let rest = Math.round(ms / 60_000);
  const days = Math.floor(rest / 1440);
  rest -= days * 1440;
  const hours = Math.floor(rest / 60);
  const minutes = rest - hours * 60;
  return `${days > 0 ? `${days}d` : ''}${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}`;
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
