import { createHash } from 'node:crypto';
import { TestkitError } from '../errors.js';
import { createRandom } from '../random.js';
import type { Random } from '../random.js';
import { ACTIVITIES, BOSSES, SKILLS } from '../wom/enums.js';
import type { GroupRole, Metric, PlayerBuild, PlayerType } from '../wom/enums.js';
import { EXPERIENCE_TABLE, MAX_SKILL_EXPERIENCE, SKILL_EXPERIENCE_CAP } from '../wom/experience.js';
import { SKILL_RATES, bossKillsPerHour, typeEfficiencyFactor } from '../wom/stats.js';
import { HISTORY_COLUMNS, historyColumnOf } from './history.js';
import type {
  ActivityProfile,
  IsoDate,
  SnapshotHistory,
  SyntheticAchievement,
  SyntheticClan,
  SyntheticCompetition,
  SyntheticDiscordIdentity,
  SyntheticGroup,
  SyntheticMember,
  SyntheticMemberActivity,
  SyntheticNameChange,
} from './model.js';
import {
  generateDiscordUsername,
  generateDisplayName,
  generateGlobalName,
  generateGroupName,
  generateNickname,
  standardizeUsername,
} from './names.js';

/** Options of {@link createSyntheticClan}. */
export interface SyntheticClanOptions {
  /**
   * The seed. Same seed and options ⇒ identical clan.
   * @defaultValue `1`
   */
  seed?: number;
  /**
   * Current members (0–5000).
   * @defaultValue `50`
   */
  members?: number;
  /**
   * Former members (left during the period, kept in the data).
   * @defaultValue `round(members / 4)`
   */
  formerMembers?: number;
  /**
   * Days of history before `now` (1–3650).
   * @defaultValue `365`
   */
  days?: number;
  /**
   * The reference instant ("today"). Never the wall clock, so output is reproducible.
   * @defaultValue `'2026-11-01T00:00:00.000Z'`
   */
  now?: Date | string | number;
  /**
   * The WOM group id.
   * @defaultValue derived from the seed (100–25 000)
   */
  groupId?: number;
  /**
   * The group name (≤ 30 characters).
   * @defaultValue derived from the seed
   */
  groupName?: string;
}

/** The defaults of {@link SyntheticClanOptions} that do not depend on the seed. */
export const DefaultSyntheticClanOptions = {
  seed: 1,
  members: 50,
  days: 365,
  now: '2026-11-01T00:00:00.000Z',
} as const;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const DISCORD_EPOCH = 1_420_070_400_000n;
const WOM_LAUNCH = Date.UTC(2020, 3, 1);
const ROLE_LADDER: readonly GroupRole[] = [
  'recruit',
  'corporal',
  'sergeant',
  'lieutenant',
  'captain',
  'general',
];
const COUNTRIES = [
  'US',
  'GB',
  'NL',
  'CA',
  'AU',
  'DE',
  'SE',
  'NO',
  'BR',
  'PT',
  'FI',
  'DK',
  'BE',
  'NZ',
  'GB_ENG',
  'GB_SCT',
  'IE',
  'PL',
  'FR',
  'ES',
  'PH',
  'LT',
];
export const COMBAT_SKILLS = new Set([
  'attack',
  'strength',
  'defence',
  'hitpoints',
  'ranged',
  'magic',
  'prayer',
]);
const MEMBERS_SKILLS = new Set([
  'agility',
  'herblore',
  'thieving',
  'fletching',
  'slayer',
  'farming',
  'hunter',
  'construction',
  'sailing',
]);
const F2P_BOSSES = new Set(['obor', 'bryophyta', 'brutus']);
export const SKILLING_BOSSES = new Set(['wintertodt', 'tempoross', 'zalcano']);

const toIso = (millis: number): IsoDate => new Date(millis).toISOString();

interface Draft {
  current: boolean;
  profile: ActivityProfile;
  type: PlayerType;
  build: PlayerBuild;
  country: string | null;
  displayName: string;
  joinedAt: number;
  leftAt: number | null;
  trackFrom: number;
  trackUntil: number;
  registeredAt: number;
  lastImportedAt: number | null;
  history: SnapshotHistory;
  lastChangedAt: number | null;
  id: number;
  role: GroupRole;
  roleUpdatedAt: number;
  random: Random;
}

function checkInteger(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TestkitError(
      'INVALID_OPTIONS',
      `createSyntheticClan: ${name} must be an integer in ${min}..${max}, got ${String(value)}`,
      { option: name },
    );
  }
  return value;
}

/**
 * Generates a deterministic synthetic clan: a WOM group with current and former members, a daily
 * snapshot history of all 113 metrics per member (stored compactly), membership activity, name
 * changes, achievements, competitions and Discord identities. The same options always give an
 * identical result (no wall clock, no `Math.random`).
 *
 * @example
 * ```ts
 * const clan = createSyntheticClan({ seed: 7, members: 120 });
 * const server = await startFakeWomServer({ clan });
 * ```
 */
export function createSyntheticClan(options: SyntheticClanOptions = {}): SyntheticClan {
  const seed = options.seed ?? DefaultSyntheticClanOptions.seed;
  if (!Number.isFinite(seed)) {
    throw new TestkitError('INVALID_OPTIONS', 'createSyntheticClan: seed must be a finite number', {
      option: 'seed',
    });
  }
  const memberCount = checkInteger(
    options.members ?? DefaultSyntheticClanOptions.members,
    'members',
    0,
    5000,
  );
  const formerCount = checkInteger(
    options.formerMembers ?? Math.round(memberCount / 4),
    'formerMembers',
    0,
    5000,
  );
  const days = checkInteger(options.days ?? DefaultSyntheticClanOptions.days, 'days', 1, 3650);
  const nowMs = new Date(options.now ?? DefaultSyntheticClanOptions.now).getTime();
  if (!Number.isFinite(nowMs)) {
    throw new TestkitError('INVALID_OPTIONS', 'createSyntheticClan: now is not a valid date', {
      option: 'now',
    });
  }
  const random = createRandom(Math.trunc(seed) >>> 0);
  const startMs = nowMs - days * DAY;

  // The group.
  const groupId =
    options.groupId === undefined
      ? random.int(100, 25_000)
      : checkInteger(options.groupId, 'groupId', 1, 2_147_483_647);
  const groupName = options.groupName ?? generateGroupName(random);
  if (groupName.length < 1 || groupName.length > 30) {
    throw new TestkitError(
      'INVALID_OPTIONS',
      'createSyntheticClan: groupName must be 1–30 characters',
      {
        option: 'groupName',
      },
    );
  }
  const groupCreatedAt =
    Math.max(WOM_LAUNCH, startMs - random.int(30, 1500) * DAY) + random.int(0, DAY);

  // Member drafts.
  const usedNames = new Set<string>();
  const freshName = (draftRandom: Random, iron: boolean): string => {
    for (;;) {
      const name = generateDisplayName(draftRandom, iron ? 'iron' : undefined);
      const key = standardizeUsername(name);
      if (!usedNames.has(key)) {
        usedNames.add(key);
        return name;
      }
    }
  };
  const drafts: Draft[] = [];
  const total = memberCount + formerCount;
  for (let index = 0; index < total; index++) {
    drafts.push(
      createDraft(
        random.fork(index + 1),
        index < memberCount,
        index === memberCount - 1 && memberCount >= 10,
      ),
    );
  }

  function createDraft(draftRandom: Random, current: boolean, untracked: boolean): Draft {
    const profile: ActivityProfile = untracked
      ? 'untracked'
      : draftRandom.weighted<ActivityProfile>(
          ['very-active', 'active', 'casual', 'idle', 'quit', 'stale'],
          current ? [14, 28, 24, 14, 12, 8] : [5, 15, 30, 15, 25, 10],
        );
    const type: PlayerType = untracked
      ? 'unknown'
      : draftRandom.weighted<PlayerType>(
          ['regular', 'ironman', 'hardcore', 'ultimate'],
          [64, 22, 8, 6],
        );
    const build: PlayerBuild =
      untracked || type !== 'regular'
        ? 'main'
        : draftRandom.weighted<PlayerBuild>(
            ['main', 'zerker', 'def1', 'lvl3', 'hp10', 'f2p', 'f2p_lvl3'],
            [86, 3, 3, 2, 1, 4, 1],
          );
    const country = draftRandom.chance(0.45) ? draftRandom.pick(COUNTRIES) : null;
    const displayName = freshName(draftRandom, type !== 'regular' && type !== 'unknown');
    const founder = !untracked && draftRandom.chance(current ? 0.55 : 0.4);
    const joinedAt = untracked
      ? nowMs - draftRandom.int(1, 5) * DAY - draftRandom.int(0, DAY)
      : founder
        ? draftRandom.int(groupCreatedAt, startMs)
        : draftRandom.int(startMs, nowMs - 2 * DAY);
    let leftAt: number | null = null;
    if (!current) {
      const from = Math.max(joinedAt, startMs) + DAY;
      leftAt = draftRandom.int(Math.min(from, nowMs - DAY), nowMs - DAY);
    }
    const trackFrom = founder ? startMs : joinedAt + draftRandom.int(60_000, HOUR);
    let trackUntil = nowMs;
    if (profile === 'stale') {
      trackUntil =
        nowMs - draftRandom.int(20, Math.max(21, Math.min(150, Math.floor(days * 0.6)))) * DAY;
    }
    if (leftAt !== null && draftRandom.chance(0.6)) {
      trackUntil = Math.min(trackUntil, leftAt + draftRandom.int(0, 40) * DAY);
    }
    trackUntil = Math.max(trackUntil, Math.min(nowMs, trackFrom + DAY));
    const registeredAt = untracked
      ? joinedAt + draftRandom.int(1_000, 60_000)
      : !founder && draftRandom.chance(0.5)
        ? trackFrom - draftRandom.int(1_000, 120_000)
        : Math.max(WOM_LAUNCH, Math.min(trackFrom, joinedAt) - draftRandom.int(0, 900) * DAY);
    return {
      current,
      profile,
      type,
      build,
      country,
      displayName,
      joinedAt,
      leftAt,
      trackFrom,
      trackUntil,
      registeredAt,
      lastImportedAt: null,
      history: emptyHistory(),
      lastChangedAt: null,
      id: 0,
      role: 'member',
      roleUpdatedAt: joinedAt,
      random: draftRandom,
    };
  }

  // Histories.
  for (const draft of drafts) {
    if (draft.profile === 'untracked') continue;
    const generated = generateHistory(draft, startMs, nowMs, days);
    draft.history = generated.history;
    draft.lastChangedAt = generated.lastChangedAt;
    const first = draft.history.times[0] ?? draft.trackFrom;
    if (draft.registeredAt > first) draft.registeredAt = first - 1_000;
    if (draft.random.chance(0.15)) {
      draft.lastImportedAt = Math.min(
        first - 1,
        draft.registeredAt + draft.random.int(0, 30) * DAY,
      );
    }
  }

  // Player ids in registration order.
  const byRegistration = drafts
    .map((draft, index) => ({ draft, index }))
    .sort(
      (left, right) =>
        left.draft.registeredAt - right.draft.registeredAt || left.index - right.index,
    );
  let nextId = random.int(1_000, 400_000);
  for (const { draft } of byRegistration) {
    draft.id = nextId;
    nextId += random.int(1, 40_000);
  }

  // Roles and membership activity.
  const activity: SyntheticMemberActivity[] = [];
  const joinOrder = drafts
    .map((draft, index) => ({ draft, index }))
    .sort((left, right) => left.draft.joinedAt - right.draft.joinedAt || left.index - right.index);
  let owners = 0;
  let deputies = 0;
  for (const { draft } of joinOrder) {
    const draftRandom = draft.random;
    let role: GroupRole;
    if (draft.current && draft.joinedAt < startMs && owners === 0) {
      role = 'owner';
      owners++;
    } else if (
      draft.current &&
      draft.joinedAt < startMs &&
      deputies < 2 &&
      draftRandom.chance(0.5)
    ) {
      role = 'deputy_owner';
      deputies++;
    } else if (draft.joinedAt >= startMs) {
      role = draftRandom.chance(0.7) ? 'recruit' : 'member';
    } else {
      role = draftRandom.weighted<GroupRole>(
        ['member', 'recruit', 'corporal', 'sergeant', 'lieutenant', 'captain', 'general'],
        [40, 5, 15, 12, 8, 5, 3],
      );
    }
    activity.push({
      groupId,
      playerId: draft.id,
      type: 'joined',
      role,
      previousRole: null,
      createdAt: toIso(draft.joinedAt),
    });
    const end = draft.leftAt ?? nowMs;
    const from = Math.max(draft.joinedAt, startMs) + 7 * DAY;
    if (role !== 'owner' && role !== 'deputy_owner' && end - from > 13 * DAY) {
      const promotions = draftRandom.chance(0.35) ? (draftRandom.chance(0.3) ? 2 : 1) : 0;
      const times = Array.from({ length: promotions }, () =>
        draftRandom.int(from, end - HOUR),
      ).sort((left, right) => left - right);
      for (const time of times) {
        const rung = ROLE_LADDER.indexOf(role);
        const next =
          ROLE_LADDER[Math.min(ROLE_LADDER.length - 1, Math.max(1, rung + 1))] ?? 'corporal';
        if (next === role) break;
        activity.push({
          groupId,
          playerId: draft.id,
          type: 'changed_role',
          role: next,
          previousRole: role,
          createdAt: toIso(time),
        });
        role = next;
        draft.roleUpdatedAt = time;
      }
    }
    draft.role = role;
    if (draft.leftAt !== null) {
      activity.push({
        groupId,
        playerId: draft.id,
        type: 'left',
        role,
        previousRole: null,
        createdAt: toIso(draft.leftAt),
      });
    }
  }
  activity.sort((left, right) => left.createdAt.localeCompare(right.createdAt));

  // Name changes: approved ones are reflected in the current names.
  const nameChangeDrafts: Array<Omit<SyntheticNameChange, 'id'>> = [];
  for (const draft of drafts) {
    if (draft.profile === 'untracked') continue;
    const roll = draft.random.next();
    const windowStart = Math.max(draft.trackFrom, startMs) + DAY;
    const windowEnd = Math.min(draft.trackUntil, nowMs - HOUR);
    if (roll < 0.12 && windowEnd > windowStart) {
      const createdAt = draft.random.int(windowStart, windowEnd);
      const resolvedAt = Math.min(nowMs, createdAt + draft.random.int(60_000, 2 * DAY));
      nameChangeDrafts.push({
        playerId: draft.id,
        oldName: freshName(draft.random, false),
        newName: draft.displayName,
        status: 'approved',
        reviewContext: null,
        resolvedAt: toIso(resolvedAt),
        createdAt: toIso(createdAt),
        updatedAt: toIso(resolvedAt),
      });
    } else if (roll < 0.15) {
      const createdAt = nowMs - draft.random.int(HOUR, 14 * DAY);
      nameChangeDrafts.push({
        playerId: draft.id,
        oldName: draft.displayName,
        newName: freshName(draft.random, false),
        status: 'pending',
        reviewContext: null,
        resolvedAt: null,
        createdAt: toIso(createdAt),
        updatedAt: toIso(createdAt),
      });
    } else if (roll < 0.17) {
      const createdAt = nowMs - draft.random.int(DAY, Math.max(2 * DAY, days * DAY - DAY));
      const resolvedAt = createdAt + draft.random.int(HOUR, DAY);
      nameChangeDrafts.push({
        playerId: draft.id,
        oldName: draft.displayName,
        newName: freshName(draft.random, false),
        status: 'denied',
        reviewContext: null,
        resolvedAt: toIso(resolvedAt),
        createdAt: toIso(createdAt),
        updatedAt: toIso(resolvedAt),
      });
    }
  }
  nameChangeDrafts.sort((left, right) => left.createdAt.localeCompare(right.createdAt));
  let nameChangeId = random.int(10_000, 200_000);
  const nameChanges: SyntheticNameChange[] = nameChangeDrafts.map((change) => ({
    id: (nameChangeId += random.int(1, 500)),
    ...change,
  }));

  // Achievements.
  const achievements: SyntheticAchievement[] = [];
  for (const draft of drafts) achievements.push(...findAchievements(draft));
  achievements.sort(
    (left, right) =>
      left.createdAt.localeCompare(right.createdAt) || left.playerId - right.playerId,
  );

  // Discord.
  const guildCreatedAt = groupCreatedAt + random.int(0, 30 * DAY);
  let snowflakeIncrement = 0;
  const snowflake = (millis: number): string => {
    snowflakeIncrement = (snowflakeIncrement + 1) & 0xfff;
    const low = BigInt((random.int(0, 31) << 17) | (random.int(0, 31) << 12) | snowflakeIncrement);
    return (((BigInt(Math.trunc(millis)) - DISCORD_EPOCH) << 22n) | low).toString();
  };
  const usedDiscordNames = new Set<string>();
  const identities = new Map<Draft, SyntheticDiscordIdentity | null>();
  for (const draft of drafts) {
    const draftRandom = draft.random;
    if (draftRandom.chance(0.15)) {
      identities.set(draft, null);
      continue;
    }
    const accountCreatedAt = draftRandom.int(
      Date.UTC(2016, 0, 1),
      Math.max(Date.UTC(2016, 0, 2), draft.joinedAt - DAY),
    );
    let username = generateDiscordUsername(draftRandom, draft.displayName);
    while (usedDiscordNames.has(username))
      username = `${username.slice(0, 28)}${draftRandom.int(0, 9)}`;
    usedDiscordNames.add(username);
    const joinedGuild = Math.max(
      guildCreatedAt,
      accountCreatedAt + DAY,
      draft.joinedAt + draftRandom.int(-3 * DAY, 3 * DAY),
    );
    identities.set(draft, {
      userId: snowflake(accountCreatedAt),
      username,
      globalName: generateGlobalName(draftRandom, draft.displayName),
      nickname: generateNickname(draftRandom, draft.displayName),
      createdAt: toIso(accountCreatedAt),
      joinedAt: toIso(Math.min(nowMs - 1, joinedGuild)),
      inGuild: draft.current ? draftRandom.chance(0.95) : draftRandom.chance(0.4),
    });
  }
  const chattinessFactor: Record<ActivityProfile, number> = {
    'very-active': 1.6,
    active: 1.2,
    casual: 0.8,
    idle: 0.5,
    quit: 0.3,
    stale: 0.6,
    untracked: 1,
  };

  // Members: current first (join order), then former (join order).
  const members: SyntheticMember[] = [];
  const ordered = [
    ...joinOrder.filter(({ draft }) => draft.current),
    ...joinOrder.filter(({ draft }) => !draft.current),
  ];
  for (const { draft } of ordered) {
    const times = draft.history.times;
    const updatedAt = times.length > 0 ? (times[times.length - 1] ?? null) : null;
    const chattiness = draft.random.chance(0.2)
      ? 0
      : Math.round(
          Math.exp(draft.random.normal() * 0.9) * 4 * chattinessFactor[draft.profile] * 100,
        ) / 100;
    members.push({
      player: {
        id: draft.id,
        username: standardizeUsername(draft.displayName),
        displayName: draft.displayName,
        type: draft.type,
        build: draft.build,
        status: 'active',
        country: draft.country,
        patron: false,
        registeredAt: toIso(draft.registeredAt),
        updatedAt: updatedAt === null ? null : toIso(updatedAt),
        lastChangedAt: draft.lastChangedAt === null ? null : toIso(draft.lastChangedAt),
        lastImportedAt: draft.lastImportedAt === null ? null : toIso(draft.lastImportedAt),
      },
      membership: {
        playerId: draft.id,
        groupId,
        role: draft.role,
        clientSyncJoinedAt: draft.random.chance(0.3)
          ? toIso(Math.floor(draft.joinedAt / DAY) * DAY)
          : null,
        createdAt: toIso(draft.joinedAt),
        updatedAt: toIso(draft.roleUpdatedAt),
        leftAt: draft.leftAt === null ? null : toIso(draft.leftAt),
      },
      profile: draft.profile,
      history: draft.history,
      discord: identities.get(draft) ?? null,
      chattiness,
    });
  }

  const currentMembers = members.filter((member) => member.membership.leftAt === null);
  const owner = currentMembers.find((member) => member.membership.role === 'owner');
  const clanChat = groupName.replace(/^The /, '').slice(0, 12).trim();
  const group: SyntheticGroup = {
    id: groupId,
    name: groupName,
    clanChat: random.chance(0.85) ? clanChat : null,
    description: random.chance(0.8)
      ? `${groupName}: a friendly OSRS clan. All account types welcome.`.slice(0, 100)
      : null,
    homeworld: random.chance(0.5)
      ? random.pick([302, 303, 330, 416, 444, 463, 477, 480, 495])
      : null,
    verified: true,
    patron: false,
    visible: true,
    profileImage: null,
    bannerImage: null,
    score: random.int(0, 600),
    createdAt: toIso(groupCreatedAt),
    updatedAt: toIso(nowMs - random.int(HOUR, 3 * DAY)),
    memberCount: currentMembers.length,
    verificationCode: `${random.int(100, 999)}-${random.int(100, 999)}-${random.int(100, 999)}`,
    socialLinks: {
      website: null,
      discord: random.chance(0.7)
        ? `https://discord.gg/${groupName
            .replace(/[^A-Za-z]/g, '')
            .toLowerCase()
            .slice(0, 10)}`
        : null,
      twitter: null,
      youtube: null,
      twitch: null,
    },
    roleOrders: [],
  };

  const competitions = createCompetitions(random, groupId, nowMs, currentMembers);

  return {
    seed,
    now: toIso(nowMs),
    days,
    startedAt: toIso(startMs),
    group,
    members,
    activity,
    nameChanges,
    achievements,
    competitions,
    discordGuild: {
      id: snowflake(guildCreatedAt),
      name: groupName,
      ownerUserId: owner?.discord?.userId ?? null,
      createdAt: toIso(guildCreatedAt),
    },
  };
}

function emptyHistory(): SnapshotHistory {
  return {
    times: new Float64Array(0),
    initial: new Int32Array(HISTORY_COLUMNS.length),
    changeRows: new Uint32Array(0),
    changeColumns: new Uint8Array(0),
    changeValues: new Int32Array(0),
  };
}

const SKILL_COLUMN_COUNT = SKILLS.length - 1;
const BOSS_OFFSET = SKILL_COLUMN_COUNT;
const ACTIVITY_OFFSET = BOSS_OFFSET + BOSSES.length;
const column = (metric: Metric): number => historyColumnOf(metric);
export const CLUE_TIERS = [
  'clue_scrolls_beginner',
  'clue_scrolls_easy',
  'clue_scrolls_medium',
  'clue_scrolls_hard',
  'clue_scrolls_elite',
  'clue_scrolls_master',
] as const;

/** Whether a build trains a skill (f2p: no members skills, def1: no defence, …). */
export function skillAllowed(skill: string, build: PlayerBuild): boolean {
  if ((build === 'f2p' || build === 'f2p_lvl3') && MEMBERS_SKILLS.has(skill)) return false;
  if ((build === 'lvl3' || build === 'f2p_lvl3') && COMBAT_SKILLS.has(skill)) return false;
  if (build === 'hp10' && skill === 'hitpoints') return false;
  if (build === 'def1' && skill === 'defence') return false;
  return true;
}

/** The history columns of the bosses a build can kill. */
export function eligibleBosses(build: PlayerBuild): number[] {
  const result: number[] = [];
  BOSSES.forEach((boss, index) => {
    const ok =
      build === 'f2p'
        ? F2P_BOSSES.has(boss)
        : build === 'f2p_lvl3'
          ? false
          : build === 'lvl3' || build === 'hp10'
            ? SKILLING_BOSSES.has(boss)
            : true;
    if (ok) result.push(BOSS_OFFSET + index);
  });
  return result;
}

function experienceWithin(random: Random, level: number): number {
  const low = EXPERIENCE_TABLE[level] ?? 0;
  if (level >= 99) return low;
  const high = EXPERIENCE_TABLE[level + 1] ?? low + 1;
  return low + Math.floor(random.next() * (high - low));
}

function initialRow(random: Random, build: PlayerBuild): { row: Int32Array; strength: number } {
  const row = new Int32Array(HISTORY_COLUMNS.length);
  const strength = random.next() ** 0.85;
  const meanLevel = 15 + 84 * strength ** 0.7;
  for (let index = 0; index < SKILL_COLUMN_COUNT; index++) {
    const skill = HISTORY_COLUMNS[index] ?? 'attack';
    if (!skillAllowed(skill, build)) {
      row[index] = skill === 'hitpoints' ? (EXPERIENCE_TABLE[10] ?? 1154) : 0;
      continue;
    }
    let level: number;
    if (skill === 'sailing') {
      level = random.chance(0.25)
        ? 0
        : Math.max(1, Math.min(70, Math.round(meanLevel * 0.5 + random.normal() * 8)));
    } else {
      level = Math.max(1, Math.min(99, Math.round(meanLevel + random.normal() * 10)));
      if (strength > 0.8 && random.chance((strength - 0.8) * 4)) level = 99;
    }
    if (skill === 'hitpoints') level = Math.max(10, level);
    if (skill === 'defence' && build === 'zerker') level = 45;
    if (level === 0) {
      row[index] = 0;
    } else if (level === 99) {
      const bonus = strength > 0.92 ? random.next() ** 3 * 80_000_000 : random.next() * 2_000_000;
      row[index] = Math.min(SKILL_EXPERIENCE_CAP, MAX_SKILL_EXPERIENCE + Math.floor(bonus));
    } else if (level === 1) {
      row[index] = random.chance(0.5) ? 0 : random.int(1, 82);
    } else {
      row[index] = experienceWithin(random, level);
    }
  }
  const bosses = eligibleBosses(build);
  if (bosses.length > 0) {
    const known = Math.round(bosses.length * strength ** 1.3 * random.float(0.2, 0.8));
    for (let count = 0; count < known; count++) {
      const bossColumn = random.pick(bosses);
      const boss = HISTORY_COLUMNS[bossColumn] ?? 'zulrah';
      const scale = Math.sqrt(Math.min(1, bossKillsPerHour(boss) / 30));
      const kills = Math.round(Math.exp(Math.log(10 + 300 * strength) + random.normal()) * scale);
      row[bossColumn] = Math.max(row[bossColumn] ?? 0, Math.max(1, Math.min(20_000, kills)));
    }
  }
  const tierScale = [40, 150, 120, 100, 60, 10];
  let clues = 0;
  CLUE_TIERS.forEach((tier, index) => {
    const count = Math.round(strength * (tierScale[index] ?? 10) * random.float(0, 1.5));
    row[column(tier)] = count;
    clues += count;
  });
  row[column('clue_scrolls_all')] = clues;
  const members = build !== 'f2p' && build !== 'f2p_lvl3';
  const combat = build !== 'lvl3' && build !== 'f2p_lvl3' && build !== 'hp10';
  if (random.chance(0.35)) row[column('last_man_standing')] = random.int(500, 3000);
  else if (random.chance(0.1)) row[column('last_man_standing')] = random.int(100, 499);
  if (random.chance(0.08)) row[column('pvp_arena')] = random.int(2500, 3200);
  if (random.chance(0.3)) row[column('soul_wars_zeal')] = random.int(50, 2000);
  if (members) {
    row[column('guardians_of_the_rift')] = Math.round(strength * 400 * random.float(0, 1.2));
    row[column('collections_logged')] = Math.round(
      50 + 1300 * strength ** 1.2 * random.float(0.8, 1.1),
    );
  }
  if (members && combat && random.chance(0.15 + strength * 0.2)) {
    row[column('colosseum_glory')] = random.int(300, 30_000);
  }
  if (random.chance(0.05)) {
    row[column('bounty_hunter_hunter')] = random.int(1, 30);
    row[column('bounty_hunter_rogue')] = random.int(1, 30);
  }
  return { row, strength };
}

/** The skill columns a build trains by playing (Hitpoints comes with combat; zerkers keep 45 Defence). */
export function trainableSkills(build: PlayerBuild): number[] {
  const trainable: number[] = [];
  for (let index = 0; index < SKILL_COLUMN_COUNT; index++) {
    const skill = HISTORY_COLUMNS[index] ?? 'attack';
    if (skill === 'hitpoints' || !skillAllowed(skill, build)) continue;
    if (skill === 'defence' && build === 'zerker') continue;
    trainable.push(index);
  }
  return trainable;
}

/** What {@link playSkillsAndBosses} needs to play one day of a member. */
export interface DayOfPlay {
  /** The account's build (which skills it may train). */
  build: PlayerBuild;
  /** The account type's efficiency factor (`typeEfficiencyFactor`). */
  factor: number;
  /** The skill columns the member trains. */
  trainable: readonly number[];
  /** Boss columns the member kills. */
  favourites: readonly number[];
  /** The member's values before the day (read to pick skills). */
  current: Int32Array;
  /** Hours played that day. */
  hours: number;
  /** The share of them spent bossing (0 without favourites). */
  bossShare: number;
  /** Adds a gain to a column (capped and recorded by the caller). */
  gain: (column: number, amount: number) => void;
}

/**
 * One day of skilling and bossing, the generator's rules in the generator's random order: one or
 * two skills (with Hitpoints for combat, Guardians of the Rift with Runecrafting), then kills of
 * one favourite boss with combat XP and collection log slots. Shared by the generator and the
 * fakes' `advance()`, so days after `clan.now` play exactly like the history.
 */
export function playSkillsAndBosses(random: Random, day: DayOfPlay): void {
  const { build, factor, trainable, favourites, current, hours, bossShare, gain } = day;
  const hitpoints = column('hitpoints');
  const canHitpoints = skillAllowed('hitpoints', build);
  const members = build !== 'f2p' && build !== 'f2p_lvl3';
  const skillHours = hours * (1 - bossShare);
  const skillsToday = random.chance(0.4) ? 2 : 1;
  for (let count = 0; count < skillsToday && trainable.length > 0; count++) {
    const skillColumn = pickSkill(random, trainable, current);
    const skill = HISTORY_COLUMNS[skillColumn] ?? 'attack';
    const amount =
      (SKILL_RATES[skill] ?? 100_000) *
      factor *
      (skillHours / skillsToday) *
      random.float(0.6, 1.2);
    gain(skillColumn, amount);
    if (COMBAT_SKILLS.has(skill) && skill !== 'prayer' && canHitpoints) gain(hitpoints, amount / 3);
    if (skill === 'runecrafting' && members && random.chance(0.5)) {
      gain(column('guardians_of_the_rift'), random.int(3, 10));
    }
  }
  if (bossShare > 0) {
    const bossColumn = random.pick(favourites);
    const boss = HISTORY_COLUMNS[bossColumn] ?? 'zulrah';
    const bossHours = hours * bossShare;
    const kills = Math.max(
      1,
      Math.round(bossKillsPerHour(boss) * factor * bossHours * random.float(0.5, 1.1)),
    );
    gain(bossColumn, kills);
    if (!SKILLING_BOSSES.has(boss)) {
      const combatSkill = random.pick(['ranged', 'magic', 'strength'] as const);
      if (skillAllowed(combatSkill, build)) {
        const amount = 90_000 * bossHours * random.float(0.5, 1.2);
        gain(column(combatSkill), amount);
        if (canHitpoints) gain(hitpoints, amount / 3);
      }
      if (members && random.chance(0.3)) gain(column('collections_logged'), random.int(1, 2));
    }
  }
}

/** How often and how long a profile plays. */
export interface ProfileShape {
  play: number;
  minHours: number;
  maxHours: number;
}

export const PROFILE_SHAPES: Record<ActivityProfile, ProfileShape> = {
  'very-active': { play: 0.85, minHours: 2, maxHours: 7 },
  active: { play: 0.6, minHours: 1, maxHours: 4 },
  casual: { play: 0.25, minHours: 0.5, maxHours: 2.5 },
  idle: { play: 0.55, minHours: 0.5, maxHours: 3 },
  quit: { play: 0.5, minHours: 0.5, maxHours: 3 },
  stale: { play: 0.5, minHours: 0.5, maxHours: 3 },
  untracked: { play: 0, minHours: 0, maxHours: 0 },
};

function generateHistory(
  draft: Draft,
  startMs: number,
  nowMs: number,
  days: number,
): { history: SnapshotHistory; lastChangedAt: number | null } {
  const random = draft.random;
  const offset = random.int(0, 23 * HOUR);
  const times: number[] = [];
  for (let day = 0; day <= days; day++) {
    const time = startMs + day * DAY + offset + random.int(0, 40 * 60_000);
    if (time >= draft.trackFrom && time <= draft.trackUntil && time <= nowMs - 10 * 60_000)
      times.push(time);
  }
  if (times.length === 0) times.push(Math.min(nowMs - 10 * 60_000, draft.trackFrom));

  const { row: current, strength } = initialRow(random, draft.build);
  const initial = Int32Array.from(current);
  const shape = PROFILE_SHAPES[draft.profile];
  const factor = typeEfficiencyFactor(draft.type);
  const trainable = trainableSkills(draft.build);
  const bosses = eligibleBosses(draft.build);
  const favourites: number[] = [];
  if (bosses.length > 0) {
    const wanted = random.int(2, 6);
    for (let count = 0; count < wanted; count++) favourites.push(random.pick(bosses));
  }
  const playDays = times.length;
  const breakStart = Math.floor(playDays * random.float(0.1, 0.6));
  const breakEnd = breakStart + random.int(60, 200);
  const quitRow = Math.floor(playDays * random.float(0.1, 0.75));

  const changeRows: number[] = [];
  const changeColumns: number[] = [];
  const changeValues: number[] = [];
  const touched = new Int32Array(HISTORY_COLUMNS.length).fill(-1);
  const dirty: number[] = [];
  let lastChangedAt: number | null = times[0] ?? null;

  const gain = (target: number, amount: number, rowIndex: number): void => {
    if (amount <= 0) return;
    const cap = target < SKILL_COLUMN_COUNT ? SKILL_EXPERIENCE_CAP : 2_000_000_000;
    const before = current[target] ?? 0;
    const after = Math.min(cap, before + Math.floor(amount));
    if (after <= before) return;
    current[target] = after;
    if (touched[target] !== rowIndex) {
      touched[target] = rowIndex;
      dirty.push(target);
    }
  };

  for (let rowIndex = 1; rowIndex < times.length; rowIndex++) {
    const gapDays = Math.max(
      1,
      Math.round(((times[rowIndex] ?? 0) - (times[rowIndex - 1] ?? 0)) / DAY),
    );
    let playing = false;
    for (let day = 0; day < gapDays && !playing; day++) playing = random.chance(shape.play);
    if (draft.profile === 'idle' && rowIndex >= breakStart && rowIndex < breakEnd) playing = false;
    if (draft.profile === 'quit' && rowIndex >= quitRow) playing = false;
    if (!playing) continue;
    const hours = random.float(shape.minHours, shape.maxHours);
    const bossShare = favourites.length > 0 ? random.float(0, 0.6) : 0;
    playSkillsAndBosses(random, {
      build: draft.build,
      factor,
      trainable,
      favourites,
      current,
      hours,
      bossShare,
      gain: (target, amount) => {
        gain(target, amount, rowIndex);
      },
    });
    if (random.chance(0.12 + strength * 0.1)) {
      const tier = random.weighted(CLUE_TIERS, [10, 20, 20, 25, 12, 3]);
      const count = random.int(1, 3);
      gain(column(tier), count, rowIndex);
      gain(column('clue_scrolls_all'), count, rowIndex);
    }
    if (random.chance(0.01)) {
      const lms = column('last_man_standing');
      gain(lms, (current[lms] ?? 0) < 500 ? 500 : random.int(5, 40), rowIndex);
    }
    if (dirty.length > 0) {
      dirty.sort((left, right) => left - right);
      for (const changed of dirty) {
        changeRows.push(rowIndex);
        changeColumns.push(changed);
        changeValues.push(current[changed] ?? 0);
      }
      dirty.length = 0;
      lastChangedAt = times[rowIndex] ?? lastChangedAt;
    }
  }
  return {
    history: {
      times: Float64Array.from(times),
      initial,
      changeRows: Uint32Array.from(changeRows),
      changeColumns: Uint8Array.from(changeColumns),
      changeValues: Int32Array.from(changeValues),
    },
    lastChangedAt,
  };
}

export function pickSkill(
  random: Random,
  trainable: readonly number[],
  current: Int32Array,
): number {
  // Prefer skills that are not maxed yet; maxed accounts keep training anything.
  for (let attempt = 0; attempt < 3; attempt++) {
    const candidate = random.pick(trainable);
    if ((current[candidate] ?? 0) < MAX_SKILL_EXPERIENCE) return candidate;
  }
  return random.pick(trainable);
}

const numberNames = (value: number): string =>
  value >= 1_000_000_000
    ? `${value / 1_000_000_000}b`
    : value >= 1_000_000
      ? `${value / 1_000_000}m`
      : value >= 1000
        ? `${value / 1000}k`
        : String(value);

/** A human name for a metric key, e.g. `chambers_of_xeric` → `Chambers Of Xeric`. */
export function metricDisplayName(metric: Metric): string {
  const special: Partial<Record<Metric, string>> = {
    clue_scrolls_all: 'Clue Scrolls (all)',
    tombs_of_amascut_expert: 'Tombs of Amascut (Expert Mode)',
    theatre_of_blood_hard_mode: 'Theatre of Blood (Hard Mode)',
    chambers_of_xeric_challenge_mode: 'Chambers of Xeric (CM)',
    kreearra: "Kree'Arra",
    kril_tsutsaroth: "K'ril Tsutsaroth",
    vetion: "Vet'ion",
    tzkal_zuk: 'TzKal-Zuk',
    tztok_jad: 'TzTok-Jad',
    ehp: 'EHP',
    ehb: 'EHB',
  };
  return (
    special[metric] ??
    metric
      .split('_')
      .map((word) =>
        word === 'of' || word === 'the' ? word : `${word.charAt(0).toUpperCase()}${word.slice(1)}`,
      )
      .join(' ')
      .replace(/^the /, 'The ')
  );
}

interface AchievementTemplate {
  name: string;
  metric: Metric;
  threshold: number;
  measure: SyntheticAchievement['measure'];
  /** Reads the value to compare from the current row. */
  read: (
    row: Int32Array,
    derived: { overall: number; minimum: number; ehp: number; ehb: number },
  ) => number;
  columns: readonly number[] | 'any';
}

const ACHIEVEMENT_TEMPLATES: readonly AchievementTemplate[] = buildAchievementTemplates();

function buildAchievementTemplates(): AchievementTemplate[] {
  const templates: AchievementTemplate[] = [];
  for (let index = 0; index < SKILL_COLUMN_COUNT; index++) {
    const skill = HISTORY_COLUMNS[index] ?? 'attack';
    for (const threshold of [MAX_SKILL_EXPERIENCE, SKILL_EXPERIENCE_CAP]) {
      templates.push({
        name:
          threshold === MAX_SKILL_EXPERIENCE
            ? `99 ${metricDisplayName(skill)}`
            : `200m ${metricDisplayName(skill)}`,
        metric: skill,
        threshold,
        measure: 'experience',
        read: (row) => row[index] ?? 0,
        columns: [index],
      });
    }
  }
  for (const threshold of [100_000_000, 200_000_000, 500_000_000, 1_000_000_000]) {
    templates.push({
      name: `${numberNames(threshold)} Overall Exp.`,
      metric: 'overall',
      threshold,
      measure: 'experience',
      read: (_row, derived) => derived.overall,
      columns: 'any',
    });
  }
  for (const level of [60, 70, 80, 90, 99]) {
    templates.push({
      name: `Base ${level} Stats`,
      metric: 'overall',
      threshold: EXPERIENCE_TABLE[level] ?? 0,
      measure: 'levels',
      read: (_row, derived) => derived.minimum,
      columns: 'any',
    });
  }
  BOSSES.forEach((boss, index) => {
    for (const threshold of [50, 100, 500, 1000, 5000]) {
      templates.push({
        name: `${numberNames(threshold)} ${metricDisplayName(boss)} kills`,
        metric: boss,
        threshold,
        measure: 'kills',
        read: (row) => row[BOSS_OFFSET + index] ?? 0,
        columns: [BOSS_OFFSET + index],
      });
    }
  });
  const clueColumn = ACTIVITY_OFFSET + ACTIVITIES.indexOf('clue_scrolls_all');
  for (const threshold of [100, 500, 1000]) {
    templates.push({
      name: `${numberNames(threshold)} Clue Scrolls (all)`,
      metric: 'clue_scrolls_all',
      threshold,
      measure: 'score',
      read: (row) => row[clueColumn] ?? 0,
      columns: [clueColumn],
    });
  }
  for (const threshold of [100, 250, 500, 1000]) {
    templates.push({
      name: `${numberNames(threshold)} EHP`,
      metric: 'ehp',
      threshold,
      measure: 'value',
      read: (_row, derived) => derived.ehp,
      columns: 'any',
    });
    templates.push({
      name: `${numberNames(threshold)} EHB`,
      metric: 'ehb',
      threshold,
      measure: 'value',
      read: (_row, derived) => derived.ehb,
      columns: 'any',
    });
  }
  return templates;
}

function deriveTotals(
  row: Int32Array,
  type: PlayerType,
): { overall: number; minimum: number; ehp: number; ehb: number } {
  let overall = 0;
  let minimum = Number.POSITIVE_INFINITY;
  let ehp = 0;
  const factor = typeEfficiencyFactor(type);
  for (let index = 0; index < SKILL_COLUMN_COUNT; index++) {
    const experience = row[index] ?? 0;
    overall += experience;
    minimum = Math.min(minimum, experience);
    const rate = (SKILL_RATES[HISTORY_COLUMNS[index] ?? 'attack'] ?? 0) * factor;
    if (rate > 0 && experience > 0) ehp += experience / rate;
  }
  let ehb = 0;
  for (let index = 0; index < BOSSES.length; index++) {
    const kills = row[BOSS_OFFSET + index] ?? 0;
    const boss = BOSSES[index] ?? 'zulrah';
    if (kills >= (boss === 'mimic' || boss === 'tzkal_zuk' ? 1 : 5))
      ehb += kills / (bossKillsPerHour(boss) * factor);
  }
  return { overall, minimum, ehp, ehb };
}

function findAchievements(draft: Draft): SyntheticAchievement[] {
  const history = draft.history;
  const count = history.times.length;
  if (count === 0) return [];
  const row = Int32Array.from(history.initial);
  const found: SyntheticAchievement[] = [];
  const done = new Set<AchievementTemplate>();
  let derived = deriveTotals(row, draft.type);
  for (const template of ACHIEVEMENT_TEMPLATES) {
    if (template.read(row, derived) >= template.threshold) {
      done.add(template);
      found.push({
        playerId: draft.id,
        name: template.name,
        metric: template.metric,
        threshold: template.threshold,
        accuracy: -1,
        createdAt: new Date(0).toISOString(),
        measure: template.measure,
        legacy: false,
      });
    }
  }
  let change = 0;
  while (change < history.changeRows.length) {
    const rowIndex = history.changeRows[change] ?? 0;
    const changed = new Set<number>();
    while (change < history.changeRows.length && history.changeRows[change] === rowIndex) {
      const changedColumn = history.changeColumns[change] ?? 0;
      row[changedColumn] = history.changeValues[change] ?? 0;
      changed.add(changedColumn);
      change++;
    }
    derived = deriveTotals(row, draft.type);
    for (const template of ACHIEVEMENT_TEMPLATES) {
      if (done.has(template)) continue;
      if (template.columns !== 'any' && !template.columns.some((item) => changed.has(item)))
        continue;
      if (template.read(row, derived) < template.threshold) continue;
      done.add(template);
      const time = history.times[rowIndex] ?? 0;
      const previous = history.times[rowIndex - 1] ?? time;
      found.push({
        playerId: draft.id,
        name: template.name,
        metric: template.metric,
        threshold: template.threshold,
        accuracy: Math.round(time - previous),
        createdAt: new Date(time).toISOString(),
        measure: template.measure,
        legacy: false,
      });
    }
  }
  return found;
}

/**
 * The achievements a player reaches between two rows: thresholds `before` is below and `after` is
 * at or above, dated `time` with accuracy `time - previousTime` (as the generator dates them).
 */
export function achievementsBetween(
  playerId: number,
  type: PlayerType,
  before: Int32Array,
  after: Int32Array,
  time: number,
  previousTime: number,
): SyntheticAchievement[] {
  const derivedBefore = deriveTotals(before, type);
  const derivedAfter = deriveTotals(after, type);
  const found: SyntheticAchievement[] = [];
  for (const template of ACHIEVEMENT_TEMPLATES) {
    if (template.read(before, derivedBefore) >= template.threshold) continue;
    if (template.read(after, derivedAfter) < template.threshold) continue;
    found.push({
      playerId,
      name: template.name,
      metric: template.metric,
      threshold: template.threshold,
      accuracy: Math.round(time - previousTime),
      createdAt: new Date(time).toISOString(),
      measure: template.measure,
      legacy: false,
    });
  }
  return found;
}

function createCompetitions(
  random: Random,
  groupId: number,
  nowMs: number,
  currentMembers: readonly SyntheticMember[],
): SyntheticCompetition[] {
  const tracked = currentMembers.filter((member) => member.history.times.length > 0);
  const plans: Array<{ title: string; metric: Metric; starts: number; length: number }> = [
    {
      title: 'Skill of the Week',
      metric: random.pick(['agility', 'runecrafting', 'fishing', 'mining'] as const),
      starts: -40,
      length: 7,
    },
    {
      title: 'Boss of the Week',
      metric: random.pick(['vorkath', 'zulrah', 'the_whisperer', 'vardorvis'] as const),
      starts: -20,
      length: 7,
    },
    {
      title: 'Skill of the Week',
      metric: random.pick(['slayer', 'hunter', 'woodcutting', 'farming'] as const),
      starts: -3,
      length: 7,
    },
    {
      title: 'Boss of the Week',
      metric: random.pick(['chambers_of_xeric', 'tombs_of_amascut', 'nex'] as const),
      starts: 5,
      length: 7,
    },
  ];
  let id = random.int(1_000, 90_000);
  return plans.map((plan) => {
    const startsAt = Math.floor((nowMs + plan.starts * DAY) / HOUR) * HOUR;
    const createdAt = startsAt - random.int(2, 5) * DAY;
    const participantIds = tracked
      .filter(() => random.chance(0.6))
      .map((member) => member.player.id);
    return {
      id: (id += random.int(1, 3000)),
      title: `${plan.title}: ${metricDisplayName(plan.metric)}`,
      type: 'classic',
      metric: plan.metric,
      startsAt: toIso(startsAt),
      endsAt: toIso(startsAt + plan.length * DAY),
      groupId,
      score: random.int(0, 400),
      visible: true,
      createdAt: toIso(createdAt),
      updatedAt: toIso(createdAt + random.int(0, DAY)),
      participantIds,
    };
  });
}

/**
 * A SHA-256 hex digest of a clan's complete content (typed arrays included), for asserting that two
 * clans are identical or that a seed still produces the same clan.
 */
export function fingerprintSyntheticClan(clan: SyntheticClan): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify(clan, (_key, value: unknown) =>
      ArrayBuffer.isView(value) && !(value instanceof DataView)
        ? Array.from(value as unknown as ArrayLike<number>)
        : value,
    ),
  );
  return hash.digest('hex');
}
