// Lists generated from the WOM server's server/src/types/*.enum.ts (server 2.8.52) and checked
// against @wise-old-man/utils 4.0.24 in enums.test.ts.

/** The 25 skills, in hiscores order (`overall` first). */
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

/** The 15 activities (minigames, clue scrolls, collections), in hiscores order. */
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

/**
 * The 71 bosses, in the order the server serializes them (the key order of
 * `snapshot.data.bosses`). It is not quite alphabetical (`phosanis_nightmare` comes before `obor`).
 */
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

/** The 269 group roles, alphabetical as on the server. New members get `member`. */
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

/**
 * The 253 country codes a player may carry: uppercase ISO 3166-1 alpha-2, plus the UK
 * constituents `GB_ENG`, `GB_NIR`, `GB_SCT` and `GB_WLS` (with an underscore).
 */
export const COUNTRY_CODES = [
  'AD',
  'AE',
  'AF',
  'AG',
  'AI',
  'AL',
  'AM',
  'AO',
  'AQ',
  'AR',
  'AS',
  'AT',
  'AU',
  'AW',
  'AX',
  'AZ',
  'BA',
  'BB',
  'BD',
  'BE',
  'BF',
  'BG',
  'BH',
  'BI',
  'BJ',
  'BL',
  'BM',
  'BN',
  'BO',
  'BQ',
  'BR',
  'BS',
  'BT',
  'BV',
  'BW',
  'BY',
  'BZ',
  'CA',
  'CC',
  'CD',
  'CF',
  'CG',
  'CH',
  'CI',
  'CK',
  'CL',
  'CM',
  'CN',
  'CO',
  'CR',
  'CU',
  'CV',
  'CW',
  'CX',
  'CY',
  'CZ',
  'DE',
  'DJ',
  'DK',
  'DM',
  'DO',
  'DZ',
  'EC',
  'EE',
  'EG',
  'EH',
  'ER',
  'ES',
  'ET',
  'FI',
  'FJ',
  'FK',
  'FM',
  'FO',
  'FR',
  'GA',
  'GB',
  'GB_ENG',
  'GB_NIR',
  'GB_SCT',
  'GB_WLS',
  'GD',
  'GE',
  'GF',
  'GG',
  'GH',
  'GI',
  'GL',
  'GM',
  'GN',
  'GP',
  'GQ',
  'GR',
  'GS',
  'GT',
  'GU',
  'GW',
  'GY',
  'HK',
  'HM',
  'HN',
  'HR',
  'HT',
  'HU',
  'ID',
  'IE',
  'IL',
  'IM',
  'IN',
  'IO',
  'IQ',
  'IR',
  'IS',
  'IT',
  'JE',
  'JM',
  'JO',
  'JP',
  'KE',
  'KG',
  'KH',
  'KI',
  'KM',
  'KN',
  'KP',
  'KR',
  'KW',
  'KY',
  'KZ',
  'LA',
  'LB',
  'LC',
  'LI',
  'LK',
  'LR',
  'LS',
  'LT',
  'LU',
  'LV',
  'LY',
  'MA',
  'MC',
  'MD',
  'ME',
  'MF',
  'MG',
  'MH',
  'MK',
  'ML',
  'MM',
  'MN',
  'MO',
  'MP',
  'MQ',
  'MR',
  'MS',
  'MT',
  'MU',
  'MV',
  'MW',
  'MX',
  'MY',
  'MZ',
  'NA',
  'NC',
  'NE',
  'NF',
  'NG',
  'NI',
  'NL',
  'NO',
  'NP',
  'NR',
  'NU',
  'NZ',
  'OM',
  'PA',
  'PE',
  'PF',
  'PG',
  'PH',
  'PK',
  'PL',
  'PM',
  'PN',
  'PR',
  'PS',
  'PT',
  'PW',
  'PY',
  'QA',
  'RE',
  'RO',
  'RS',
  'RU',
  'RW',
  'SA',
  'SB',
  'SC',
  'SD',
  'SE',
  'SG',
  'SH',
  'SI',
  'SJ',
  'SK',
  'SL',
  'SM',
  'SN',
  'SO',
  'SR',
  'SS',
  'ST',
  'SV',
  'SX',
  'SY',
  'SZ',
  'TC',
  'TD',
  'TF',
  'TG',
  'TH',
  'TJ',
  'TK',
  'TL',
  'TM',
  'TN',
  'TO',
  'TR',
  'TT',
  'TV',
  'TW',
  'TZ',
  'UA',
  'UG',
  'UM',
  'US',
  'UY',
  'UZ',
  'VA',
  'VC',
  'VE',
  'VG',
  'VI',
  'VN',
  'VU',
  'WF',
  'WS',
  'YE',
  'YT',
  'ZA',
  'ZM',
  'ZW',
] as const;

/** The 2 computed metrics: efficient hours played and efficient hours bossed. */
export const COMPUTED_METRICS = ['ehp', 'ehb'] as const;

/**
 * All 113 metrics in the server's `METRICS` order: skills, then activities, then bosses, then
 * computed metrics. This is the order of the `data` array of `bulk-gained` rows. (Snapshot and
 * player-gains maps are grouped differently: skills, bosses, activities, computed.)
 */
export const METRICS = [...SKILLS, ...ACTIVITIES, ...BOSSES, ...COMPUTED_METRICS] as const;

/** One of {@link SKILLS}. */
export type Skill = (typeof SKILLS)[number];
/** One of {@link ACTIVITIES}. */
export type Activity = (typeof ACTIVITIES)[number];
/** One of {@link BOSSES}. */
export type Boss = (typeof BOSSES)[number];
/** One of {@link COMPUTED_METRICS}. */
export type ComputedMetric = (typeof COMPUTED_METRICS)[number];
/** One of the 113 {@link METRICS} this version knows. */
export type Metric = (typeof METRICS)[number];

/**
 * A metric name as it arrives from the server: one of {@link METRICS}, or a metric added to Wise
 * Old Man after this version was published. Response fields that name a metric use this type, so
 * a newer server never breaks your code; narrow with {@link isMetric}. Editors still complete the
 * known names.
 */
export type AnyMetric = Metric | (string & Record<never, never>);

/** The four metric categories. */
export const METRIC_TYPES = ['skill', 'boss', 'activity', 'computed'] as const;
/** One of {@link METRIC_TYPES}. */
export type MetricType = (typeof METRIC_TYPES)[number];

/**
 * The field that holds a metric's value in snapshots and hiscores: `experience` for skills,
 * `kills` for bosses, `score` for activities, `value` for computed metrics.
 */
export type MetricMeasure = 'experience' | 'kills' | 'score' | 'value';

/** What an achievement's threshold counts: a metric's measure, or `levels` for "Base N Stats". */
export const ACHIEVEMENT_MEASURES = ['levels', 'experience', 'kills', 'score', 'value'] as const;
/** One of {@link ACHIEVEMENT_MEASURES}. */
export type AchievementMeasure = (typeof ACHIEVEMENT_MEASURES)[number];

/** The fixed periods, shortest first. */
export const PERIODS = ['five_min', 'day', 'week', 'month', 'year'] as const;
/** One of {@link PERIODS}. */
export type Period = (typeof PERIODS)[number];

/**
 * The length of each {@link Period} in milliseconds, as the server computes it. A `month` is 31
 * days and a `year` is 365.2422 days.
 */
export const PERIOD_DURATIONS: Readonly<Record<Period, number>> = {
  five_min: 300_000,
  day: 86_400_000,
  week: 604_800_000,
  month: 2_678_400_000,
  year: 31_556_926_000,
};

/**
 * A custom period such as `6h`, `3d`, `2w`, `1m2w` or `1y6m`: counts of `y` (years), `m` (31-day
 * months, not minutes), `w`, `d` and `h`, in that order. Accepted by gains, snapshots and
 * timeline endpoints; record endpoints accept only a {@link Period}.
 */
export type PeriodExpression = string & Record<never, never>;

/** One of {@link GROUP_ROLES}. */
export type GroupRole = (typeof GROUP_ROLES)[number];

/** The roles the server sorts first in member lists, in that order. */
export const PRIVILEGED_GROUP_ROLES = [
  'administrator',
  'owner',
  'leader',
  'deputy_owner',
  'moderator',
] as const satisfies readonly GroupRole[];

/** One of {@link COUNTRY_CODES}. */
export type Country = (typeof COUNTRY_CODES)[number];

/**
 * Account types. `unknown` until the first update; group ironmen show as `regular`.
 */
export const PLAYER_TYPES = ['unknown', 'regular', 'ironman', 'hardcore', 'ultimate'] as const;
/** One of {@link PLAYER_TYPES}. */
export type PlayerType = (typeof PLAYER_TYPES)[number];

/** Account builds, derived from stats on each update. The default is `main`. */
export const PLAYER_BUILDS = ['main', 'f2p', 'f2p_lvl3', 'lvl3', 'zerker', 'def1', 'hp10'] as const;
/** One of {@link PLAYER_BUILDS}. */
export type PlayerBuild = (typeof PLAYER_BUILDS)[number];

/** Tracking statuses of a player. */
export const PLAYER_STATUSES = ['active', 'unranked', 'flagged', 'archived', 'banned'] as const;
/** One of {@link PLAYER_STATUSES}. */
export type PlayerStatus = (typeof PLAYER_STATUSES)[number];

/** Flags an administrator can put on a player (opt-outs, blocks). */
export const PLAYER_ANNOTATION_TYPES = [
  'opt_out',
  'opt_out_groups',
  'opt_out_competitions',
  'blocked',
  'fake_f2p',
] as const;
/** One of {@link PLAYER_ANNOTATION_TYPES}. */
export type PlayerAnnotationType = (typeof PLAYER_ANNOTATION_TYPES)[number];

/** Kinds of group member activity. */
export const MEMBER_ACTIVITY_TYPES = ['joined', 'left', 'changed_role'] as const;
/** One of {@link MEMBER_ACTIVITY_TYPES}. */
export type MemberActivityType = (typeof MEMBER_ACTIVITY_TYPES)[number];

/** Review states of a name change. */
export const NAME_CHANGE_STATUSES = ['pending', 'denied', 'approved'] as const;
/** One of {@link NAME_CHANGE_STATUSES}. */
export type NameChangeStatus = (typeof NAME_CHANGE_STATUSES)[number];

/** Competition kinds. */
export const COMPETITION_TYPES = ['classic', 'team'] as const;
/** One of {@link COMPETITION_TYPES}. */
export type CompetitionType = (typeof COMPETITION_TYPES)[number];

/** Competition states, relative to now. */
export const COMPETITION_STATUSES = ['upcoming', 'ongoing', 'finished'] as const;
/** One of {@link COMPETITION_STATUSES}. */
export type CompetitionStatus = (typeof COMPETITION_STATUSES)[number];

function isOneOf<Value extends string>(list: readonly Value[], value: unknown): value is Value {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

/** True if `value` is one of the 113 {@link METRICS} this version knows. */
export function isMetric(value: unknown): value is Metric {
  return isOneOf(METRICS, value);
}

/** True if `value` is a {@link Skill}. */
export function isSkill(value: unknown): value is Skill {
  return isOneOf(SKILLS, value);
}

/** True if `value` is a {@link Boss}. */
export function isBoss(value: unknown): value is Boss {
  return isOneOf(BOSSES, value);
}

/** True if `value` is an {@link Activity}. */
export function isActivity(value: unknown): value is Activity {
  return isOneOf(ACTIVITIES, value);
}

/** True if `value` is a {@link ComputedMetric} (`ehp` or `ehb`). */
export function isComputedMetric(value: unknown): value is ComputedMetric {
  return isOneOf(COMPUTED_METRICS, value);
}

/** True if `value` is one of the fixed {@link PERIODS} (not a custom expression). */
export function isPeriod(value: unknown): value is Period {
  return isOneOf(PERIODS, value);
}

/** True if `value` is a {@link GroupRole}. */
export function isGroupRole(value: unknown): value is GroupRole {
  return isOneOf(GROUP_ROLES, value);
}

/** True if `value` is a {@link Country} code (exact case, e.g. `GB_SCT`; no `UK`/`USA` aliases). */
export function isCountry(value: unknown): value is Country {
  return isOneOf(COUNTRY_CODES, value);
}

/** True if `value` is a {@link PlayerType}. */
export function isPlayerType(value: unknown): value is PlayerType {
  return isOneOf(PLAYER_TYPES, value);
}

/** True if `value` is a {@link PlayerBuild}. */
export function isPlayerBuild(value: unknown): value is PlayerBuild {
  return isOneOf(PLAYER_BUILDS, value);
}

/** True if `value` is a {@link PlayerStatus}. */
export function isPlayerStatus(value: unknown): value is PlayerStatus {
  return isOneOf(PLAYER_STATUSES, value);
}

/**
 * The category of a known metric, or `undefined` for a metric this version does not know.
 * @example `getMetricType('zulrah') // 'boss'`
 */
export function getMetricType(metric: Metric): MetricType;
export function getMetricType(metric: string): MetricType | undefined;
export function getMetricType(metric: string): MetricType | undefined {
  if (isSkill(metric)) return 'skill';
  if (isBoss(metric)) return 'boss';
  if (isActivity(metric)) return 'activity';
  if (isComputedMetric(metric)) return 'computed';
  return undefined;
}

const MEASURE_BY_TYPE: Readonly<Record<MetricType, MetricMeasure>> = {
  skill: 'experience',
  boss: 'kills',
  activity: 'score',
  computed: 'value',
};

/**
 * The field holding a known metric's value (`experience`, `kills`, `score` or `value`), or
 * `undefined` for a metric this version does not know.
 * @example `getMetricMeasure('attack') // 'experience'`
 */
export function getMetricMeasure(metric: Metric): MetricMeasure;
export function getMetricMeasure(metric: string): MetricMeasure | undefined;
export function getMetricMeasure(metric: string): MetricMeasure | undefined {
  const type = getMetricType(metric);
  return type === undefined ? undefined : MEASURE_BY_TYPE[type];
}
