import { TestkitError } from '../errors.js';
import { createRandom } from '../random.js';
import type { Random } from '../random.js';
import { BOSSES, SKILLS } from '../wom/enums.js';
import type {
  SyntheticBossHighlight,
  SyntheticBossRecord,
  SyntheticChannelActivity,
  SyntheticChannelWindow,
  SyntheticClanData,
  SyntheticClanDataEvent,
  SyntheticClanDataFormerMember,
  SyntheticClanDataMember,
  SyntheticClanDataRules,
  SyntheticClanDataWindow,
  SyntheticClanDataWindowSource,
  SyntheticClanWindowTotals,
  SyntheticDailyPoint,
  SyntheticGainSource,
  SyntheticHeatmap,
  SyntheticInactivitySignal,
  SyntheticInactivitySignalKey,
  SyntheticLinkedDiscordUser,
  SyntheticMemberStatus,
  SyntheticMemberWindowKey,
  SyntheticRankUpSuggestion,
  SyntheticUnmatchedDiscordUser,
  SyntheticWindowKey,
} from './clan-data-model.js';
import {
  generateDiscordUsername,
  generateDisplayName,
  generateGlobalName,
  generateNickname,
  standardizeUsername,
} from './names.js';

/** Options of {@link createSyntheticClanData}. */
export interface SyntheticClanDataOptions {
  /**
   * Current members (1–50,000).
   * @defaultValue `300`
   */
  members?: number;
  /**
   * The seed. Same seed and options ⇒ identical data.
   * @defaultValue `7`
   */
  seed?: number;
  /**
   * The instant the data describes (ISO 8601); windows and weeks end here.
   * @defaultValue `'2026-11-24T18:00:00.000Z'`
   */
  asOf?: string;
  /**
   * The clan's IANA time zone, for the daily series and the heatmap.
   * @defaultValue `'Europe/Amsterdam'`
   */
  timezone?: string;
  /**
   * Whether some members, Discord users, former names and channels carry the texts of
   * {@link HOSTILE_NAMES} (never member 0).
   * @defaultValue `true`
   */
  hostileNames?: boolean;
}

/** The defaults of {@link SyntheticClanDataOptions}. */
export const DefaultSyntheticClanDataOptions = {
  members: 300,
  seed: 7,
  asOf: '2026-11-24T18:00:00.000Z',
  timezone: 'Europe/Amsterdam',
  hostileNames: true,
} as const satisfies Required<SyntheticClanDataOptions>;

/**
 * Texts a player, a Discord user or a channel might be named to break a report or a page: markup
 * and script injection, bidirectional and zero-width characters, a 4-byte emoji, a 300-character
 * name, spreadsheet formulas, template syntax, SQL, and `__proto__`.
 */
export const HOSTILE_NAMES: readonly string[] = Object.freeze([
  '<img src=x onerror=alert(1)>',
  '</script><script>alert(2)</script>',
  '"><svg onload=alert(3)>',
  'Admin\u202Egnp.exe',
  'Ze\u200Bzi\u200Dma',
  '\u{1F409} Dragon \u{1F525}',
  'W'.repeat(300),
  '=HYPERLINK("http://x","y")',
  "+cmd|' /C calc'!A0",
  '-1+2',
  '@SUM(A1)',
  '{{7*7}} <%= 7*7 %> ${7*7}',
  "Robert'); DROP TABLE members;--",
  '__proto__',
]);

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
const WEEK_COUNT = 52;
const WINDOW_KEYS: readonly SyntheticWindowKey[] = ['7d', '30d', '90d', '365d'];
const MEMBER_WINDOW_KEYS: readonly SyntheticMemberWindowKey[] = [...WINDOW_KEYS, 'all'];
const WINDOW_DAYS: Readonly<Record<SyntheticWindowKey, number>> = {
  '7d': 7,
  '30d': 30,
  '90d': 90,
  '365d': 365,
};
const TRAINED_SKILLS: readonly string[] = SKILLS.filter((skill) => skill !== 'overall');
const ALL_BOSSES: readonly string[] = BOSSES;
const SKILL_INDEX = new Map(TRAINED_SKILLS.map((skill, index) => [skill, index]));
const BOSS_INDEX = new Map(ALL_BOSSES.map((boss, index) => [boss, index]));

const LADDER: SyntheticClanDataRules['ranks'] = [
  { role: 'recruit', minTenureDays: 0, minScore: 0 },
  { role: 'corporal', minTenureDays: 30, minScore: 150 },
  { role: 'sergeant', minTenureDays: 90, minScore: 400 },
  { role: 'lieutenant', minTenureDays: 180, minScore: 900 },
  { role: 'captain', minTenureDays: 365, minScore: 1800 },
  { role: 'general', minTenureDays: 730, minScore: 3000 },
];
const OWNER_NAME = 'Lynx Titan';
const EXEMPT_NAME = 'Iron Hyger';
/** Members 0–2 are fixed; the hostile blocks start here. */
const FIRST_HOSTILE_MEMBER = 3;

const KNOWN_MEMBER = {
  displayName: 'Zezima',
  role: 'captain',
  tenureDays: 800,
  discordUserId: '700000000000000000',
  skills: ['attack', 'strength', 'defence', 'hitpoints', 'magic', 'ranged', 'slayer'],
  bosses: ['zulrah', 'vorkath', 'general_graardor', 'chambers_of_xeric'],
} as const;

/** Relative chat by local hour (0–23). */
const HOUR_SHAPE = [
  0.45, 0.3, 0.18, 0.12, 0.1, 0.1, 0.15, 0.25, 0.35, 0.45, 0.5, 0.55, 0.65, 0.65, 0.6, 0.65, 0.75,
  0.9, 1.1, 1.35, 1.5, 1.5, 1.25, 0.8,
];

/** Relative chat on a weekday (0 = Monday) at a local hour: evenings and weekends busier. */
function chatWeight(weekday: number, hour: number): number {
  const shape = HOUR_SHAPE[hour] ?? 1;
  const weekend = weekday >= 5;
  let weight = shape * (weekend ? 1.3 : weekday === 4 ? 1.1 : 1);
  if (weekend && hour >= 10 && hour <= 17) weight *= 1.5;
  if (weekday === 4 && hour >= 19) weight *= 1.15;
  return weight;
}

const CHAT_WEIGHTS: number[][] = Array.from({ length: 7 }, (_, weekday) =>
  Array.from({ length: 24 }, (__, hour) => chatWeight(weekday, hour)),
);
const DAY_WEIGHTS: number[] = CHAT_WEIGHTS.map((row) => row.reduce((sum, cell) => sum + cell, 0));
const MEAN_DAY_WEIGHT = DAY_WEIGHTS.reduce((sum, weight) => sum + weight, 0) / 7;

const CHANNEL_NAMES = [
  'pvm',
  'raids',
  'drops',
  'skilling',
  'events',
  'clan-news',
  'off-topic',
  'memes',
  'ironmen',
  'giveaways',
  'help',
  'achievements',
  'pets',
  'collection-log',
  'gear-advice',
  'bingo',
];

const PAD2 = Array.from({ length: 60 }, (_, value) => String(value).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, value) => String(value).padStart(3, '0'));
const DATE_PREFIXES = new Map<number, string>();

/** `new Date(millis).toISOString()` for years 0–9999, several times faster (dates are cached). */
function iso(millis: number): string {
  const whole = Math.floor(millis);
  const day = Math.floor(whole / DAY);
  let prefix = DATE_PREFIXES.get(day);
  if (prefix === undefined) {
    if (DATE_PREFIXES.size > 50_000) DATE_PREFIXES.clear();
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    DATE_PREFIXES.set(day, prefix);
  }
  let rest = whole - day * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = Math.floor(rest / 1000);
  return `${prefix}${PAD2[hours] ?? ''}:${PAD2[minutes] ?? ''}:${PAD2[seconds] ?? ''}.${PAD3[rest - seconds * 1000] ?? ''}Z`;
}
const round2 = (value: number): number => Math.round(value * 100) / 100;
const round1 = (value: number): number => Math.round(value * 10) / 10;
const sumOf = (values: readonly number[], from = 0, to = values.length): number => {
  let total = 0;
  for (let index = from; index < to; index++) total += values[index] ?? 0;
  return total;
};

/** A decimal snowflake-like id: `prefix` followed by `value` zero-padded to 18 digits in all. */
function snowflake(prefix: string, value: number): string {
  return `${prefix}${String(value).padStart(18 - prefix.length, '0')}`;
}

function invalid(option: string, value: unknown, expected: string, cause?: unknown): TestkitError {
  return new TestkitError(
    'INVALID_OPTIONS',
    `${option} must be ${expected}, got ${value === undefined ? 'undefined' : JSON.stringify(value)}`,
    cause === undefined ? { option } : { option, cause },
  );
}

interface ResolvedOptions {
  members: number;
  seed: number;
  asOf: number;
  timezone: string;
  hostileNames: boolean;
}

function resolveOptions(options: SyntheticClanDataOptions): ResolvedOptions {
  const members = options.members ?? DefaultSyntheticClanDataOptions.members;
  if (!Number.isInteger(members) || members < 1 || members > 50_000) {
    throw invalid('members', members, 'an integer from 1 to 50,000');
  }
  const seed = options.seed ?? DefaultSyntheticClanDataOptions.seed;
  if (!Number.isInteger(seed)) throw invalid('seed', seed, 'an integer');
  const asOfText: unknown = options.asOf ?? DefaultSyntheticClanDataOptions.asOf;
  const asOf = typeof asOfText === 'string' ? Date.parse(asOfText) : Number.NaN;
  if (Number.isNaN(asOf)) throw invalid('asOf', asOfText, 'an ISO 8601 instant');
  const timezone = options.timezone ?? DefaultSyntheticClanDataOptions.timezone;
  try {
    // Throws a RangeError for an unknown zone.
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch (error) {
    throw invalid('timezone', timezone, 'an IANA time zone', error);
  }
  const hostileNames: unknown =
    options.hostileNames ?? DefaultSyntheticClanDataOptions.hostileNames;
  if (typeof hostileNames !== 'boolean') throw invalid('hostileNames', hostileNames, 'a boolean');
  return { members, seed, asOf, timezone, hostileNames };
}

/**
 * `rate` per day times the days of `[from, to)` (days before `asOf`) inside the active span
 * `[quiet, until)`, with noise (×0.4–1.6); 0 outside it.
 */
function amountOver(
  random: Random,
  rate: number,
  from: number,
  to: number,
  quiet: number,
  until: number,
): number {
  const overlap = Math.min(to, until) - Math.max(from, quiet);
  if (overlap <= 0 || rate <= 0) return 0;
  return Math.round(rate * overlap * (0.4 + 1.2 * random.next()));
}

/** The overlap in days of `[from, to)` with `[quiet, until)`. */
function overlapDays(from: number, to: number, quiet: number, until: number): number {
  return Math.max(0, Math.min(to, until) - Math.max(from, quiet));
}

/** A message series: per week, and per window, with where its latest message lies. */
interface MessageSeries {
  weekly: number[];
  windows: Record<SyntheticMemberWindowKey, number>;
  /** Days before `asOf` of the latest message, `null` when none. */
  latestDaysAgo: number | null;
}

/**
 * Weekly counts (week `i` covers `[(51 − i) × 7, (52 − i) × 7)` days before `asOf`), and windows
 * made of whole weeks plus a prorated part of one: 7d = the last week, 30d = 4 weeks + 2 days,
 * 90d = 12 weeks + 6 days, 365d = 52 weeks + 1 day, all = 365d + the rest since joining.
 */
function messageSeries(
  random: Random,
  rate: number,
  quiet: number,
  tenure: number,
  forceLastWeek: boolean,
): MessageSeries {
  const weekly = new Array<number>(WEEK_COUNT);
  for (let week = 0; week < WEEK_COUNT; week++) {
    const from = (WEEK_COUNT - 1 - week) * 7;
    weekly[week] = amountOver(random, rate, from, from + 7, quiet, tenure);
  }
  if (forceLastWeek) weekly[WEEK_COUNT - 1] = Math.max(1, weekly[WEEK_COUNT - 1] ?? 0);
  // The part of a week inside a window, in proportion to its active days.
  const part = (week: number, days: number): number => {
    const count = weekly[week] ?? 0;
    const from = (WEEK_COUNT - 1 - week) * 7;
    const active = overlapDays(from, from + 7, quiet, tenure);
    if (count === 0 || active === 0) return 0;
    return Math.min(
      count,
      Math.round((count * overlapDays(from, from + days, quiet, tenure)) / active),
    );
  };
  const part30 = part(47, 2);
  const part90 = part(39, 6);
  const lastDay = amountOver(random, rate, 364, 365, quiet, tenure);
  const before = tenure > 365 ? amountOver(random, rate, 365, tenure, quiet, tenure) : 0;
  const w7 = weekly[WEEK_COUNT - 1] ?? 0;
  const w30 = sumOf(weekly, 48) + part30;
  const w90 = sumOf(weekly, 40) + part90;
  const w365 = sumOf(weekly) + lastDay;
  // The latest message: in the most recent piece with messages (weeks 47 and 39 are two pieces
  // each, split at the 30d and 90d window starts).
  let latestDaysAgo: number | null = null;
  const place = (from: number, to: number, count: number): boolean => {
    const low = Math.max(from, quiet);
    const high = Math.min(to, tenure);
    if (count <= 0 || high <= low) return false;
    latestDaysAgo = low + (high - low) * random.next();
    return true;
  };
  let placed = false;
  for (let week = WEEK_COUNT - 1; week >= 0 && !placed; week--) {
    const from = (WEEK_COUNT - 1 - week) * 7;
    const count = weekly[week] ?? 0;
    if (week === 47) placed = place(from, 30, part30) || place(30, from + 7, count - part30);
    else if (week === 39) placed = place(from, 90, part90) || place(90, from + 7, count - part90);
    else placed = place(from, from + 7, count);
  }
  if (!placed && !place(364, 365, lastDay)) place(365, Math.max(365, tenure), before);
  return {
    weekly,
    windows: { '7d': w7, '30d': w30, '90d': w90, '365d': w365, all: w365 + before },
    latestDaysAgo,
  };
}

/** How a member's WOM gains are known. */
type Tracking = 'snapshots' | 'wom' | 'late' | 'stale' | 'untracked';

/** What the generator decides about a member before computing their figures. */
interface MemberPlan {
  index: number;
  playerId: number;
  displayName: string;
  username: string;
  role: string;
  /** Days since joining (fractional). */
  tenure: number;
  formerNames: string[];
  discordUsers: SyntheticLinkedDiscordUser[];
  tracking: Tracking;
  /** For `late`: days before `asOf` of the first snapshot. */
  firstSnapshotDays: number;
  quietWom: number;
  quietDiscord: number;
  quietChat: number;
  discordRate: number;
  chatRate: number;
  questionShare: number;
  answerShare: number;
  skills: Array<[skill: string, ratePerDay: number]>;
  bosses: Array<[boss: string, ratePerDay: number]>;
  /** Minutes per EHP hour-equivalent of XP, and kills per EHB hour. */
  xpPerEhp: number;
  killsPerEhb: number;
  known: boolean;
}

/**
 * A member's kills of one boss: the boss index, the kills gained in 7d, 30d, 90d, 365d (0 when
 * unknown), and the current kill count (0 when untracked).
 */
type BossFigures = [boss: number, ...figures: number[]];

/** The per-member figures the clan-wide parts need: one {@link BossFigures} per boss killed. */
interface MemberFigures {
  bosses: BossFigures[];
}

function discordUserOf(
  random: Random,
  userId: string,
  displayName: string,
  source: string,
): SyntheticLinkedDiscordUser {
  return {
    userId,
    username: random.chance(0.05) ? null : generateDiscordUsername(random, displayName),
    globalName: generateGlobalName(random, displayName),
    nickname: generateNickname(random, displayName),
    source,
    confirmed: source === 'manual' || random.chance(0.6),
  };
}

function planMembers(root: Random, count: number, hostile: readonly string[]): MemberPlan[] {
  const usernames = new Set<string>();
  const unique = (random: Random, fixed: string | null): [string, string] => {
    if (fixed !== null) {
      let username = standardizeUsername(fixed);
      if (usernames.has(username)) username = `${username} ${usernames.size}`;
      usernames.add(username);
      return [fixed, username];
    }
    for (let attempt = 0; attempt < 4; attempt++) {
      const name = generateDisplayName(random, random.chance(0.2) ? 'iron' : undefined);
      const username = standardizeUsername(name);
      if (!usernames.has(username) && username !== '') {
        usernames.add(username);
        return [name, username];
      }
    }
    const name = `Player ${usernames.size}`;
    usernames.add(standardizeUsername(name));
    return [name, standardizeUsername(name)];
  };
  const hostileCount = hostile.length;
  const plans: MemberPlan[] = [];
  for (let index = 0; index < count; index++) {
    const random = root.fork(index + 1);
    const known = index === 0;
    const block = index - FIRST_HOSTILE_MEMBER;
    const hostileDisplay = block >= 0 && block < hostileCount ? hostile[block] : undefined;
    const hostileDiscord =
      block >= hostileCount && block < 2 * hostileCount ? hostile[block - hostileCount] : undefined;
    const hostileFormer =
      block >= 2 * hostileCount && block < 3 * hostileCount
        ? hostile[block - 2 * hostileCount]
        : undefined;
    const fixedName = known
      ? KNOWN_MEMBER.displayName
      : index === 1
        ? OWNER_NAME
        : index === 2
          ? EXEMPT_NAME
          : (hostileDisplay ?? null);
    const [displayName, username] = unique(random, fixedName);

    // Tenure: mostly months to a few years; a fifth joined in the last 90 days.
    const tenure = known
      ? KNOWN_MEMBER.tenureDays + 0.25
      : index === 1
        ? 1500.5
        : random.chance(0.2)
          ? random.float(0.2, 90)
          : random.float(90, 1400);
    const wholeTenure = Math.floor(tenure);
    let role: string;
    if (known) role = KNOWN_MEMBER.role;
    else if (index === 1) role = 'owner';
    else {
      // Longer tenure ⇒ higher rungs, usually one or two below what the ladder allows.
      let top = 0;
      for (let rung = LADDER.length - 1; rung >= 0; rung--) {
        if (wholeTenure >= (LADDER[rung]?.minTenureDays ?? 0)) {
          top = rung;
          break;
        }
      }
      role = LADDER[Math.max(0, top - random.int(0, 2))]?.role ?? 'recruit';
    }

    // Activity profile.
    const profile = known ? 0 : random.next();
    const activity = known ? 1 : Math.max(0.05, random.next() ** 0.7);
    let quietWom = 0;
    let quietDiscord = 0;
    let quietChat = 0;
    if (profile > 0.85) {
      // A ghost: nothing for months.
      quietWom = random.float(90, 500);
      quietDiscord = quietWom + random.float(-30, 60);
      quietChat = quietWom + random.float(-30, 60);
    } else if (profile > 0.7) {
      // Fading: quiet for weeks, on some signals.
      quietWom = random.float(20, 100);
      quietDiscord = random.chance(0.5) ? random.float(20, 100) : 0;
      quietChat = random.float(15, 100);
    } else if (profile > 0.6) {
      // Plays, but stopped talking on Discord.
      quietDiscord = random.float(40, 200);
    }

    // Discord: about 80% linked, a few with a second account.
    const linked = known || index === 1 || hostileDiscord !== undefined || random.chance(0.8);
    const discordUsers: SyntheticLinkedDiscordUser[] = [];
    if (known) {
      discordUsers.push({
        userId: KNOWN_MEMBER.discordUserId,
        username: 'zezima',
        globalName: 'Zezima',
        nickname: 'Zez',
        source: 'manual',
        confirmed: true,
      });
    } else if (linked) {
      const source = random.weighted(['nickname', 'manual', 'relay'], [6, 3, 1]);
      const user = discordUserOf(random, snowflake('70', index * 2), displayName, source);
      if (hostileDiscord !== undefined) {
        user.globalName = hostileDiscord;
        user.nickname = hostile[(block - hostileCount + 1) % hostileCount] ?? hostileDiscord;
      }
      discordUsers.push(user);
      if (random.chance(0.06)) {
        discordUsers.push(
          discordUserOf(random, snowflake('70', index * 2 + 1), displayName, 'manual'),
        );
      }
    }

    // Former names, most recent first.
    const formerNames: string[] = [];
    if (known) formerNames.push('Zezima Old');
    else if (hostileFormer !== undefined) formerNames.push(hostileFormer);
    if (!known && random.chance(0.12)) {
      const former = generateDisplayName(random);
      if (standardizeUsername(former) !== username) formerNames.push(former);
    }

    // WOM tracking.
    let tracking: Tracking = 'snapshots';
    let firstSnapshotDays = Number.POSITIVE_INFINITY;
    if (!known) {
      const roll = random.next();
      if (roll < 0.03) tracking = 'untracked';
      else if (roll < 0.08) {
        tracking = 'late';
        firstSnapshotDays = random.float(95, 360);
      } else if (roll < 0.11 && tenure > 366) tracking = 'stale';
      else if (roll < 0.21) tracking = 'wom';
    }

    const skills: Array<[string, number]> = [];
    const bosses: Array<[string, number]> = [];
    if (known) {
      for (const skill of KNOWN_MEMBER.skills) skills.push([skill, random.float(40_000, 90_000)]);
      for (const boss of KNOWN_MEMBER.bosses) bosses.push([boss, random.float(2, 6)]);
    } else {
      const skillCount = 2 + Math.floor(activity * 14);
      const chosen = new Set<string>();
      while (chosen.size < skillCount) chosen.add(random.pick(TRAINED_SKILLS));
      for (const skill of chosen) skills.push([skill, activity * random.float(8_000, 120_000)]);
      if (random.chance(0.2 + 0.6 * activity)) {
        const bossCount = 1 + Math.floor(activity * 10);
        const chosenBosses = new Set<string>();
        while (chosenBosses.size < bossCount) chosenBosses.add(random.pick(ALL_BOSSES));
        for (const boss of chosenBosses) bosses.push([boss, activity * random.float(0.1, 5)]);
      }
      skills.sort(
        (left, right) => (SKILL_INDEX.get(left[0]) ?? 0) - (SKILL_INDEX.get(right[0]) ?? 0),
      );
      bosses.sort(
        (left, right) => (BOSS_INDEX.get(left[0]) ?? 0) - (BOSS_INDEX.get(right[0]) ?? 0),
      );
    }

    plans.push({
      index,
      playerId: 1000 + index,
      displayName,
      username,
      role,
      tenure,
      formerNames,
      discordUsers,
      tracking,
      firstSnapshotDays,
      quietWom,
      quietDiscord,
      quietChat,
      discordRate: discordUsers.length === 0 ? 0 : known ? 20 : activity * random.float(0.2, 8),
      chatRate: known ? 30 : random.chance(0.2) ? 0 : activity * random.float(0.2, 10),
      questionShare: random.float(0.02, 0.12),
      answerShare: random.float(0.02, 0.15),
      skills,
      bosses,
      xpPerEhp: random.float(180_000, 320_000),
      killsPerEhb: random.float(15, 45),
      known,
    });
  }
  return plans;
}

function rankUpFor(
  rules: SyntheticClanDataRules,
  plan: MemberPlan,
  tenureDays: number,
  score: number,
): SyntheticRankUpSuggestion | null {
  const current = rules.ranks.findIndex((rung) => rung.role === plan.role);
  if (current < 0) return null;
  for (let index = rules.ranks.length - 1; index > current; index--) {
    const rung = rules.ranks[index];
    if (rung !== undefined && tenureDays >= rung.minTenureDays && score >= rung.minScore) {
      return {
        playerId: plan.playerId,
        displayName: plan.displayName,
        fromRole: plan.role,
        toRole: rung.role,
        tenureDays,
        score,
        reason: `tenure ${tenureDays} d ≥ ${rung.minTenureDays} d, score ${score} ≥ ${rung.minScore}`,
      };
    }
  }
  return null;
}

/** What every member's build shares. */
interface BuildContext {
  asOf: number;
  asOfIso: string;
  /** Each window's start as ISO. */
  sinceIso: Record<SyntheticWindowKey, string>;
  rules: SyntheticClanDataRules;
  /** `rules.inactivity.exemptNames`, standardized. */
  exemptNames: ReadonlySet<string>;
}

/** Builds one member's data from their plan. */
function buildMember(
  random: Random,
  plan: MemberPlan,
  context: BuildContext,
): { member: SyntheticClanDataMember; figures: MemberFigures } {
  const { asOf, rules } = context;
  const { tenure, tracking } = plan;
  const joinedAt = Math.round(asOf - tenure * DAY);
  const tenureDays = Math.floor((asOf - joinedAt) / DAY);

  // WOM gains over days-before-asOf segments; a window sums the segments inside its range.
  const ranges: Record<SyntheticMemberWindowKey, number> = {
    '7d': 7,
    '30d': 30,
    '90d': 90,
    '365d': Math.min(365, plan.firstSnapshotDays),
    all: Math.min(tenure, plan.firstSnapshotDays),
  };
  const edges = [...new Set([0, ...Object.values(ranges)])].sort((left, right) => left - right);
  const segmentCount = edges.length - 1;
  const endSegment = {} as Record<SyntheticMemberWindowKey, number>;
  for (const key of MEMBER_WINDOW_KEYS) endSegment[key] = edges.indexOf(ranges[key]);
  const gains = (rate: number): number[] => {
    const amounts = new Array<number>(segmentCount);
    for (let segment = 0; segment < segmentCount; segment++) {
      amounts[segment] = amountOver(
        random,
        rate,
        edges[segment] ?? 0,
        edges[segment + 1] ?? 0,
        plan.quietWom,
        Number.POSITIVE_INFINITY,
      );
    }
    if (plan.known) amounts[0] = Math.max(1, amounts[0] ?? 0);
    return amounts;
  };
  const skillGains = plan.skills.map(([skill, rate]) => [skill, gains(rate)] as const);
  const bossGains = plan.bosses.map(([boss, rate]) => [boss, gains(rate)] as const);

  const known = (key: SyntheticMemberWindowKey): boolean =>
    tracking !== 'untracked' && !(tracking === 'stale' && (key === '365d' || key === 'all'));

  const discord = messageSeries(random, plan.discordRate, plan.quietDiscord, tenure, plan.known);
  const chat = messageSeries(random, plan.chatRate, plan.quietChat, tenure, plan.known);
  const medianBase = random.float(2 * MINUTE, 6 * HOUR);
  const current =
    tracking === 'untracked'
      ? null
      : { takenAtIso: iso(asOf - Math.round(random.float(0, 12) * HOUR)) };

  const figures: MemberFigures = {
    bosses: plan.bosses.map(([boss]) => [BOSS_INDEX.get(boss) ?? 0, 0, 0, 0, 0, 0]),
  };
  const windows = {} as Record<SyntheticMemberWindowKey, SyntheticClanDataWindow>;
  const windowSources = {} as Record<SyntheticMemberWindowKey, SyntheticClanDataWindowSource>;
  for (const key of MEMBER_WINDOW_KEYS) {
    const since = key === 'all' ? joinedAt : asOf - WINDOW_DAYS[key] * DAY;
    const messages = discord.windows[key];
    const questions = Math.floor(messages * plan.questionShare);
    const answers = Math.floor(messages * plan.answerShare);
    const window: SyntheticClanDataWindow = {
      since: key === 'all' ? iso(joinedAt) : context.sinceIso[key],
      until: context.asOfIso,
      xp: null,
      ehp: null,
      ehb: null,
      bossKills: null,
      bossKillsByBoss: null,
      xpBySkill: null,
      levels: null,
      messages,
      clanChatMessages: chat.windows[key],
      questions,
      answers,
      medianAnswerMs:
        questions === 0 || random.chance(0.2)
          ? null
          : Math.round(medianBase * random.float(0.7, 1.4)),
    };
    if (known(key) && current !== null) {
      const last = endSegment[key];
      const xpBySkill: Record<string, number> = {};
      let xp = 0;
      let levels = 0;
      for (const [skill, amounts] of skillGains) {
        const gained = sumOf(amounts, 0, last);
        if (gained > 0) {
          xpBySkill[skill] = gained;
          xp += gained;
          levels += Math.floor(gained / 400_000);
        }
      }
      const bossKillsByBoss: Record<string, number> = {};
      let bossKills = 0;
      const column = key === 'all' ? -1 : 1 + WINDOW_KEYS.indexOf(key);
      bossGains.forEach(([boss, amounts], position) => {
        const kills = sumOf(amounts, 0, last);
        if (kills > 0) {
          bossKillsByBoss[boss] = kills;
          bossKills += kills;
          const row = figures.bosses[position];
          if (row !== undefined && column > 0) row[column] = kills;
        }
      });
      Object.assign(window, {
        xp,
        ehp: round2(xp / plan.xpPerEhp),
        ehb: round2(bossKills / plan.killsPerEhb),
        bossKills,
        bossKillsByBoss,
        xpBySkill,
        levels,
      });
      const source: SyntheticGainSource =
        tracking === 'late' &&
        (key === '365d' || (key === 'all' && tenure > plan.firstSnapshotDays))
          ? 'since_first_snapshot'
          : tracking === 'wom' && (key === '90d' || key === '365d')
            ? 'wom'
            : 'snapshots';
      windowSources[key] = {
        source,
        reason: null,
        baseAt: iso(
          source === 'since_first_snapshot'
            ? asOf - plan.firstSnapshotDays * DAY
            : source === 'wom'
              ? since
              : since - Math.round(random.float(0, 20) * HOUR),
        ),
        endAt:
          source === 'wom' ? iso(asOf - Math.round(random.float(0, 6) * HOUR)) : current.takenAtIso,
      };
    } else {
      windowSources[key] = {
        source: null,
        reason: tracking === 'untracked' ? 'not_tracked' : 'stale_baseline',
        baseAt: null,
        endAt: null,
      };
    }
    windows[key] = window;
  }

  // The latest WOM progress: inside the most recent segment with a gain.
  let lastProgressedAt: number | null = null;
  if (current !== null) {
    for (let segment = 0; segment < segmentCount && lastProgressedAt === null; segment++) {
      const gained =
        skillGains.some(([, amounts]) => (amounts[segment] ?? 0) > 0) ||
        bossGains.some(([, amounts]) => (amounts[segment] ?? 0) > 0);
      if (!gained) continue;
      const low = Math.max(edges[segment] ?? 0, plan.quietWom);
      const high = edges[segment + 1] ?? low;
      lastProgressedAt = Math.round(asOf - (low + (high - low) * random.next()) * DAY);
    }
    lastProgressedAt ??= Math.round(asOf - ((edges.at(-1) ?? 0) + random.float(1, 300)) * DAY);
  }
  const lastDiscordMessageAt =
    discord.latestDaysAgo === null ? null : Math.round(asOf - discord.latestDaysAgo * DAY);
  const lastClanChatAt =
    chat.latestDaysAgo === null ? null : Math.round(asOf - chat.latestDaysAgo * DAY);
  const activity = [lastProgressedAt, lastDiscordMessageAt, lastClanChatAt].filter(
    (value): value is number => value !== null,
  );
  const lastActiveAt = activity.length === 0 ? null : Math.max(...activity);

  // Inactivity, as the clan model decides it.
  const thresholdDays = rules.inactivity.roleDays[plan.role] ?? rules.inactivity.days;
  const isoOrNull = (millis: number | null): string | null =>
    millis === null ? null : iso(millis);
  const lastProgressedIso = isoOrNull(lastProgressedAt);
  const lastDiscordIso = isoOrNull(lastDiscordMessageAt);
  const lastClanChatIso = isoOrNull(lastClanChatAt);
  const signal = (
    available: boolean,
    lastAt: number | null,
    lastIso: string | null,
  ): SyntheticInactivitySignal => {
    if (!available) return { available, lastAt: lastIso, daysSince: null, over: false };
    const daysSince = Math.max(
      0,
      Math.floor((asOf - Math.max(lastAt ?? joinedAt, joinedAt)) / DAY),
    );
    return { available, lastAt: lastIso, daysSince, over: daysSince >= thresholdDays };
  };
  const signals: Record<SyntheticInactivitySignalKey, SyntheticInactivitySignal> = {
    wom: signal(true, lastProgressedAt, lastProgressedIso),
    discord: signal(plan.discordUsers.length > 0, lastDiscordMessageAt, lastDiscordIso),
    clanChat: signal(true, lastClanChatAt, lastClanChatIso),
  };
  const exemptNames = context.exemptNames;
  const exemptBy = rules.inactivity.exemptRoles.includes(plan.role)
    ? 'role'
    : [plan.displayName, ...plan.formerNames].some((name) =>
          exemptNames.has(standardizeUsername(name)),
        )
      ? 'name'
      : null;
  const available = (Object.keys(signals) as SyntheticInactivitySignalKey[]).filter(
    (key) => signals[key].available,
  );
  const over = available.filter((key) => signals[key].over);
  const status: SyntheticMemberStatus =
    exemptBy !== null
      ? 'exempt'
      : available.length > 0 && over.length === available.length
        ? 'inactive'
        : over.length > 0
          ? 'potentially_inactive'
          : 'active';
  const describe = (keys: SyntheticInactivitySignalKey[]): string =>
    keys
      .map(
        (key) =>
          `${key} (${signals[key].lastAt === null ? 'never, ' : ''}${signals[key].daysSince ?? 0} d)`,
      )
      .join(', ');
  const summary =
    exemptBy !== null
      ? `exempt by ${exemptBy}`
      : over.length === 0
        ? `active within ${thresholdDays} d on ${available.join(', ')}`
        : `over ${thresholdDays} d on ${describe(over)}${over.length < available.length ? `; active on ${available.filter((key) => !over.includes(key)).join(', ')}` : ''}`;

  // Score, as the clan model computes it.
  const weights = rules.score.weights;
  const scoreWindow = windows[rules.score.window];
  const breakdown = {
    messages: (scoreWindow.messages + scoreWindow.clanChatMessages) * weights.messages,
    xp: ((scoreWindow.xp ?? 0) / 100_000) * weights.xp,
    ehp: (scoreWindow.ehp ?? 0) * weights.ehp,
    ehb: (scoreWindow.ehb ?? 0) * weights.ehb,
    bossKills: (scoreWindow.bossKills ?? 0) * weights.bossKills,
  };
  const score = round1(
    breakdown.messages + breakdown.xp + breakdown.ehp + breakdown.ehb + breakdown.bossKills,
  );
  const scoreBreakdown = {
    messages: round1(breakdown.messages),
    xp: round1(breakdown.xp),
    ehp: round1(breakdown.ehp),
    ehb: round1(breakdown.ehb),
    bossKills: round1(breakdown.bossKills),
  };

  // Lifetime values: at least every gain, plus what came before.
  let currentValues: SyntheticClanDataMember['current'] = null;
  if (current !== null) {
    const allXp = Math.max(...MEMBER_WINDOW_KEYS.map((key) => windows[key].xp ?? 0));
    const lifetimeXp = Math.min(
      4_600_000_000,
      allXp + Math.round(random.float(2_000_000, 250_000_000) * (plan.known ? 2 : 1)),
    );
    let totalKills = 0;
    bossGains.forEach(([, amounts], position) => {
      const kills = sumOf(amounts) + random.int(0, 800);
      const row = figures.bosses[position];
      if (row !== undefined) row[5] = kills;
      totalKills += kills;
    });
    currentValues = {
      takenAt: current.takenAtIso,
      xp: lifetimeXp,
      ehp: round2(lifetimeXp / plan.xpPerEhp),
      ehb: round2(totalKills / plan.killsPerEhb),
    };
  }

  const member: SyntheticClanDataMember = {
    playerId: plan.playerId,
    username: plan.username,
    displayName: plan.displayName,
    role: plan.role,
    joinedAt: iso(joinedAt),
    formerNames: plan.formerNames,
    discordUserIds: plan.discordUsers.map((user) => user.userId),
    discordUsers: plan.discordUsers,
    tenureDays,
    lastActiveAt: isoOrNull(lastActiveAt),
    lastProgressedAt: lastProgressedIso,
    lastDiscordMessageAt: lastDiscordIso,
    lastClanChatAt: lastClanChatIso,
    status,
    inactivity: { thresholdDays, exemptBy, summary, signals },
    score,
    scoreIncomplete: scoreWindow.xp === null,
    scoreBreakdown,
    rankUp: rankUpFor(rules, plan, tenureDays, score),
    windows,
    windowSources,
    weekly: { messages: discord.weekly, clanChatMessages: chat.weekly },
    current: currentValues,
  };
  return { member, figures };
}

/** Events of a member: joining, promotions up the ladder, name changes. */
function memberEvents(
  random: Random,
  member: SyntheticClanDataMember,
  asOf: number,
  events: SyntheticClanDataEvent[],
): void {
  const joinedAt = Date.parse(member.joinedAt);
  const rung = LADDER.findIndex((step) => step.role === member.role);
  const promoted = rung > 0 && member.tenureDays > 30;
  events.push({
    type: 'joined',
    playerId: member.playerId,
    at: member.joinedAt,
    role: promoted ? 'recruit' : member.role,
    origin: random.chance(0.9) ? 'activity' : 'membership',
  });
  if (promoted) {
    // One promotion per rung, spread over the membership.
    for (let step = 1; step <= rung; step++) {
      events.push({
        type: 'changed_role',
        playerId: member.playerId,
        at: iso(joinedAt + ((asOf - joinedAt) * step) / (rung + 1.5)),
        role: LADDER[step]?.role ?? null,
        previousRole: LADDER[step - 1]?.role ?? null,
        origin: 'activity',
      });
    }
  }
  nameChanges(random, member, asOf, events);
}

/** `name_changed` events from the oldest former name to the current one, inside the membership. */
function nameChanges(
  random: Random,
  identity: { playerId: number; displayName: string; formerNames: string[]; joinedAt: string },
  until: number,
  events: SyntheticClanDataEvent[],
): void {
  const names = [identity.displayName, ...identity.formerNames];
  const joinedAt = Date.parse(identity.joinedAt);
  for (let index = 0; index < identity.formerNames.length; index++) {
    // Most recent change first: names[index + 1] → names[index].
    const share = (index + 1) / (identity.formerNames.length + 1);
    events.push({
      type: 'name_changed',
      playerId: identity.playerId,
      at: iso(Math.round(until - (until - joinedAt) * share * random.float(0.8, 1))),
      oldName: names[index + 1] ?? '',
      newName: names[index] ?? '',
      origin: 'name_change',
    });
  }
}

/** Splits `total` over `weights` (≥ 0) exactly: floors, then the largest remainders get one more. */
function distribute(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((acc, weight) => acc + weight, 0);
  if (total <= 0 || sum <= 0) return weights.map(() => 0);
  const shares = weights.map((weight) => (total * weight) / sum);
  const result = shares.map(Math.floor);
  let left = total - result.reduce((acc, value) => acc + value, 0);
  const order = shares
    .map((share, index) => [share - Math.floor(share), index] as const)
    .sort((left, right) => right[0] - left[0] || left[1] - right[1]);
  for (const [, index] of order) {
    if (left <= 0) break;
    result[index] = (result[index] ?? 0) + 1;
    left--;
  }
  return result;
}

/** The UTC offset (ms) of `timeZone` at `instant`. */
function offsetAt(format: Intl.DateTimeFormat, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return local - Math.floor(instant / 1000) * 1000;
}

/** The daily series: 365 local days ending with `asOf`'s day. */
function dailySeries(
  random: Random,
  asOf: number,
  timezone: string,
  messagesPerDayAgo: (daysAgo: number) => number,
  xpPerDayAgo: (daysAgo: number) => number,
  trackedJoinedBefore: (daysAgo: number) => number,
): SyntheticDailyPoint[] {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const localMidnight = (dateUtc: number): number => {
    const guess = dateUtc - offsetAt(format, dateUtc);
    return dateUtc - offsetAt(format, guess);
  };
  const localAsOf = asOf + offsetAt(format, asOf);
  const lastDate = localAsOf - (((localAsOf % DAY) + DAY) % DAY);
  const points: SyntheticDailyPoint[] = [];
  for (let index = 0; index < 365; index++) {
    const date = lastDate - (364 - index) * DAY;
    const startAt = localMidnight(date);
    const endAt = localMidnight(date + DAY);
    const hours = Math.round((endAt - startAt) / HOUR);
    const weekday = (new Date(date).getUTCDay() + 6) % 7;
    const dayWeight = (DAY_WEIGHTS[weekday] ?? MEAN_DAY_WEIGHT) / MEAN_DAY_WEIGHT;
    let messages = 0;
    let xp = 0;
    for (let hour = 0; hour < hours; hour++) {
      const at = startAt + hour * HOUR + HOUR / 2;
      if (at > asOf) break;
      const daysAgo = (asOf - at) / DAY;
      const weight =
        (CHAT_WEIGHTS[weekday]?.[Math.min(23, hour)] ?? 1) / ((DAY_WEIGHTS[weekday] ?? 24) / 24);
      messages += (messagesPerDayAgo(daysAgo) / 24) * weight * dayWeight;
      xp += (xpPerDayAgo(daysAgo) / 24) * dayWeight;
    }
    // The first two weeks are before the first harvest: XP unknown.
    const measured = index >= 14;
    const daysAgo = (asOf - startAt) / DAY;
    points.push({
      date: new Date(date).toISOString().slice(0, 10),
      startAt: iso(startAt),
      hours,
      xp: measured ? Math.round(xp * random.float(0.9, 1.1)) : 0,
      xpMembers: measured
        ? Math.round(trackedJoinedBefore(Math.max(0, daysAgo)) * random.float(0.7, 0.95))
        : 0,
      messages: Math.max(0, Math.round(messages * random.float(0.9, 1.1))),
    });
  }
  return points;
}

/**
 * Creates a large, deterministic, internally consistent `clan_data.json` v1 document (the
 * `ClanDataV1` shape of `@clanstats/clan-model`, plus `weeks`, `heatmap.windows` and each member's
 * `weekly`), for reports, dashboards, their tests and benchmarks. 5,000 members take well under a
 * second.
 *
 * - `members[0]` is the known member: `Zezima` (player id 1000), role `captain`, 800 days'
 *   tenure, active, tracked, one confirmed Discord account (`700000000000000000`, `zezima`),
 *   former name `Zezima Old`, skills and bosses gained in every window, suggested for `general`.
 * - `members[1]` is the owner `Lynx Titan` (exempt by role); `members[2]` is `Iron Hyger` (exempt
 *   by name).
 * - With `hostileNames`, for each `k` of {@link HOSTILE_NAMES}: member `3 + k` is named
 *   `HOSTILE_NAMES[k]`; member `3 + n + k` (n = the list's length) has a Discord account whose
 *   global name is `HOSTILE_NAMES[k]` and nickname the next one; member `3 + 2n + k` has it as a
 *   former name (with its `name_changed` event); unmatched Discord user `k` (before sorting) has it
 *   as global name; and one channel is named after it. Members beyond the clan's size are skipped;
 *   the unmatched users and channels always carry every name.
 * - Totals are the sums of the members' windows; boss highlights, records, rank-ups, statuses and
 *   coverage are derived from the members as the clan model derives them; windows nest (7d ≤ 30d ≤
 *   90d ≤ 365d); the heatmap's windows nest cell by cell and sum to the clan's messages.
 *
 * @throws {@link TestkitError} `INVALID_OPTIONS` naming the option at fault.
 * @example
 * ```ts
 * const data = createSyntheticClanData({ members: 500 });
 * data.members[0]?.displayName; // 'Zezima'
 * ```
 */
export function createSyntheticClanData(options: SyntheticClanDataOptions = {}): SyntheticClanData {
  const resolved = resolveOptions(options);
  const { asOf, timezone } = resolved;
  const hostile = resolved.hostileNames ? HOSTILE_NAMES : [];
  const root = createRandom(resolved.seed);
  const rules: SyntheticClanDataRules = {
    score: { window: '30d', weights: { messages: 6, xp: 1, ehp: 0, ehb: 0, bossKills: 3 } },
    inactivity: {
      days: 60,
      roleDays: { recruit: 30 },
      exemptRoles: ['owner'],
      exemptNames: [EXEMPT_NAME],
    },
    ranks: LADDER.map((rung) => ({ ...rung })),
  };

  // Members.
  const plans = planMembers(root.fork(1), resolved.members, hostile);
  const memberRandom = root.fork(2);
  const context: BuildContext = {
    asOf,
    asOfIso: iso(asOf),
    sinceIso: {
      '7d': iso(asOf - 7 * DAY),
      '30d': iso(asOf - 30 * DAY),
      '90d': iso(asOf - 90 * DAY),
      '365d': iso(asOf - 365 * DAY),
    },
    rules,
    exemptNames: new Set(rules.inactivity.exemptNames.map(standardizeUsername)),
  };
  const members: SyntheticClanDataMember[] = [];
  const figures: MemberFigures[] = [];
  for (const plan of plans) {
    const built = buildMember(memberRandom.fork(plan.index + 1), plan, context);
    members.push(built.member);
    figures.push(built.figures);
  }

  // Former members: left within the last year, most recent leaver first.
  const formerRandom = root.fork(3);
  const formerCount = Math.max(2, Math.round(resolved.members * 0.1));
  const formerMembers: SyntheticClanDataFormerMember[] = [];
  for (let index = 0; index < formerCount; index++) {
    const random = formerRandom.fork(index + 1);
    const displayName = generateDisplayName(random);
    const leftAt = Math.round(asOf - random.float(0.5, 360) * DAY);
    const joinedAt = Math.round(leftAt - random.float(3, 900) * DAY);
    const discordUsers = random.chance(0.5)
      ? [discordUserOf(random, snowflake('71', index), displayName, 'nickname')]
      : [];
    formerMembers.push({
      playerId: 500_000 + index,
      username: standardizeUsername(displayName),
      displayName,
      role: LADDER[random.int(0, 3)]?.role ?? 'recruit',
      joinedAt: iso(joinedAt),
      formerNames: random.chance(0.15) ? [generateDisplayName(random)] : [],
      discordUserIds: discordUsers.map((user) => user.userId),
      discordUsers,
      leftAt: iso(leftAt),
    });
  }
  formerMembers.sort((left, right) => right.leftAt.localeCompare(left.leftAt));

  // Events, oldest first.
  const eventRandom = root.fork(4);
  const events: SyntheticClanDataEvent[] = [];
  for (const member of members) memberEvents(eventRandom, member, asOf, events);
  for (const former of formerMembers) {
    events.push({
      type: 'joined',
      playerId: former.playerId,
      at: former.joinedAt,
      role: 'recruit',
      origin: 'activity',
    });
    nameChanges(eventRandom, former, Date.parse(former.leftAt), events);
    events.push({
      type: 'left',
      playerId: former.playerId,
      at: former.leftAt,
      origin: eventRandom.chance(0.85) ? 'activity' : 'membership',
    });
  }
  // ISO instants of one format sort as text.
  events.sort((left, right) =>
    left.at < right.at ? -1 : left.at > right.at ? 1 : left.playerId - right.playerId,
  );

  // Totals.
  const totals = {} as Record<SyntheticWindowKey, SyntheticClanWindowTotals>;
  for (const key of WINDOW_KEYS) {
    const total: SyntheticClanWindowTotals = {
      xp: 0,
      ehp: 0,
      ehb: 0,
      bossKills: 0,
      levels: 0,
      messages: 0,
      clanChatMessages: 0,
      questions: 0,
      answers: 0,
      membersWithGains: 0,
      membersMissingBaseline: 0,
      sources: { snapshots: 0, wom: 0, since_first_snapshot: 0 },
    };
    let ehpCents = 0;
    let ehbCents = 0;
    for (const member of members) {
      const window = member.windows[key];
      total.messages += window.messages;
      total.clanChatMessages += window.clanChatMessages;
      total.questions += window.questions;
      total.answers += window.answers;
      const source = member.windowSources[key].source;
      if (window.xp === null || source === null) {
        total.membersMissingBaseline++;
        continue;
      }
      total.membersWithGains++;
      total.sources[source]++;
      total.xp += window.xp;
      ehpCents += Math.round((window.ehp ?? 0) * 100);
      ehbCents += Math.round((window.ehb ?? 0) * 100);
      total.bossKills += window.bossKills ?? 0;
      total.levels += window.levels ?? 0;
    }
    total.ehp = ehpCents / 100;
    total.ehb = ehbCents / 100;
    totals[key] = total;
  }

  // Bosses: per window, every boss with kills, with its top killer; records from current counts.
  // Columns 1–4: the windows' sums, 5: the record; per boss, and the member holding each top.
  const bossSums = Array.from({ length: 6 }, () => new Float64Array(ALL_BOSSES.length));
  const bossTops = Array.from({ length: 6 }, () => new Float64Array(ALL_BOSSES.length));
  const bossHolders = Array.from({ length: 6 }, () => new Int32Array(ALL_BOSSES.length).fill(-1));
  figures.forEach((memberFigures, index) => {
    for (const row of memberFigures.bosses) {
      const boss = row[0];
      for (let column = 1; column <= 5; column++) {
        const kills = row[column] ?? 0;
        const sums = bossSums[column] as Float64Array;
        const tops = bossTops[column] as Float64Array;
        sums[boss] = (sums[boss] ?? 0) + kills;
        // Members come in player id order: ties keep the lower id.
        if (kills > (tops[boss] ?? 0)) {
          tops[boss] = kills;
          (bossHolders[column] as Int32Array)[boss] = index;
        }
      }
    }
  });
  const bossWindows = {} as Record<SyntheticWindowKey, SyntheticBossHighlight[]>;
  WINDOW_KEYS.forEach((key, position) => {
    const column = position + 1;
    const highlights: SyntheticBossHighlight[] = [];
    ALL_BOSSES.forEach((boss, bossIndex) => {
      const holder = members[bossHolders[column]?.[bossIndex] ?? -1];
      const kills = bossSums[column]?.[bossIndex] ?? 0;
      if (kills > 0 && holder !== undefined) {
        highlights.push({
          boss,
          kills,
          topKiller: {
            playerId: holder.playerId,
            displayName: holder.displayName,
            kills: bossTops[column]?.[bossIndex] ?? 0,
          },
        });
      }
    });
    highlights.sort((left, right) => right.kills - left.kills || (left.boss < right.boss ? -1 : 1));
    bossWindows[key] = highlights;
  });
  const records: SyntheticBossRecord[] = [];
  ALL_BOSSES.forEach((boss, bossIndex) => {
    const holder = members[bossHolders[5]?.[bossIndex] ?? -1];
    if (holder !== undefined) {
      records.push({
        boss,
        kills: bossTops[5]?.[bossIndex] ?? 0,
        holder: { playerId: holder.playerId, displayName: holder.displayName },
      });
    }
  });

  // Rank-ups: the members' suggestions, highest score first.
  const rankUps = members
    .map((member) => member.rankUp)
    .filter((rankUp): rankUp is SyntheticRankUpSuggestion => rankUp !== null)
    .sort((left, right) => right.score - left.score || left.playerId - right.playerId)
    .map((rankUp) => ({ ...rankUp }));

  // Unmatched Discord authors of the last 30 days.
  const unmatchedRandom = root.fork(5);
  const unlinked = members.filter((member) => member.discordUsers.length === 0);
  const unmatchedCount = Math.max(hostile.length + 4, Math.round(resolved.members * 0.06));
  const unmatchedDiscord: SyntheticUnmatchedDiscordUser[] = [];
  for (let index = 0; index < unmatchedCount; index++) {
    const random = unmatchedRandom.fork(index + 1);
    const m7 = random.chance(0.5) ? random.int(1, 25) : 0;
    const m30 = m7 + random.int(m7 === 0 ? 1 : 0, 40);
    const m90 = m30 + random.int(0, 80);
    const m365 = m90 + random.int(0, 200);
    const handle = generateDisplayName(random);
    const user: SyntheticUnmatchedDiscordUser = {
      userId: snowflake('72', index),
      username: random.chance(0.05) ? null : generateDiscordUsername(random, handle),
      globalName: generateGlobalName(random, handle),
      nickname: generateNickname(random, handle),
      messages: { '7d': m7, '30d': m30, '90d': m90, '365d': m365 },
      lastMessageAt: iso(
        Math.round(asOf - (m7 > 0 ? random.float(0, 7) : random.float(7, 30)) * DAY),
      ),
      suggestions: [],
      ambiguousPlayerIds: [],
    };
    const hostileName = hostile[index];
    // After the hostile ones: every 4th user's global name is an unlinked member's name (a
    // suggestion), every 4th names two (ambiguous).
    const plain = index - hostile.length;
    const pick = (offset: number): SyntheticClanDataMember =>
      unlinked[(Math.floor(plain / 4) + offset) % unlinked.length] as SyntheticClanDataMember;
    if (hostileName !== undefined) {
      user.globalName = hostileName;
      user.nickname = hostile[(index + 5) % hostile.length] ?? hostileName;
    } else if (plain % 4 === 1 && unlinked.length > 0) {
      const target = pick(0);
      user.globalName = target.displayName;
      user.suggestions.push({
        playerId: target.playerId,
        displayName: target.displayName,
        matchedName: target.displayName,
        via: 'globalName',
      });
    } else if (plain % 4 === 3 && unlinked.length > 1) {
      const first = pick(0);
      const second = pick(1);
      user.globalName = first.displayName;
      user.nickname = second.displayName;
      user.ambiguousPlayerIds = [first.playerId, second.playerId].sort(
        (left, right) => left - right,
      );
    }
    unmatchedDiscord.push(user);
  }
  unmatchedDiscord.sort(
    (left, right) =>
      right.messages['30d'] - left.messages['30d'] || left.userId.localeCompare(right.userId),
  );
  const unmatchedSums = {} as Record<SyntheticWindowKey, number>;
  for (const key of WINDOW_KEYS) {
    unmatchedSums[key] = unmatchedDiscord.reduce((sum, user) => sum + user.messages[key], 0);
  }
  const unmatchedTotals = (key: SyntheticWindowKey): number => unmatchedSums[key];

  // Channels: every Discord message (members' and unmatched) distributed over them, per band.
  const channelRandom = root.fork(6);
  const channelCount = Math.max(
    hostile.length + 6,
    Math.min(60, 8 + Math.round(resolved.members / 25)),
  );
  const channelWeights: number[] = [];
  const channelShells: Array<Omit<SyntheticChannelActivity, 'windows'>> = [];
  let lastParent = snowflake('81', 0);
  for (let index = 0; index < channelCount; index++) {
    const channelId = snowflake('81', index);
    const isThread = index % 5 === 4;
    const hostileName = index >= 2 ? hostile[index - 2] : undefined;
    const name =
      index === 0
        ? 'general'
        : index === 1
          ? 'osrs-clan-chat'
          : (hostileName ??
            (isThread
              ? `thread-${index}`
              : `${CHANNEL_NAMES[index % CHANNEL_NAMES.length] ?? 'channel'}${index >= CHANNEL_NAMES.length ? `-${index}` : ''}`));
    channelShells.push({
      channelId,
      name,
      parentId: isThread ? lastParent : index % 3 === 0 ? null : snowflake('80', index % 4),
      isThread,
    });
    if (!isThread) lastParent = channelId;
    channelWeights.push(
      index === 0
        ? 25
        : index === 1
          ? 12
          : isThread
            ? channelRandom.float(0.1, 1)
            : channelRandom.float(0.5, 6),
    );
  }
  const bandSplit = (windowTotal: (key: SyntheticWindowKey) => number): number[][] => {
    // Per window, the cumulative split of its band deltas.
    let previous = 0;
    let cumulative = channelWeights.map(() => 0);
    const perWindow: number[][] = [];
    for (const key of WINDOW_KEYS) {
      const value = windowTotal(key);
      const band = distribute(Math.max(0, value - previous), channelWeights);
      cumulative = cumulative.map((sum, index) => sum + (band[index] ?? 0));
      perWindow.push(cumulative);
      previous = Math.max(previous, value);
    }
    return perWindow;
  };
  const channelMessages = bandSplit((key) => totals[key].messages + unmatchedTotals(key));
  const channelQuestions = bandSplit((key) => totals[key].questions);
  const channelAnswers = bandSplit((key) => totals[key].answers);
  const channels: SyntheticChannelActivity[] = channelShells.map((shell, index) => {
    const medianBase = channelRandom.float(5 * MINUTE, 8 * HOUR);
    const windows = {} as Record<SyntheticWindowKey, SyntheticChannelWindow>;
    WINDOW_KEYS.forEach((key, position) => {
      const messages = channelMessages[position]?.[index] ?? 0;
      const questions = Math.min(messages, channelQuestions[position]?.[index] ?? 0);
      windows[key] = {
        messages,
        questions,
        answers: Math.min(messages - questions, channelAnswers[position]?.[index] ?? 0),
        medianAnswerMs:
          questions === 0 ? null : Math.round(medianBase * channelRandom.float(0.8, 1.25)),
      };
    });
    return { ...shell, windows };
  });
  channels.sort(
    (left, right) =>
      right.windows['30d'].messages - left.windows['30d'].messages ||
      left.name.localeCompare(right.name),
  );

  // Heatmap: the clan's messages (Discord and clan chat, members and unmatched) per window, each
  // band spread over weekday × hour, so longer windows are ≥ shorter ones cell by cell.
  const heatRandom = root.fork(7);
  const clanMessages = (key: SyntheticWindowKey): number =>
    totals[key].messages + totals[key].clanChatMessages + unmatchedTotals(key);
  const heatWindows = {} as SyntheticHeatmap['windows'];
  let heatCells = new Array<number>(168).fill(0);
  let heatPrevious = 0;
  for (const key of WINDOW_KEYS) {
    const value = clanMessages(key);
    const noisy = CHAT_WEIGHTS.flat().map((weight) => weight * heatRandom.float(0.8, 1.2));
    const band = distribute(Math.max(0, value - heatPrevious), noisy);
    heatCells = heatCells.map((cell, index) => cell + (band[index] ?? 0));
    heatPrevious = Math.max(heatPrevious, value);
    heatWindows[key] = {
      since: iso(asOf - WINDOW_DAYS[key] * DAY),
      counts: Array.from({ length: 7 }, (_, weekday) =>
        heatCells.slice(weekday * 24, weekday * 24 + 24),
      ),
    };
  }
  const heatmap: SyntheticHeatmap = {
    timezone,
    since: heatWindows['30d'].since,
    until: iso(asOf),
    counts: heatWindows['30d'].counts.map((row) => [...row]),
    windows: heatWindows,
  };

  // Weeks and the daily series (messages from the weekly counts, XP from the window bands).
  const weeks = Array.from({ length: WEEK_COUNT }, (_, week) =>
    iso(asOf - (WEEK_COUNT - week) * WEEK),
  );
  const weeklyClan = new Array<number>(WEEK_COUNT).fill(0);
  for (const member of members) {
    for (let week = 0; week < WEEK_COUNT; week++) {
      weeklyClan[week] =
        (weeklyClan[week] ?? 0) +
        (member.weekly.messages[week] ?? 0) +
        (member.weekly.clanChatMessages[week] ?? 0);
    }
  }
  const bandStarts = [0, 7, 30, 90, 365];
  const bandRate = (value: (key: SyntheticWindowKey) => number, daysAgo: number): number => {
    for (let band = 0; band < WINDOW_KEYS.length; band++) {
      if (daysAgo < (bandStarts[band + 1] ?? 0)) {
        const key = WINDOW_KEYS[band] as SyntheticWindowKey;
        const shorter = band === 0 ? 0 : value(WINDOW_KEYS[band - 1] as SyntheticWindowKey);
        const days = (bandStarts[band + 1] ?? 0) - (bandStarts[band] ?? 0);
        return Math.max(0, value(key) - shorter) / days;
      }
    }
    return 0;
  };
  const trackedTenures = members
    .filter((member) => member.current !== null)
    .map((member) => (asOf - Date.parse(member.joinedAt)) / DAY)
    .sort((left, right) => left - right);
  const daily = dailySeries(
    root.fork(8),
    asOf,
    timezone,
    (daysAgo) => {
      const week = WEEK_COUNT - 1 - Math.floor(daysAgo / 7);
      const fromMembers = week >= 0 ? (weeklyClan[week] ?? 0) / 7 : (weeklyClan[0] ?? 0) / 7;
      return fromMembers + bandRate(unmatchedTotals, daysAgo);
    },
    (daysAgo) => bandRate((key) => totals[key].xp, daysAgo),
    (daysAgo) => {
      // Tracked members who had joined `daysAgo` days before asOf.
      let low = 0;
      let high = trackedTenures.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((trackedTenures[middle] ?? 0) < daysAgo) low = middle + 1;
        else high = middle;
      }
      return trackedTenures.length - low;
    },
  );

  const membersNotTracked = members.filter((member) => member.current === null).length;
  const membersWithoutDiscord = members.filter((member) => member.discordUsers.length === 0).length;
  const groupRandom = root.fork(9);
  return {
    schemaVersion: 1,
    generatedAt: iso(asOf + MINUTE),
    asOf: iso(asOf),
    timezone,
    group: { id: 10_000 + groupRandom.int(0, 9_999), name: 'Synthetic Clan' },
    rules,
    members,
    formerMembers,
    events,
    totals,
    daily,
    weeks,
    heatmap,
    bosses: { windows: bossWindows, records },
    rankUps,
    unmatchedDiscord,
    channels,
    coverage: { hasClanChat: true, membersNotTracked, membersWithoutDiscord },
  };
}
