/**
 * Points in time given on the command line (`--as-of`, `--since`). A pure module: the orchestrator
 * validates them before starting any stage, and the stages parse them again.
 */
import { UsageError } from './errors.js';

const DAY_MS = 86_400_000;

/**
 * Parses a point in time given on the command line: an ISO date (`2026-01-31`, midnight UTC), an
 * ISO date and time with an offset or `Z`, or a number of days back from `now` (`90d`).
 * @throws {@link UsageError} naming the option and the accepted forms.
 */
export function parseInstant(option: string, text: string, now: number): number {
  const trimmed = text.trim();
  const relative = /^(\d{1,5})d$/.exec(trimmed);
  if (relative !== null) return now - Number(relative[1]) * DAY_MS;
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const isDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(
    trimmed,
  );
  const parsed = isDate || isDateTime ? Date.parse(isDate ? `${trimmed}T00:00:00Z` : trimmed) : NaN;
  if (Number.isNaN(parsed)) {
    throw new UsageError(
      `${option} "${text}" is not a date: use an ISO date (2026-01-31), an ISO time with its offset (2026-01-31T18:00:00+01:00 or …Z), or a number of days back (90d)`,
    );
  }
  return parsed;
}
