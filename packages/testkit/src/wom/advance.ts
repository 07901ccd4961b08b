/** `FakeWomServer.advance()`: members keep playing after the clan's `now`. */
import { achievementsBetween } from '../clan/generate.js';
import type { SyntheticClan } from '../clan/model.js';
import { isUpdatedAfterNow, playDay, slotOf, updateTimeOfSlot } from '../clan/progress.js';
import { rowAt } from './state.js';
import type { WomState } from './state.js';

/** What `FakeWomServer.advance()` did. */
export interface WomAdvanceResult {
  /** The start of the simulated interval (exclusive): `clan.now`, or the previous advance's `to`. */
  readonly from: Date;
  /** The end of the simulated interval (inclusive): `from` plus the duration. */
  readonly to: Date;
  /** Snapshots added: one per updated member and daily update inside the interval. */
  readonly snapshots: number;
  /** Members that got at least one snapshot. */
  readonly playersUpdated: number;
  /** Members whose values went up in at least one new snapshot. */
  readonly playersProgressed: number;
  /** Achievements reached by the new snapshots. */
  readonly achievements: number;
}

/**
 * Adds the snapshots of `(from, to]` (epoch milliseconds) to the state: for every current member
 * WOM keeps updating, one snapshot per daily update slot inside the interval, with that day's play.
 */
export function advanceWomState(
  state: WomState,
  clan: SyntheticClan,
  from: number,
  to: number,
): WomAdvanceResult {
  const current = new Set(
    state.groups.get(clan.group.id)?.memberships.map((membership) => membership.playerId) ?? [],
  );
  let snapshots = 0;
  let playersUpdated = 0;
  let playersProgressed = 0;
  let achievements = 0;
  const firstSlot = Math.max(0, slotOf(clan, from + 1));
  const lastSlot = slotOf(clan, to);
  for (const member of clan.members) {
    if (!isUpdatedAfterNow(member) || !current.has(member.player.id)) continue;
    const player = state.players.get(member.player.id);
    if (player === undefined || player.times.length === 0) continue;
    let updated = false;
    let progressed = false;
    for (let slot = firstSlot; slot <= lastSlot; slot++) {
      const planned = updateTimeOfSlot(clan, member, slot);
      if (planned <= from || planned > to) continue;
      const previousIndex = player.times.length - 1;
      const previousTime = player.times[previousIndex] ?? planned;
      // After any snapshot added meanwhile by an update (`POST /players/:username`).
      const time = planned > previousTime ? planned : previousTime + 1;
      if (time > to) continue;
      const before = rowAt(player, previousIndex);
      const after = playDay(clan, member, slot, before);
      player.times.push(time);
      player.updatedAt = time;
      player.latest = null;
      snapshots++;
      updated = true;
      if (after !== null) {
        player.extraRows.push({ index: player.times.length - 1, values: after });
        player.lastChangedAt = time;
        progressed = true;
        const reached = achievementsBetween(
          player.id,
          player.type,
          before,
          after,
          time,
          previousTime,
        );
        state.achievements.push(...reached);
        achievements += reached.length;
      }
    }
    if (updated) playersUpdated++;
    if (progressed) playersProgressed++;
  }
  return {
    from: new Date(from),
    to: new Date(to),
    snapshots,
    playersUpdated,
    playersProgressed,
    achievements,
  };
}
