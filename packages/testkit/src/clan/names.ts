import type { Random } from '../random.js';

/**
 * WOM's `standardizeUsername`: `-`, `_` and whitespace become a space, then trim and lowercase.
 * `Ze_Zima`, `ze-zima` and ` ze zima ` all become `ze zima`.
 */
export function standardizeUsername(username: string): string {
  return username
    .replace(/[-_\s]/g, ' ')
    .trim()
    .toLowerCase();
}

/** Why a username is invalid (WOM's `INVALID_USERNAME` sub-error codes), or null when valid. */
export type UsernameProblem =
  | 'USERNAME_IS_UNDEFINED'
  | 'USERNAME_TOO_SHORT'
  | 'USERNAME_TOO_LONG'
  | 'USERNAME_STARTS_OR_ENDS_WITH_SPACE'
  | 'USERNAME_HAS_SPECIAL_CHARACTERS';

/** Validates a raw username as WOM does before tracking a new player. */
export function validateUsername(username: string | undefined): UsernameProblem | null {
  if (username === undefined) return 'USERNAME_IS_UNDEFINED';
  const standardized = standardizeUsername(username);
  if (standardized.length < 1) return 'USERNAME_TOO_SHORT';
  if (standardized.length > 12) return 'USERNAME_TOO_LONG';
  if (/^[ ]|[ ]$/.test(username.replace(/[-_]/g, ' '))) {
    return 'USERNAME_STARTS_OR_ENDS_WITH_SPACE';
  }
  if (!/^[a-z0-9 ]+$/.test(standardized)) return 'USERNAME_HAS_SPECIAL_CHARACTERS';
  return null;
}

/** WOM's display name sanitizing: drop characters outside `[a-zA-Z0-9 \-_]`, then trim. */
export function sanitizeDisplayName(username: string): string {
  return username.replace(/[^a-zA-Z0-9 \-_]/g, '').trim();
}

const words = [
  'Zezima',
  'Wolf',
  'Knight',
  'Slayer',
  'Gnome',
  'Fisher',
  'Tank',
  'Mage',
  'Bear',
  'Hydra',
  'Shadow',
  'Storm',
  'Frost',
  'Ember',
  'Raven',
  'Viper',
  'Lynx',
  'Otter',
  'Moose',
  'Pixel',
  'Toast',
  'Noodle',
  'Pickle',
  'Mango',
  'Cookie',
  'Biscuit',
  'Tofu',
  'Waffle',
  'Nacho',
  'Bagel',
  'Rune',
  'Mith',
  'Addy',
  'Bronze',
  'Dragon',
  'Void',
  'Torva',
  'Ancestral',
  'Bandos',
  'Zammy',
  'Sara',
  'Guthix',
  'Jad',
  'Zuk',
  'Vorki',
  'Olm',
  'Verzik',
  'Wardens',
  'Nex',
  'Cerb',
  'Lumby',
  'Varrock',
  'Fally',
  'Ardy',
  'Yanille',
  'Prif',
  'Zanaris',
  'Karamja',
  'Canifis',
  'Morty',
  'Tick',
  'Flick',
  'Spec',
  'Bank',
  'Stand',
  'Afk',
  'Gz',
  'Lag',
  'Nerd',
  'Chad',
];
const prefixes = [
  'Iron',
  'Lil',
  'Big',
  'Sir',
  'Mr',
  'Ms',
  'Dr',
  'Lord',
  'King',
  'Pure',
  'Uim',
  'Hc',
  'Its',
  'Not',
  'The',
  'Old',
  'Real',
];
const firstNames = [
  'Alex',
  'Sam',
  'Jordan',
  'Chris',
  'Robin',
  'Kim',
  'Max',
  'Noah',
  'Emma',
  'Liam',
  'Mia',
  'Luca',
  'Sven',
  'Ana',
  'Joao',
  'Finn',
  'Tess',
  'Niels',
  'Eva',
  'Jake',
  'Ollie',
  'Ruby',
  'Theo',
  'Iris',
];

function fits(name: string): boolean {
  return name.length >= 1 && name.length <= 12;
}

/**
 * Generates one RuneScape display name: 1–12 characters of letters, digits, spaces, `-` and `_`,
 * never starting or ending with a separator, never two separators in a row.
 */
export function generateDisplayName(random: Random, hint?: 'iron'): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const separator = random.weighted([' ', '', '_', '-'], [5, 3, 1.5, 1]);
    const pattern = random.int(0, 5);
    let name: string;
    if (hint === 'iron' && random.chance(0.5)) {
      name = `${random.pick(['Iron', 'Uim', 'Hc', 'Gim'])}${separator}${random.pick(words)}`;
    } else if (pattern === 0) {
      name = `${random.pick(prefixes)}${separator}${random.pick(words)}`;
    } else if (pattern === 1) {
      name = `${random.pick(words)}${separator}${random.pick(words)}`;
    } else if (pattern === 2) {
      name = `${random.pick(words)}${random.int(1, 999)}`;
    } else if (pattern === 3) {
      name = `${random.pick(words)}${separator}${random.pick(words).toLowerCase()}`;
    } else if (pattern === 4) {
      name = `${random.pick(firstNames)}${separator}${random.pick(words)}`;
    } else {
      name = random.chance(0.5)
        ? random.pick(words).toLowerCase()
        : `${random.pick(words)}${random.int(0, 99)}`;
    }
    if (random.chance(0.08)) name = name.toLowerCase();
    if (fits(name)) return name;
  }
  return random.pick(words).slice(0, 12);
}

/** A Discord username (lowercase, 2–32 chars of `[a-z0-9_.]`) usually derived from the RSN. */
export function generateDiscordUsername(random: Random, displayName: string): string {
  const base = displayName.toLowerCase().replace(/[^a-z0-9]+/g, random.pick(['', '_', '.']));
  const name = random.chance(0.7)
    ? `${base}${random.chance(0.5) ? String(random.int(1, 9999)) : ''}`
    : `${random.pick(firstNames).toLowerCase()}${random.pick(['', '_', '.'])}${random.int(1, 99999)}`;
  const trimmed = name.replace(/^[_.]+|[_.]+$/g, '').slice(0, 32);
  return trimmed.length >= 2 ? trimmed : `${trimmed}00`;
}

/** A guild nickname: usually the RSN (sometimes with a real name), sometimes unrelated or unset. */
export function generateNickname(random: Random, displayName: string): string | null {
  const roll = random.next();
  if (roll < 0.45) return displayName;
  if (roll < 0.6) return `${displayName} | ${random.pick(firstNames)}`;
  if (roll < 0.68) return `${random.pick(firstNames)} (${displayName})`;
  if (roll < 0.74) return displayName.toLowerCase().replace(/[-_]/g, ' ');
  if (roll < 0.84) return `${random.pick(words)} ${random.pick(words)}`;
  return null;
}

/** A real-name-ish Discord global name, or null. */
export function generateGlobalName(random: Random, displayName: string): string | null {
  const roll = random.next();
  if (roll < 0.4) return random.pick(firstNames);
  if (roll < 0.75) return displayName;
  return null;
}

const clanWords = [
  'Iron',
  'Rune',
  'Dragon',
  'Zaros',
  'Gielinor',
  'Lumbridge',
  'Wilderness',
  'Fossil',
  'Misthalin',
  'Kandarin',
  'Morytania',
  'Varrock',
];
const clanNouns = [
  'Legion',
  'Family',
  'Collective',
  'Crew',
  'Order',
  'Alliance',
  'Syndicate',
  'Guild',
  'Brotherhood',
  'Squad',
  'Society',
  'Company',
];

/** A group name (≤ 30 characters). */
export function generateGroupName(random: Random): string {
  return `${random.pick(['The ', ''])}${random.pick(clanWords)} ${random.pick(clanNouns)}`;
}
