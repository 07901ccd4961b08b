/**
 * Play after `clan.now`: which members play on which day and what they gain, for the fakes'
 * `advance()`. Pure and deterministic: everything derives from the clan, a player id and a day
 * ("slot") index, never from the wall clock or `Math.random`.
 *
 * Slot `k` (k ≥ 0) is the day `(clan.now + k days, clan.now + (k + 1) days]`.
 */
import { TestkitError } from '../errors.js';
import { createRandom, hashString } from '../random.js';
import type { Random } from '../random.js';
import { SKILLS } from '../wom/enums.js';
import { SKILL_EXPERIENCE_CAP } from '../wom/experience.js';
import { typeEfficiencyFactor } from '../wom/stats.js';
import {
  CLUE_TIERS,
  PROFILE_SHAPES,
  eligibleBosses,
  playSkillsAndBosses,
  trainableSkills,
} from './generate.js';
import { historyColumnOf, historyRow } from './history.js';
import type { SyntheticClan, SyntheticMember } from './model.js';

/** One day, in milliseconds. */
export const DAY_MS = 86_400_000;
const MINUTE = 60_000;
/** An idle member whose values last changed this long before `clan.now` is on a break. */
const BREAK_AFTER_MS = 21 * DAY_MS;
/** History columns that are skills (every skill but `overall`). */
const SKILL_COLUMN_COUNT = SKILLS.length - 1;

/**
 * How far `advance()` moves a fake's time: the sum of the given fields (at least one, each a
 * finite number ≥ 0).
 *
 * @example `{ days: 1 }`, `{ hours: 36 }`, `{ days: 1, ms: 1 }`
 */
export interface AdvanceDuration {
  /** Days of 24 hours. */
  days?: number;
  /** Hours. */
  hours?: number;
  /** Milliseconds. */
  ms?: number;
}

/** The duration in milliseconds; throws `INVALID_OPTIONS` (option `duration`) when invalid. */
export function advanceDurationMs(duration: AdvanceDuration, caller: string): number {
  const fields = [
    [duration.days, DAY_MS],
    [duration.hours, 3_600_000],
    [duration.ms, 1],
  ] as const;
  let total = 0;
  let given = 0;
  for (const [value, unit] of fields) {
    if (value === undefined) continue;
    given++;
    if (!(Number.isFinite(value) && value >= 0)) given = -Infinity;
    total += value * unit;
  }
  total = Math.round(total);
  if (!(given > 0) || !Number.isSafeInteger(total)) {
    throw new TestkitError(
      'INVALID_OPTIONS',
      `${caller}: duration needs days, hours or ms, each a finite number >= 0`,
      { option: 'duration' },
    );
  }
  return total;
}

/** A random generator for one member (or user) and one slot, salted by purpose. */
export function slotRandom(clan: SyntheticClan, key: string, slot: number): Random {
  return createRandom(hashString(`advance:${clan.seed}:${clan.now}:${key}:${slot}`));
}

/** The slot an instant after `clan.now` falls in (see the module comment). */
export function slotOf(clan: SyntheticClan, time: number): number {
  return Math.ceil((time - Date.parse(clan.now)) / DAY_MS) - 1;
}

/**
 * Whether WOM keeps updating a member after `clan.now`: current members except `stale` (no longer
 * updated) and `untracked` (never updated) ones, and only members with at least one snapshot.
 */
export function isUpdatedAfterNow(member: SyntheticMember): boolean {
  return (
    member.membership.leftAt === null &&
    member.profile !== 'stale' &&
    member.profile !== 'untracked' &&
    member.history.times.length > 0
  );
}

/**
 * Whether an `idle` member is on a break at `clan.now` (values unchanged for 21 days or more); a
 * break lasts through every later advance. Always false for other profiles.
 */
export function isOnBreak(clan: SyntheticClan, member: SyntheticMember): boolean {
  if (member.profile !== 'idle') return false;
  const changed = member.player.lastChangedAt;
  return changed === null || Date.parse(clan.now) - Date.parse(changed) >= BREAK_AFTER_MS;
}

/**
 * Whether a member plays (gains anything) on slot `slot`: updated members by their profile's
 * play rate (`very-active` 85 %, `active` 60 %, `casual` 25 %, `idle` 55 % unless on a break);
 * `quit` members never do.
 */
export function playsOnSlot(clan: SyntheticClan, member: SyntheticMember, slot: number): boolean {
  if (!isUpdatedAfterNow(member) || member.profile === 'quit' || isOnBreak(clan, member))
    return false;
  const random = slotRandom(clan, `play:${member.player.id}`, slot);
  return random.chance(PROFILE_SHAPES[member.profile].play);
}

/**
 * When a member's update of slot `slot` happens: at the time of day of its last generated snapshot
 * (relative to `clan.now`), give or take 20 minutes, always inside the slot.
 */
export function updateTimeOfSlot(
  clan: SyntheticClan,
  member: SyntheticMember,
  slot: number,
): number {
  const now = Date.parse(clan.now);
  const times = member.history.times;
  const last = times[times.length - 1] ?? now;
  let phase = (((last - now) % DAY_MS) + DAY_MS) % DAY_MS;
  if (phase === 0) phase = DAY_MS;
  const random = slotRandom(clan, `time:${member.player.id}`, slot);
  const offset = Math.min(DAY_MS, Math.max(MINUTE, phase + random.int(-20 * MINUTE, 20 * MINUTE)));
  return now + slot * DAY_MS + offset;
}

/** The values of the last generated snapshot of a member (a copy). */
export function lastHistoryRow(member: SyntheticMember): Int32Array {
  const count = member.history.times.length;
  return count === 0
    ? Int32Array.from(member.history.initial)
    : historyRow(member.history, count - 1);
}

const column = (metric: Parameters<typeof historyColumnOf>[0]): number => historyColumnOf(metric);

/**
 * One day of play on top of `previous` (true values, not clamped), the way the generator plays a
 * day: one or two skills (never above 200M, only skills the build trains), sometimes kills of
 * bosses the member already kills (with combat XP), sometimes clue scrolls. Values never decrease.
 * Returns a new row, or null when nothing changed (the member did not play, or is maxed out).
 */
export function playDay(
  clan: SyntheticClan,
  member: SyntheticMember,
  slot: number,
  previous: Int32Array,
): Int32Array | null {
  if (!playsOnSlot(clan, member, slot)) return null;
  const random = slotRandom(clan, `gain:${member.player.id}`, slot);
  const { build, type } = member.player;
  const shape = PROFILE_SHAPES[member.profile];
  const factor = typeEfficiencyFactor(type);
  const current = Int32Array.from(previous);
  const gain = (target: number, amount: number): void => {
    if (amount <= 0 || target < 0) return;
    const cap = target < SKILL_COLUMN_COUNT ? SKILL_EXPERIENCE_CAP : 2_000_000_000;
    const before = current[target] ?? 0;
    const after = Math.min(cap, before + Math.floor(amount));
    if (after <= before) return;
    current[target] = after;
  };
  const trainable = trainableSkills(build);
  // Bosses the member already kills (the generator's favourites are not stored).
  const favourites = eligibleBosses(build).filter((bossColumn) => (previous[bossColumn] ?? 0) > 0);
  const hours = random.float(shape.minHours, shape.maxHours);
  const bossShare = favourites.length > 0 && random.chance(0.5) ? random.float(0, 0.6) : 0;
  playSkillsAndBosses(random, {
    build,
    factor,
    trainable,
    favourites,
    current,
    hours,
    bossShare,
    gain,
  });
  if (random.chance(0.15)) {
    const tier = random.weighted(CLUE_TIERS, [10, 20, 20, 25, 12, 3]);
    const count = random.int(1, 3);
    gain(column(tier), count);
    gain(column('clue_scrolls_all'), count);
  }
  return current.some((value, index) => value !== previous[index]) ? current : null;
}
