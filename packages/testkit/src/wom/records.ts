/** Per-metric value series and WOM-style records (best gain inside a period window). */
import { historyColumnOf } from '../clan/history.js';
import { getMinimumValue } from './enums.js';
import type { Metric, Period } from './enums.js';
import { PERIOD_DURATIONS } from './enums.js';
import { round } from './deltas.js';
import { derivedValue } from './stats.js';
import type { PlayerState } from './state.js';

/** The wire value (`-1` when unranked) of `metric` for every snapshot of a player, oldest first. */
export function metricSeries(player: PlayerState, metric: Metric): Float64Array {
  const count = player.times.length;
  const series = new Float64Array(count);
  const column = historyColumnOf(metric);
  const history = player.history;
  const historyCount = history.times.length;
  const extras = player.extraRows;
  // Snapshots from the first extra row on read the extra rows (rows added by `advance()`).
  const historyEnd = Math.min(count, extras[0]?.index ?? count);
  const fromExtras = (index: number, read: (row: Int32Array) => number): void => {
    let extra = 0;
    let value = -1;
    for (let position = index; position < count; position++) {
      while (extra < extras.length && (extras[extra]?.index ?? 0) <= position) {
        const row = extras[extra]?.values;
        if (row !== undefined) value = read(row);
        extra++;
      }
      series[position] = value;
    }
  };
  if (column >= 0) {
    const minimum = getMinimumValue(metric);
    const wire = (value: number): number => (value >= minimum && value > 0 ? value : -1);
    let value = history.initial[column] ?? 0;
    let change = 0;
    for (let index = 0; index < historyEnd; index++) {
      const row = Math.min(index, historyCount - 1);
      while (change < history.changeRows.length && (history.changeRows[change] ?? 0) <= row) {
        if (history.changeColumns[change] === column) value = history.changeValues[change] ?? value;
        change++;
      }
      series[index] = wire(value);
    }
    fromExtras(historyEnd, (row) => wire(row[column] ?? 0));
    return series;
  }
  const row = Int32Array.from(history.initial);
  let change = 0;
  let value = derivedValue(row, metric, player.type);
  for (let index = 0; index < historyEnd; index++) {
    const historyIndex = Math.min(index, historyCount - 1);
    let changed = false;
    while (
      change < history.changeRows.length &&
      (history.changeRows[change] ?? 0) <= historyIndex
    ) {
      row[history.changeColumns[change] ?? 0] = history.changeValues[change] ?? 0;
      change++;
      changed = true;
    }
    if (changed) value = derivedValue(row, metric, player.type);
    series[index] = value;
  }
  fromExtras(historyEnd, (values) => derivedValue(values, metric, player.type));
  return series;
}

/** WOM's value delta on two wire values of a metric. */
export function gainedBetween(metric: Metric, rawStart: number, rawEnd: number): number {
  if (metric === 'ehp' || metric === 'ehb') return Math.max(0, round(rawEnd - rawStart, 5));
  const start = rawStart !== 0 ? rawStart : -1;
  const end = rawEnd !== 0 ? rawEnd : -1;
  if (metric === 'overall' && start === -1) return 0;
  return round(Math.max(0, end - Math.max(0, getMinimumValue(metric) - 1, start)), 5);
}

/** A player's record: the best gain of `metric` over any `period`-long window, or null. */
export function findRecord(
  player: PlayerState,
  metric: Metric,
  period: Period,
  series: Float64Array = metricSeries(player, metric),
): { value: number; updatedAt: number } | null {
  const duration = PERIOD_DURATIONS[period];
  let best = 0;
  let bestAt = 0;
  let startIndex = 0;
  for (let endIndex = 0; endIndex < series.length; endIndex++) {
    const endTime = player.times[endIndex] ?? 0;
    while ((player.times[startIndex] ?? 0) < endTime - duration) startIndex++;
    if (startIndex >= endIndex) continue;
    const gained = gainedBetween(metric, series[startIndex] ?? -1, series[endIndex] ?? -1);
    if (gained > best) {
      best = gained;
      bestAt = endTime;
    }
  }
  if (best <= 0) return null;
  return { value: metric === 'ehp' || metric === 'ehb' ? round(best, 4) : best, updatedAt: bestAt };
}
