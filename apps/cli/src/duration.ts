/**
 * Durations written the way people write them: `90s`, `30m`, `6h`, `1d`, `1h30m` (units d, h, m
 * and s, largest first, whole numbers). Used by `run --every` and `CLANSTATS_STAGE_TIMEOUT`.
 */

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
type Unit = keyof typeof UNIT_MS;
const UNITS = Object.keys(UNIT_MS) as Unit[];
const PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i;

/**
 * Reads a duration such as `6h`, `30m`, `90s` or `1h30m`, in milliseconds; `undefined` when the
 * text is not one. Surrounding spaces and upper-case units are accepted.
 * @param seconds - Whether the `s` unit is accepted (`--every` counts in minutes).
 */
export function parseDuration(text: string, seconds = true): number | undefined {
  const match = PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const parts: Array<string | undefined> = match.slice(1);
  if (parts.every((part) => part === undefined)) return undefined;
  if (!seconds && parts[3] !== undefined) return undefined;
  const ms = UNITS.reduce((sum, unit, index) => sum + Number(parts[index] ?? 0) * UNIT_MS[unit], 0);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * A duration in the form {@link parseDuration} reads, to the second: `6h`, `1h30m`, `90s` →
 * `1m30s`, `0s`. Under a second (only tests use such limits): `400ms`.
 */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 1000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1000) * 1000;
  let text = '';
  for (const unit of UNITS) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    rest -= count * UNIT_MS[unit];
    if (count > 0) text += `${count}${unit}`;
  }
  return text === '' ? '0s' : text;
}
