import { lowerBound } from './search.js';
import type { PlayerState } from './state.js';

/** A resolved time window in epoch milliseconds (inclusive). */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** Index of the first snapshot at or after `time` (may equal the count). */
export function firstIndexAtOrAfter(player: PlayerState, time: number): number {
  return lowerBound(player.times, time);
}

/** Index of the last snapshot at or before `time` (-1 when none). */
export function lastIndexAtOrBefore(player: PlayerState, time: number): number {
  return lowerBound(player.times, Math.floor(time) + 1) - 1;
}

/** Snapshot indexes inside a window, as `[from, to]` inclusive, or null when none. */
export function indexesWithin(player: PlayerState, window: TimeWindow): [number, number] | null {
  const from = firstIndexAtOrAfter(player, window.start);
  const to = lastIndexAtOrBefore(player, window.end);
  return from <= to ? [from, to] : null;
}
