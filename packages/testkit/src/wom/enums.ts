/**
 * Wise Old Man v2 enumerations, in the server's own order (`server/src/types/*.enum.ts` at 2.8.52).
 * The order matters: snapshots and player gains serialize metrics in these orders.
 */

/** The 25 skills, in snapshot order. */
export const SKILLS = [
  'overall',
  'attack',
  'defence',
  'strength',
  'hitpoints',
  'ranged',
  'prayer',
  'magic',
  'cooking',
  'woodcutting',
  'fletching',
  'fishing',
  'firemaking',
  'crafting',
  'smithing',
  'mining',
  'herblore',
  'agility',
  'thieving',
  'slayer',
  'farming',
  'runecrafting',
  'hunter',
  'construction',
  'sailing',
] as const;

/** The 71 bosses, in snapshot order (not quite alphabetical, as upstream). */
export const BOSSES = [
  'abyssal_sire',
  'alchemical_hydra',
  'amoxliatl',
  'araxxor',
  'artio',
  'barrows_chests',
  'brutus',
  'bryophyta',
  'callisto',
  'calvarion',
  'cerberus',
  'chambers_of_xeric',
  'chambers_of_xeric_challenge_mode',
  'chaos_elemental',
  'chaos_fanatic',
  'commander_zilyana',
  'corporeal_beast',
  'crazy_archaeologist',
  'dagannoth_prime',
  'dagannoth_rex',
  'dagannoth_supreme',
  'deranged_archaeologist',
  'doom_of_mokhaiotl',
  'duke_sucellus',
  'general_graardor',
  'giant_mole',
  'grotesque_guardians',
  'hespori',
  'kalphite_queen',
  'king_black_dragon',
  'kraken',
  'kreearra',
  'kril_tsutsaroth',
  'lunar_chests',
  'mad_angel',
  'maggot_king',
  'mimic',
  'nex',
  'nightmare',
  'phosanis_nightmare',
  'obor',
  'phantom_muspah',
  'sarachnis',
  'scorpia',
  'scurrius',
  'shellbane_gryphon',
  'skotizo',
  'sol_heredit',
  'spindel',
  'tempoross',
  'the_gauntlet',
  'the_corrupted_gauntlet',
  'the_hueycoatl',
  'the_leviathan',
  'the_royal_titans',
  'the_whisperer',
  'theatre_of_blood',
  'theatre_of_blood_hard_mode',
  'thermonuclear_smoke_devil',
  'tombs_of_amascut',
  'tombs_of_amascut_expert',
  'tzkal_zuk',
  'tztok_jad',
  'vardorvis',
  'venenatis',
  'vetion',
  'vorkath',
  'wintertodt',
  'yama',
  'zalcano',
  'zulrah',
] as const;

/** The 15 activities, in snapshot order. */
export const ACTIVITIES = [
  'bounty_hunter_hunter',
  'bounty_hunter_rogue',
  'clue_scrolls_all',
  'clue_scrolls_beginner',
  'clue_scrolls_easy',
  'clue_scrolls_medium',
  'clue_scrolls_hard',
  'clue_scrolls_elite',
  'clue_scrolls_master',
  'last_man_standing',
  'pvp_arena',
  'soul_wars_zeal',
  'guardians_of_the_rift',
  'colosseum_glory',
  'collections_logged',
] as const;

/** The 2 computed metrics. */
export const COMPUTED_METRICS = ['ehp', 'ehb'] as const;

/** A skill key. */
export type Skill = (typeof SKILLS)[number];
/** A boss key. */
export type Boss = (typeof BOSSES)[number];
/** An activity key. */
export type Activity = (typeof ACTIVITIES)[number];
/** A computed metric key. */
export type ComputedMetric = (typeof COMPUTED_METRICS)[number];
/** Any of the 113 metrics. */
export type Metric = Skill | Boss | Activity | ComputedMetric;

/**
 * All 113 metrics in the server's `METRICS` order: skills, then activities, then bosses, then
 * computed. This is the order of `bulk-gained` rows (snapshots group bosses before activities).
 */
export const METRICS: readonly Metric[] = [
  ...SKILLS,
  ...ACTIVITIES,
  ...BOSSES,
  ...COMPUTED_METRICS,
];

/** The category of a metric (WOM's `MetricType`). */
export type MetricType = 'skill' | 'boss' | 'activity' | 'computed';

/** The field holding a metric's value (WOM's `MetricMeasure`, without `levels`). */
export type MetricMeasure = 'experience' | 'kills' | 'score' | 'value';

const skillSet: ReadonlySet<string> = new Set(SKILLS);
const bossSet: ReadonlySet<string> = new Set(BOSSES);
const activitySet: ReadonlySet<string> = new Set(ACTIVITIES);
const metricSet: ReadonlySet<string> = new Set(METRICS);

/** True when `value` is one of the 113 metric keys. */
export function isMetric(value: unknown): value is Metric {
  return typeof value === 'string' && metricSet.has(value);
}
/** True for a skill key. */
export function isSkill(value: string): value is Skill {
  return skillSet.has(value);
}
/** True for a boss key. */
export function isBoss(value: string): value is Boss {
  return bossSet.has(value);
}
/** True for an activity key. */
export function isActivity(value: string): value is Activity {
  return activitySet.has(value);
}

/** The category of a metric. */
export function getMetricType(metric: Metric): MetricType {
  if (skillSet.has(metric)) return 'skill';
  if (bossSet.has(metric)) return 'boss';
  if (activitySet.has(metric)) return 'activity';
  return 'computed';
}

/** The value field of a metric's category. */
export function getMetricMeasure(metric: Metric): MetricMeasure {
  switch (getMetricType(metric)) {
    case 'skill':
      return 'experience';
    case 'boss':
      return 'kills';
    case 'activity':
      return 'score';
    default:
      return 'value';
  }
}

const minimumValues: Partial<Record<Metric, number>> = {
  mimic: 1,
  tzkal_zuk: 1,
  bounty_hunter_hunter: 2,
  bounty_hunter_rogue: 2,
  last_man_standing: 500,
  pvp_arena: 2525,
  soul_wars_zeal: 200,
  guardians_of_the_rift: 2,
  colosseum_glory: 300,
  collections_logged: 500,
  clue_scrolls_all: 1,
  clue_scrolls_beginner: 1,
  clue_scrolls_easy: 1,
  clue_scrolls_medium: 1,
  clue_scrolls_hard: 1,
  clue_scrolls_elite: 1,
  clue_scrolls_master: 1,
};

/**
 * The smallest value the Jagex hiscores rank for a metric (below it they report -1): 5 kills for
 * most bosses, 1 for skills and computed metrics (WOM's `getMinimumValue`).
 */
export function getMinimumValue(metric: Metric): number {
  const special = minimumValues[metric];
  if (special !== undefined) return special;
  return bossSet.has(metric) ? 5 : 1;
}

/** The five fixed periods. */
export const PERIODS = ['five_min', 'day', 'week', 'month', 'year'] as const;
/** A fixed period. */
export type Period = (typeof PERIODS)[number];

/** Duration of each fixed period in milliseconds (`month` is 31 days, `year` 365.2422 days). */
export const PERIOD_DURATIONS: Readonly<Record<Period, number>> = {
  five_min: 300_000,
  day: 86_400_000,
  week: 604_800_000,
  month: 2_678_400_000,
  year: 31_556_926_000,
};

/** Player account types. */
export const PLAYER_TYPES = ['unknown', 'regular', 'ironman', 'hardcore', 'ultimate'] as const;
/** A player account type. */
export type PlayerType = (typeof PLAYER_TYPES)[number];

/** Player builds. */
export const PLAYER_BUILDS = ['main', 'f2p', 'f2p_lvl3', 'lvl3', 'zerker', 'def1', 'hp10'] as const;
/** A player build. */
export type PlayerBuild = (typeof PLAYER_BUILDS)[number];

/** Player statuses. */
export const PLAYER_STATUSES = ['active', 'unranked', 'flagged', 'archived', 'banned'] as const;
/** A player status. */
export type PlayerStatus = (typeof PLAYER_STATUSES)[number];

/** Name change statuses, in enum order. */
export const NAME_CHANGE_STATUSES = ['pending', 'denied', 'approved'] as const;
/** A name change status. */
export type NameChangeStatus = (typeof NAME_CHANGE_STATUSES)[number];

/** Member activity types. */
export type MemberActivityType = 'joined' | 'left' | 'changed_role';

/** Achievement measures. */
export type AchievementMeasure = 'levels' | 'experience' | 'kills' | 'score' | 'value';

/** Competition types. */
export type CompetitionType = 'classic' | 'team';

/** All 269 group roles (`group-role.enum.ts`), lowercase. */
export const GROUP_ROLES = [
  'achiever',
  'adamant',
  'adept',
  'administrator',
  'admiral',
  'adventurer',
  'air',
  'anchor',
  'apothecary',
  'archer',
  'armadylean',
  'artillery',
  'artisan',
  'asgarnian',
  'assassin',
  'assistant',
  'astral',
  'athlete',
  'attacker',
  'bandit',
  'bandosian',
  'barbarian',
  'battlemage',
  'beast',
  'berserker',
  'blisterwood',
  'blood',
  'blue',
  'bob',
  'body',
  'brassican',
  'brawler',
  'brigadier',
  'brigand',
  'bronze',
  'bruiser',
  'bulwark',
  'burglar',
  'burnt',
  'cadet',
  'captain',
  'carry',
  'champion',
  'chaos',
  'cleric',
  'collector',
  'colonel',
  'commander',
  'competitor',
  'completionist',
  'constructor',
  'cook',
  'coordinator',
  'corporal',
  'cosmic',
  'councillor',
  'crafter',
  'crew',
  'crusader',
  'cutpurse',
  'death',
  'defender',
  'defiler',
  'deputy_owner',
  'destroyer',
  'diamond',
  'diseased',
  'doctor',
  'dogsbody',
  'dragon',
  'dragonstone',
  'druid',
  'duellist',
  'earth',
  'elite',
  'emerald',
  'enforcer',
  'epic',
  'executive',
  'expert',
  'explorer',
  'farmer',
  'feeder',
  'fighter',
  'fire',
  'firemaker',
  'firestarter',
  'fisher',
  'fletcher',
  'forager',
  'fremennik',
  'gamer',
  'gatherer',
  'general',
  'gnome_child',
  'gnome_elder',
  'goblin',
  'gold',
  'goon',
  'green',
  'grey',
  'guardian',
  'guthixian',
  'harpoon',
  'healer',
  'hellcat',
  'helper',
  'herbologist',
  'hero',
  'holy',
  'hoarder',
  'hunter',
  'ignitor',
  'illusionist',
  'imp',
  'infantry',
  'inquisitor',
  'iron',
  'jade',
  'justiciar',
  'kandarin',
  'karamjan',
  'kharidian',
  'kitten',
  'knight',
  'labourer',
  'law',
  'leader',
  'learner',
  'legacy',
  'legend',
  'legionnaire',
  'lieutenant',
  'looter',
  'lumberjack',
  'magic',
  'magician',
  'major',
  'maple',
  'marshal',
  'master',
  'maxed',
  'mediator',
  'medic',
  'mentor',
  'member',
  'merchant',
  'mind',
  'miner',
  'minion',
  'misthalinian',
  'mithril',
  'moderator',
  'monarch',
  'morytanian',
  'mystic',
  'myth',
  'natural',
  'nature',
  'necromancer',
  'ninja',
  'noble',
  'novice',
  'nurse',
  'oak',
  'officer',
  'onyx',
  'opal',
  'oracle',
  'orange',
  'owner',
  'page',
  'paladin',
  'pawn',
  'pilgrim',
  'pine',
  'pink',
  'prefect',
  'priest',
  'private',
  'prodigy',
  'proselyte',
  'prospector',
  'protector',
  'pure',
  'purple',
  'pyromancer',
  'quester',
  'racer',
  'raider',
  'ranger',
  'record_chaser',
  'recruit',
  'recruiter',
  'red_topaz',
  'red',
  'rogue',
  'ruby',
  'rune',
  'runecrafter',
  'sage',
  'sapphire',
  'saradominist',
  'saviour',
  'scavenger',
  'scholar',
  'scourge',
  'scout',
  'scribe',
  'seer',
  'senator',
  'sentry',
  'serenist',
  'sergeant',
  'shaman',
  'sheriff',
  'short_green_guy',
  'skiller',
  'skulled',
  'slayer',
  'smiter',
  'smith',
  'smuggler',
  'sniper',
  'soul',
  'specialist',
  'speed_runner',
  'spellcaster',
  'squire',
  'staff',
  'steel',
  'strider',
  'striker',
  'summoner',
  'superior',
  'supervisor',
  'teacher',
  'templar',
  'therapist',
  'thief',
  'tirannian',
  'trialist',
  'trickster',
  'tzkal',
  'tztok',
  'unholy',
  'vagrant',
  'vanguard',
  'walker',
  'wanderer',
  'warden',
  'warlock',
  'warrior',
  'water',
  'wild',
  'willow',
  'wily',
  'wintumber',
  'witch',
  'wizard',
  'worker',
  'wrath',
  'xerician',
  'yellow',
  'yew',
  'zamorakian',
  'zarosian',
  'zealot',
  'zenyte',
] as const;
/** A group role. */
export type GroupRole = (typeof GROUP_ROLES)[number];

/** The roles WOM treats as privileged, in its member-sorting priority order. */
export const PRIVILEGED_GROUP_ROLES: readonly GroupRole[] = [
  'administrator',
  'owner',
  'leader',
  'deputy_owner',
  'moderator',
];
