import { ACTIVITIES, BOSSES, SKILLS } from '../wom/enums.js';
import type { Activity, Boss, Metric, Skill } from '../wom/enums.js';
import type { SnapshotHistory } from './model.js';

/** A metric stored in a {@link SnapshotHistory}: every skill but `overall`, every boss and activity. */
export type HistoryColumn = Exclude<Skill, 'overall'> | Boss | Activity;

/** The 110 history columns in storage order: 24 skills, 71 bosses, 15 activities. */
export const HISTORY_COLUMNS: readonly HistoryColumn[] = [
  ...SKILLS.filter((skill): skill is Exclude<Skill, 'overall'> => skill !== 'overall'),
  ...BOSSES,
  ...ACTIVITIES,
];

const columnIndex = new Map<string, number>(
  HISTORY_COLUMNS.map((metric, index) => [metric, index]),
);

/** The column of a metric in a history row, or -1 for `overall`, `ehp` and `ehb` (derived). */
export function historyColumnOf(metric: Metric): number {
  return columnIndex.get(metric) ?? -1;
}

/** The number of snapshots in a history. */
export function historyLength(history: SnapshotHistory): number {
  return history.times.length;
}

/** The index of the last change that applies at `row` plus one (changes are sorted by row). */
function changesUpTo(history: SnapshotHistory, row: number): number {
  let low = 0;
  let high = history.changeRows.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((history.changeRows[middle] ?? 0) <= row) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The 110 values of snapshot `row` (0-based), written into `target` when given. */
export function historyRow(
  history: SnapshotHistory,
  row: number,
  target: Int32Array = new Int32Array(HISTORY_COLUMNS.length),
): Int32Array {
  if (row < 0 || row >= history.times.length) {
    throw new RangeError(`Snapshot row ${row} is out of range 0..${history.times.length - 1}`);
  }
  target.set(history.initial);
  const end = changesUpTo(history, row);
  for (let index = 0; index < end; index++) {
    target[history.changeColumns[index] ?? 0] = history.changeValues[index] ?? 0;
  }
  return target;
}

/** One true (unclamped) value of snapshot `row`, for a column from {@link historyColumnOf}. */
export function historyValue(history: SnapshotHistory, row: number, column: number): number {
  let value = history.initial[column] ?? 0;
  const end = changesUpTo(history, row);
  for (let index = 0; index < end; index++) {
    if (history.changeColumns[index] === column) value = history.changeValues[index] ?? value;
  }
  return value;
}

/** The first row whose time is `>= time`, or the history length when there is none. */
export function firstRowAtOrAfter(history: SnapshotHistory, time: number): number {
  return lowerBound(history.times, time);
}

/** The last row whose time is `<= time`, or -1 when there is none. */
export function lastRowAtOrBefore(history: SnapshotHistory, time: number): number {
  return lowerBound(history.times, time + 1) - 1;
}

function lowerBound(times: Float64Array, time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((times[middle] ?? 0) < time) low = middle + 1;
    else high = middle;
  }
  return low;
}
