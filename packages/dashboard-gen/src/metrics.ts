/**
 * The display name and kind of every Wise Old Man metric. This package takes plain data and does
 * not depend on `@clanstats/wom-client` at runtime; `metrics.test.ts` checks this table against
 * its `METRICS` list.
 *
 * Names are the in-game hiscores names, which are Wise Old Man's names except for a few: the skill
 * is 'Runecraft' (WOM: 'Runecrafting'), the raids write 'of' in lower case and name their variants
 * as the game does ('Chambers of Xeric: Challenge Mode', WOM: 'Chambers Of Xeric (CM)'), and
 * `collections_logged` is 'Collections Logged' (WOM: 'Collection Logs'). Wise Old Man's spellings
 * are still accepted by {@link metricFromName}.
 */

/** What a metric measures: a skill's experience, boss kills, an activity's score, or WOM's hours. */
export type MetricKind = 'skill' | 'boss' | 'activity' | 'computed';

/** One metric: its Wise Old Man key, display name and kind. */
export interface MetricInfo {
  /** The Wise Old Man metric, such as `chambers_of_xeric_challenge_mode`. */
  readonly metric: string;
  /** The display name, such as `'Chambers of Xeric: Challenge Mode'`. */
  readonly name: string;
  /** Skill, boss, activity or computed (`ehp`, `ehb`). */
  readonly kind: MetricKind;
}

/** `[metric, name]` per kind, each in Wise Old Man's `METRICS` order. */
const SKILL_NAMES = [
  ['overall', 'Overall'],
  ['attack', 'Attack'],
  ['defence', 'Defence'],
  ['strength', 'Strength'],
  ['hitpoints', 'Hitpoints'],
  ['ranged', 'Ranged'],
  ['prayer', 'Prayer'],
  ['magic', 'Magic'],
  ['cooking', 'Cooking'],
  ['woodcutting', 'Woodcutting'],
  ['fletching', 'Fletching'],
  ['fishing', 'Fishing'],
  ['firemaking', 'Firemaking'],
  ['crafting', 'Crafting'],
  ['smithing', 'Smithing'],
  ['mining', 'Mining'],
  ['herblore', 'Herblore'],
  ['agility', 'Agility'],
  ['thieving', 'Thieving'],
  ['slayer', 'Slayer'],
  ['farming', 'Farming'],
  ['runecrafting', 'Runecraft'],
  ['hunter', 'Hunter'],
  ['construction', 'Construction'],
  ['sailing', 'Sailing'],
] as const;

const ACTIVITY_NAMES = [
  ['bounty_hunter_hunter', 'Bounty Hunter (Hunter)'],
  ['bounty_hunter_rogue', 'Bounty Hunter (Rogue)'],
  ['clue_scrolls_all', 'Clue Scrolls (All)'],
  ['clue_scrolls_beginner', 'Clue Scrolls (Beginner)'],
  ['clue_scrolls_easy', 'Clue Scrolls (Easy)'],
  ['clue_scrolls_medium', 'Clue Scrolls (Medium)'],
  ['clue_scrolls_hard', 'Clue Scrolls (Hard)'],
  ['clue_scrolls_elite', 'Clue Scrolls (Elite)'],
  ['clue_scrolls_master', 'Clue Scrolls (Master)'],
  ['last_man_standing', 'Last Man Standing'],
  ['pvp_arena', 'PvP Arena'],
  ['soul_wars_zeal', 'Soul Wars Zeal'],
  ['guardians_of_the_rift', 'Guardians of the Rift'],
  ['colosseum_glory', 'Colosseum Glory'],
  ['collections_logged', 'Collections Logged'],
] as const;

const BOSS_NAMES = [
  ['abyssal_sire', 'Abyssal Sire'],
  ['alchemical_hydra', 'Alchemical Hydra'],
  ['amoxliatl', 'Amoxliatl'],
  ['araxxor', 'Araxxor'],
  ['artio', 'Artio'],
  ['barrows_chests', 'Barrows Chests'],
  ['brutus', 'Brutus'],
  ['bryophyta', 'Bryophyta'],
  ['callisto', 'Callisto'],
  ['calvarion', "Calvar'ion"],
  ['cerberus', 'Cerberus'],
  ['chambers_of_xeric', 'Chambers of Xeric'],
  ['chambers_of_xeric_challenge_mode', 'Chambers of Xeric: Challenge Mode'],
  ['chaos_elemental', 'Chaos Elemental'],
  ['chaos_fanatic', 'Chaos Fanatic'],
  ['commander_zilyana', 'Commander Zilyana'],
  ['corporeal_beast', 'Corporeal Beast'],
  ['crazy_archaeologist', 'Crazy Archaeologist'],
  ['dagannoth_prime', 'Dagannoth Prime'],
  ['dagannoth_rex', 'Dagannoth Rex'],
  ['dagannoth_supreme', 'Dagannoth Supreme'],
  ['deranged_archaeologist', 'Deranged Archaeologist'],
  ['doom_of_mokhaiotl', 'Doom of Mokhaiotl'],
  ['duke_sucellus', 'Duke Sucellus'],
  ['general_graardor', 'General Graardor'],
  ['giant_mole', 'Giant Mole'],
  ['grotesque_guardians', 'Grotesque Guardians'],
  ['hespori', 'Hespori'],
  ['kalphite_queen', 'Kalphite Queen'],
  ['king_black_dragon', 'King Black Dragon'],
  ['kraken', 'Kraken'],
  ['kreearra', "Kree'Arra"],
  ['kril_tsutsaroth', "K'ril Tsutsaroth"],
  ['lunar_chests', 'Lunar Chests'],
  ['mad_angel', 'Mad Angel'],
  ['maggot_king', 'Maggot King'],
  ['mimic', 'Mimic'],
  ['nex', 'Nex'],
  ['nightmare', 'Nightmare'],
  ['phosanis_nightmare', "Phosani's Nightmare"],
  ['obor', 'Obor'],
  ['phantom_muspah', 'Phantom Muspah'],
  ['sarachnis', 'Sarachnis'],
  ['scorpia', 'Scorpia'],
  ['scurrius', 'Scurrius'],
  ['shellbane_gryphon', 'Shellbane Gryphon'],
  ['skotizo', 'Skotizo'],
  ['sol_heredit', 'Sol Heredit'],
  ['spindel', 'Spindel'],
  ['tempoross', 'Tempoross'],
  ['the_gauntlet', 'The Gauntlet'],
  ['the_corrupted_gauntlet', 'The Corrupted Gauntlet'],
  ['the_hueycoatl', 'The Hueycoatl'],
  ['the_leviathan', 'The Leviathan'],
  ['the_royal_titans', 'The Royal Titans'],
  ['the_whisperer', 'The Whisperer'],
  ['theatre_of_blood', 'Theatre of Blood'],
  ['theatre_of_blood_hard_mode', 'Theatre of Blood: Hard Mode'],
  ['thermonuclear_smoke_devil', 'Thermonuclear Smoke Devil'],
  ['tombs_of_amascut', 'Tombs of Amascut'],
  ['tombs_of_amascut_expert', 'Tombs of Amascut: Expert Mode'],
  ['tzkal_zuk', 'TzKal-Zuk'],
  ['tztok_jad', 'TzTok-Jad'],
  ['vardorvis', 'Vardorvis'],
  ['venenatis', 'Venenatis'],
  ['vetion', "Vet'ion"],
  ['vorkath', 'Vorkath'],
  ['wintertodt', 'Wintertodt'],
  ['yama', 'Yama'],
  ['zalcano', 'Zalcano'],
  ['zulrah', 'Zulrah'],
] as const;

const COMPUTED_NAMES = [
  ['ehp', 'EHP'],
  ['ehb', 'EHB'],
] as const;

/** Other names a clan's image files may carry: Wise Old Man's spellings and common short forms. */
const ALIASES: Readonly<Record<string, string>> = {
  runecraft: 'runecrafting',
  chambers_of_xeric_cm: 'chambers_of_xeric_challenge_mode',
  theatre_of_blood_hm: 'theatre_of_blood_hard_mode',
  tombs_of_amascut_expert_mode: 'tombs_of_amascut_expert',
  collection_logs: 'collections_logged',
  collection_log: 'collections_logged',
  zuk: 'tzkal_zuk',
  jad: 'tztok_jad',
};

function entries(
  names: ReadonlyArray<readonly [string, string]>,
  kind: MetricKind,
): Array<[string, MetricInfo]> {
  return names.map(([metric, name]) => [metric, Object.freeze({ metric, name, kind })]);
}

/** Every WOM metric (the 113 of @clanstats/wom-client's METRICS, same order), keyed by metric. */
export const METRIC_INFO: Readonly<Record<string, MetricInfo>> = Object.freeze(
  Object.fromEntries([
    ...entries(SKILL_NAMES, 'skill'),
    ...entries(ACTIVITY_NAMES, 'activity'),
    ...entries(BOSS_NAMES, 'boss'),
    ...entries(COMPUTED_NAMES, 'computed'),
  ]),
);

/** Skills in the in-game order (overall first). This is the hiscores order, as Wise Old Man's. */
export const SKILL_ORDER: readonly string[] = Object.freeze(SKILL_NAMES.map(([metric]) => metric));

function infoOf(metric: string): MetricInfo | undefined {
  return Object.hasOwn(METRIC_INFO, metric) ? METRIC_INFO[metric] : undefined;
}

/** The display name ('Chambers of Xeric: Challenge Mode', 'TzKal-Zuk', 'Runecraft'…); unknown metrics are humanised (`some_boss` → 'Some boss'). */
export function metricName(metric: string): string {
  const info = infoOf(metric);
  if (info !== undefined) return info.name;
  const words = metric.replace(/[_\s]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The kind of a metric, or undefined when unknown. */
export function metricKind(metric: string): MetricKind | undefined {
  return infoOf(metric)?.kind;
}

/**
 * A name in the form of a metric key: lower case, apostrophes dropped, every other run of
 * characters that are not letters or digits turned into one `_` (`"TzKal-Zuk"` → `tzkal_zuk`,
 * `"Clue Scrolls (All)"` → `clue_scrolls_all`).
 */
export function normaliseMetricName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const BY_NORMALISED_NAME: ReadonlyMap<string, string> = new Map([
  ...Object.entries(ALIASES),
  ...Object.values(METRIC_INFO).map(
    (info) => [normaliseMetricName(info.name), info.metric] as const,
  ),
  ...Object.keys(METRIC_INFO).map((metric) => [metric, metric] as const),
]);

/**
 * The metric a name means: a metric key or a display name, in any case, with spaces, hyphens,
 * apostrophes and colons in any form (`"Chambers of Xeric"`, `"TzKal-Zuk"`, `"kree'arra"`), or
 * `undefined`.
 */
export function metricFromName(name: string): string | undefined {
  return BY_NORMALISED_NAME.get(normaliseMetricName(name));
}

/** Every name {@link metricFromName} accepts, normalised (for suggestions). */
export function knownMetricNames(): ReadonlyMap<string, string> {
  return BY_NORMALISED_NAME;
}
