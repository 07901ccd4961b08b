import { describe, expect, it } from 'vitest';
import {
  GROUP_ROLES,
  HISTORY_COLUMNS,
  MAX_TOTAL_LEVEL,
  SKILLS,
  computeSnapshotStats,
  createSyntheticClan,
  fingerprintSyntheticClan,
  getLevel,
  getMinimumValue,
  historyRow,
  historyValue,
  isTestkitError,
  snapshotStatsOf,
  standardizeUsername,
} from '../index.js';
import type { SyntheticClan } from '../index.js';

const clan = createSyntheticClan();
const big = createSyntheticClan({ seed: 3, members: 500 });

const DISCORD_EPOCH = 1_420_070_400_000n;

describe('createSyntheticClan: determinism', () => {
  it('gives an identical clan for the same seed and options', () => {
    const again = createSyntheticClan();
    expect(fingerprintSyntheticClan(again)).toBe(fingerprintSyntheticClan(clan));
    expect(JSON.stringify(again.members.map((member) => member.player))).toBe(
      JSON.stringify(clan.members.map((member) => member.player)),
    );
    const options = { seed: 3, members: 150, days: 200 };
    expect(fingerprintSyntheticClan(createSyntheticClan(options))).toBe(
      fingerprintSyntheticClan(createSyntheticClan(options)),
    );
  });

  it('gives the same clan as the published generator (a change to it is a major release)', () => {
    // Recorded with the generator as published; a refactor of the generator must keep them.
    expect(fingerprintSyntheticClan(clan)).toBe(
      'a8d0d8cb173da331d1b0c891a8eee048a2f94839333e742d127f27fb9f22befc',
    );
    expect(fingerprintSyntheticClan(big)).toBe(
      'df56630f1a70e88999a20aa9fec7bd4c5d6ef7443ddbc238b7b3f8358709ffe7',
    );
  });

  it('gives a different clan for a different seed', () => {
    const other = createSyntheticClan({ seed: 2 });
    expect(fingerprintSyntheticClan(other)).not.toBe(fingerprintSyntheticClan(clan));
    expect(other.members[0]?.player.username).not.toBe(clan.members[0]?.player.username);
  });

  it('never reads the wall clock: defaults to 2026-11-01 and honours now/days', () => {
    expect(clan.now).toBe('2026-11-01T00:00:00.000Z');
    expect(clan.days).toBe(365);
    const short = createSyntheticClan({ now: '2025-01-01T00:00:00.000Z', days: 30, members: 12 });
    expect(short.startedAt).toBe('2024-12-02T00:00:00.000Z');
    for (const member of short.members) {
      for (const time of member.history.times) {
        expect(time).toBeGreaterThanOrEqual(Date.parse(short.startedAt));
        expect(time).toBeLessThanOrEqual(Date.parse(short.now));
      }
    }
  });

  it('honours group id and name and validates options', () => {
    const custom = createSyntheticClan({ groupId: 1234, groupName: 'Test Clan', members: 5 });
    expect(custom.group.id).toBe(1234);
    expect(custom.group.name).toBe('Test Clan');
    expect(custom.group.memberCount).toBe(5);
    expect(custom.members.filter((member) => member.membership.leftAt === null)).toHaveLength(5);
    for (const bad of [
      { members: -1 },
      { days: 0 },
      { members: 1.5 },
      { now: 'never' },
      { groupName: '' },
    ]) {
      let caught: unknown;
      try {
        createSyntheticClan(bad);
      } catch (error) {
        caught = error;
      }
      expect(isTestkitError(caught)).toBe(true);
      expect((caught as { code: string }).code).toBe('INVALID_OPTIONS');
    }
  });

  it('supports an empty clan', () => {
    const empty = createSyntheticClan({ members: 0 });
    expect(empty.members).toHaveLength(0);
    expect(empty.group.memberCount).toBe(0);
  });
});

function everyMember(target: SyntheticClan): SyntheticClan['members'] {
  return target.members;
}

describe('createSyntheticClan: invariants', () => {
  it('keeps skills, levels and totals consistent in every latest snapshot', () => {
    for (const member of everyMember(big)) {
      const count = member.history.times.length;
      if (count === 0) continue;
      const row = historyRow(member.history, count - 1);
      const stats = computeSnapshotStats(row, member.player.type);
      expect(snapshotStatsOf(member)?.values).toEqual(stats.values);
      let overall = 0;
      let totalLevel = 0;
      // One expect per member, not five per skill: 60,000 expects cost a second.
      const problems: string[] = [];
      for (let index = 1; index < SKILLS.length; index++) {
        const experience = row[index - 1] ?? 0;
        const level = experience > 0 ? getLevel(experience) : 1;
        if (!(experience >= 0 && experience <= 200_000_000))
          problems.push(`${SKILLS[index]} experience ${experience}`);
        if (!Object.is(stats.levels[index], level))
          problems.push(`${SKILLS[index]} level ${stats.levels[index]}, expected ${level}`);
        if (!(level >= 1 && level <= 99)) problems.push(`${SKILLS[index]} level ${level}`);
        overall += experience;
        totalLevel += SKILLS[index] === 'hitpoints' ? Math.max(10, level) : level;
      }
      expect(problems, member.player.username).toEqual([]);
      expect(stats.values[0]).toBe(overall);
      expect(stats.exp).toBe(overall);
      expect(stats.totalLevel).toBe(totalLevel);
      expect(totalLevel).toBeLessThanOrEqual(MAX_TOTAL_LEVEL);
      expect(getLevel(row[HISTORY_COLUMNS.indexOf('hitpoints')] ?? 0)).toBeGreaterThanOrEqual(10);
    }
  });

  it('reports -1 below the hiscores thresholds', () => {
    let unrankedBosses = 0;
    for (const member of everyMember(clan)) {
      const count = member.history.times.length;
      if (count === 0) continue;
      const row = historyRow(member.history, count - 1);
      const stats = computeSnapshotStats(row, member.player.type);
      const problems: string[] = [];
      HISTORY_COLUMNS.forEach((metric, column) => {
        if (SKILLS.includes(metric as (typeof SKILLS)[number])) return;
        const value = row[column] ?? 0;
        const snapshotIndex = column + 1; // history columns skip `overall`
        const wire = stats.values[snapshotIndex];
        const rank = stats.ranks[snapshotIndex] ?? Number.NaN;
        if (value < getMinimumValue(metric)) {
          if (wire !== -1 || rank !== -1)
            problems.push(`${metric} ${value}: ${wire}, rank ${rank}`);
          if (column < 24 + 71) unrankedBosses++;
        } else if (!Object.is(wire, value) || !(rank > 0)) {
          problems.push(`${metric} ${value}: ${wire}, rank ${rank}`);
        }
      });
      expect(problems, member.player.username).toEqual([]);
    }
    expect(unrankedBosses).toBeGreaterThan(0);
  });

  it('has strictly increasing snapshot times and monotonic non-decreasing values', () => {
    for (const member of everyMember(big)) {
      const { times, changeRows, changeColumns, changeValues } = member.history;
      let unordered = 0;
      for (let index = 1; index < times.length; index++) {
        if ((times[index] ?? 0) <= (times[index - 1] ?? 0)) unordered++;
      }
      for (let index = 1; index < changeRows.length; index++) {
        if ((changeRows[index] ?? 0) < (changeRows[index - 1] ?? 0)) unordered++;
      }
      expect(unordered).toBe(0);
      const current = Int32Array.from(member.history.initial);
      let violations = 0;
      for (let index = 0; index < changeRows.length; index++) {
        const row = changeRows[index] ?? 0;
        const column = changeColumns[index] ?? 0;
        const value = changeValues[index] ?? 0;
        if (row < 1 || row >= times.length || value <= (current[column] ?? 0)) violations++;
        current[column] = value;
      }
      expect(violations).toBe(0);
      if (times.length > 0) {
        expect(Array.from(historyRow(member.history, times.length - 1))).toEqual(
          Array.from(current),
        );
      }
    }
  });

  it('follows the username rules and keeps names unique', () => {
    const seen = new Set<string>();
    for (const member of everyMember(big)) {
      const { username, displayName } = member.player;
      expect(username).toMatch(/^[a-z0-9 ]{1,12}$/);
      expect(username).toBe(standardizeUsername(displayName));
      expect(displayName).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9 _-]*[A-Za-z0-9])?$/);
      expect(seen.has(username)).toBe(false);
      seen.add(username);
    }
    const names = big.members.map((member) => member.player.displayName);
    expect(names.some((name) => name.includes(' '))).toBe(true);
    expect(names.some((name) => name.includes('-'))).toBe(true);
    expect(names.some((name) => name.includes('_'))).toBe(true);
  });

  it('keeps former members, with their leave in the activity log', () => {
    const former = clan.members.filter((member) => member.membership.leftAt !== null);
    expect(former.length).toBeGreaterThan(0);
    for (const member of former) {
      const left = clan.activity.filter(
        (event) => event.playerId === member.player.id && event.type === 'left',
      );
      expect(left).toHaveLength(1);
      expect(left[0]?.createdAt).toBe(member.membership.leftAt);
    }
    const currentCount = clan.members.filter((member) => member.membership.leftAt === null).length;
    expect(currentCount).toBe(50);
    expect(clan.group.memberCount).toBe(50);
    // current members come first
    expect(clan.members.slice(0, 50).every((member) => member.membership.leftAt === null)).toBe(
      true,
    );
  });

  it('uses real group roles, one owner, and logs joins and role changes', () => {
    const roles = new Set<string>(GROUP_ROLES);
    for (const member of clan.members) expect(roles.has(member.membership.role)).toBe(true);
    expect(clan.members.filter((member) => member.membership.role === 'owner')).toHaveLength(1);
    for (const event of clan.activity) {
      if (event.role !== null) expect(roles.has(event.role)).toBe(true);
      if (event.type === 'changed_role') expect(event.previousRole).not.toBeNull();
      else expect(event.previousRole).toBeNull();
    }
    const types = new Set(clan.activity.map((event) => event.type));
    expect([...types].sort()).toEqual(['changed_role', 'joined', 'left']);
    const sorted = [...clan.activity].sort((left, right) =>
      left.createdAt.localeCompare(right.createdAt),
    );
    expect(clan.activity).toEqual(sorted);
  });

  it('reflects approved name changes in the current names', () => {
    const approved = big.nameChanges.filter((change) => change.status === 'approved');
    expect(approved.length).toBeGreaterThan(0);
    expect(big.nameChanges.some((change) => change.status === 'pending')).toBe(true);
    for (const change of approved) {
      const member = big.members.find((candidate) => candidate.player.id === change.playerId);
      expect(member?.player.displayName).toBe(change.newName);
      expect(
        big.members.some(
          (candidate) => candidate.player.username === standardizeUsername(change.oldName),
        ),
      ).toBe(false);
    }
  });

  it('varies activity: very active members, idle months and quitters', () => {
    const profiles = new Set(big.members.map((member) => member.profile));
    for (const profile of [
      'very-active',
      'active',
      'casual',
      'idle',
      'quit',
      'stale',
      'untracked',
    ]) {
      expect(profiles.has(profile as never)).toBe(true);
    }
    const now = Date.parse(big.now);
    const inactive = big.members.filter(
      (member) =>
        member.player.lastChangedAt !== null &&
        now - Date.parse(member.player.lastChangedAt) > 60 * 86_400_000,
    );
    expect(inactive.length).toBeGreaterThan(20);
    const untracked = big.members.filter((member) => member.profile === 'untracked');
    for (const member of untracked) {
      expect(member.history.times).toHaveLength(0);
      expect(member.player.updatedAt).toBeNull();
      expect(member.player.type).toBe('unknown');
    }
  });

  it('gives achievements consistent with the history', () => {
    expect(clan.achievements.length).toBeGreaterThan(0);
    const dated = clan.achievements.filter((achievement) => achievement.accuracy !== -1);
    expect(dated.length).toBeGreaterThan(0);
    for (const achievement of dated.slice(0, 200)) {
      const member = clan.members.find((candidate) => candidate.player.id === achievement.playerId);
      expect(member).toBeDefined();
      const column = HISTORY_COLUMNS.indexOf(achievement.metric as never);
      if (member === undefined || column === -1) continue;
      const row = member.history.times.indexOf(Date.parse(achievement.createdAt));
      expect(row).toBeGreaterThan(0);
      expect(historyValue(member.history, row, column)).toBeGreaterThanOrEqual(
        achievement.threshold,
      );
      expect(historyValue(member.history, row - 1, column)).toBeLessThan(achievement.threshold);
    }
  });

  it('gives ~85% of members a Discord identity with real-looking snowflakes', () => {
    const withDiscord = big.members.filter((member) => member.discord !== null);
    const share = withDiscord.length / big.members.length;
    expect(share).toBeGreaterThan(0.75);
    expect(share).toBeLessThan(0.93);
    const ids = new Set<string>();
    for (const member of withDiscord) {
      const identity = member.discord;
      if (identity === null) continue;
      expect(identity.userId).toMatch(/^\d{17,20}$/);
      expect(ids.has(identity.userId)).toBe(false);
      ids.add(identity.userId);
      const millis = Number((BigInt(identity.userId) >> 22n) + DISCORD_EPOCH);
      expect(new Date(millis).toISOString()).toBe(identity.createdAt);
      expect(identity.username).toMatch(/^[a-z0-9_.]{2,32}$/);
      expect(identity.joinedAt > identity.createdAt).toBe(true);
      expect(identity.joinedAt <= big.now).toBe(true);
    }
    const resembling = withDiscord.filter((member) =>
      (member.discord?.nickname ?? '')
        .toLowerCase()
        .includes(member.player.displayName.toLowerCase()),
    );
    expect(resembling.length / withDiscord.length).toBeGreaterThan(0.4);
    for (const member of big.members) expect(member.chattiness).toBeGreaterThanOrEqual(0);
    expect(big.members.some((member) => member.chattiness === 0)).toBe(true);
    expect(big.discordGuild.id).toMatch(/^\d{17,20}$/);
  });

  it('stores histories compactly', () => {
    let changes = 0;
    let rows = 0;
    for (const member of big.members) {
      changes += member.history.changeRows.length;
      rows += member.history.times.length;
    }
    // far fewer stored values than rows × 110 columns
    expect(changes).toBeLessThan(rows * HISTORY_COLUMNS.length * 0.1);
    expect(big.members.length).toBe(625);
  });
});
