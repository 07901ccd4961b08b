import { ClanModelError } from './errors.js';

/** The report windows: N 24-hour periods ending at `asOf`. */
export type WindowKey = '7d' | '30d' | '90d' | '365d';

/** Every {@link WindowKey}, shortest first. */
export const WINDOW_KEYS: readonly WindowKey[] = Object.freeze(['7d', '30d', '90d', '365d']);

/** A member window: a {@link WindowKey}, or `'all'` (since the current membership began). */
export type MemberWindowKey = WindowKey | 'all';

/** Every {@link MemberWindowKey}: {@link WINDOW_KEYS} then `'all'`. */
export const MEMBER_WINDOW_KEYS: readonly MemberWindowKey[] = Object.freeze([
  '7d',
  '30d',
  '90d',
  '365d',
  'all',
]);

/** The length of each {@link WindowKey} in days (24-hour periods). */
export const WINDOW_DAYS: Readonly<Record<WindowKey, number>> = Object.freeze({
  '7d': 7,
  '30d': 30,
  '90d': 90,
  '365d': 365,
});

/** Recursively optional: every field of every nested object may be left out. Arrays are replaced whole. */
export type DeepPartial<Type> = Type extends readonly unknown[]
  ? Type
  : Type extends object
    ? { [Key in keyof Type]?: DeepPartial<Type[Key]> }
    : Type;

/** The weights of the activity score: points per unit. */
export interface ScoreWeights {
  /**
   * Points per chat message: Discord messages by the member's linked accounts plus clan-chat lines
   * relayed under their names.
   * @defaultValue `6`
   */
  messages: number;
  /**
   * Points per 100,000 XP gained.
   * @defaultValue `1`
   */
  xp: number;
  /**
   * Points per efficient hour of play (EHP) gained.
   * @defaultValue `0`
   */
  ehp: number;
  /**
   * Points per efficient hour of bossing (EHB) gained.
   * @defaultValue `0`
   */
  ehb: number;
  /**
   * Points per boss kill gained (every WOM boss metric).
   * @defaultValue `3`
   */
  bossKills: number;
}

/** The rules the clan model applies: score, inactivity and the rank ladder. */
export interface ClanModelRules {
  /** The activity score. */
  score: {
    /**
     * The window the score is computed over.
     * @defaultValue `'30d'`
     */
    window: WindowKey;
    /** Points per unit of activity. */
    weights: ScoreWeights;
  };
  /** When a member counts as inactive. */
  inactivity: {
    /**
     * Days without activity on a signal before it counts against the member.
     * @defaultValue `60`
     */
    days: number;
    /**
     * Per-role thresholds in days, by WOM role in lowercase; replaces {@link ClanModelRules.inactivity.days}.
     * @defaultValue `{}`
     */
    roleDays: Record<string, number>;
    /**
     * WOM roles (lowercase) never judged inactive.
     * @defaultValue `[]`
     */
    exemptRoles: string[];
    /**
     * RSNs never judged inactive, matched with `normalizeRsn` against current and former names.
     * @defaultValue `[]`
     */
    exemptNames: string[];
  };
  /**
   * The rank ladder, lowest rung first. A member whose role is a rung and who meets a higher
   * rung's tenure and score is suggested for the highest such rung. `[]`: no suggestions.
   * @defaultValue `[]`
   */
  ranks: Array<{ role: string; minTenureDays: number; minScore: number }>;
}

/** The defaults of {@link ClanModelRules}. */
export const DefaultClanModelRules: ClanModelRules = Object.freeze({
  score: Object.freeze({
    window: '30d',
    weights: Object.freeze({ messages: 6, xp: 1, ehp: 0, ehb: 0, bossKills: 3 }),
  }),
  inactivity: Object.freeze({
    days: 60,
    roleDays: Object.freeze({}) as Record<string, number>,
    exemptRoles: Object.freeze([]) as unknown as string[],
    exemptNames: Object.freeze([]) as unknown as string[],
  }),
  ranks: Object.freeze([]) as unknown as ClanModelRules['ranks'],
}) satisfies ClanModelRules;

function invalid(option: string, value: unknown, expected: string): ClanModelError {
  return new ClanModelError(
    'INVALID_OPTIONS',
    `${option} must be ${expected}, got ${value === undefined ? 'undefined' : JSON.stringify(value)}`,
    { option, value },
  );
}

function nonNegative(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(option, value, 'a finite number ≥ 0');
  }
  return value;
}

function finite(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(option, value, 'a finite number');
  }
  return value;
}

function stringList(value: unknown, option: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalid(option, value, 'an array of strings');
  }
  return [...(value as string[])];
}

/**
 * Merges partial rules over {@link DefaultClanModelRules} and checks them. Objects merge field by
 * field; `roleDays` merges by role; arrays (`exemptRoles`, `exemptNames`, `ranks`) replace the
 * default. Roles are lowercased.
 * @throws {@link ClanModelError} `INVALID_OPTIONS` naming the rule at fault.
 */
export function resolveRules(partial: DeepPartial<ClanModelRules> = {}): ClanModelRules {
  const defaults = DefaultClanModelRules;
  const score = partial.score ?? {};
  const weights = score.weights ?? {};
  const inactivity = partial.inactivity ?? {};
  const window = score.window ?? defaults.score.window;
  if (!(WINDOW_KEYS as readonly string[]).includes(window)) {
    throw invalid('rules.score.window', window, `one of ${WINDOW_KEYS.join(', ')}`);
  }
  const resolvedWeights = { ...defaults.score.weights };
  for (const key of Object.keys(resolvedWeights) as Array<keyof ScoreWeights>) {
    resolvedWeights[key] = finite(
      weights[key] ?? defaults.score.weights[key],
      `rules.score.weights.${key}`,
    );
  }
  const roleDays: Record<string, number> = {};
  const partialRoleDays: Record<string, unknown> = inactivity.roleDays ?? {};
  for (const [role, days] of Object.entries({
    ...defaults.inactivity.roleDays,
    ...partialRoleDays,
  })) {
    roleDays[role.toLowerCase()] = nonNegative(days, `rules.inactivity.roleDays.${role}`);
  }
  const ranksInput: unknown = partial.ranks ?? defaults.ranks;
  if (!Array.isArray(ranksInput)) throw invalid('rules.ranks', ranksInput, 'an array');
  const seenRoles = new Set<string>();
  const ranks = (ranksInput as unknown[]).map((rung, index) => {
    const option = `rules.ranks[${index}]`;
    if (typeof rung !== 'object' || rung === null) throw invalid(option, rung, 'an object');
    const { role, minTenureDays, minScore } = rung as Record<string, unknown>;
    if (typeof role !== 'string' || role.trim() === '') {
      throw invalid(`${option}.role`, role, 'a non-empty string');
    }
    const lower = role.trim().toLowerCase();
    if (seenRoles.has(lower)) throw invalid(`${option}.role`, role, 'a role listed once');
    seenRoles.add(lower);
    return {
      role: lower,
      minTenureDays: nonNegative(minTenureDays, `${option}.minTenureDays`),
      minScore: finite(minScore, `${option}.minScore`),
    };
  });
  return {
    score: { window, weights: resolvedWeights },
    inactivity: {
      days: nonNegative(inactivity.days ?? defaults.inactivity.days, 'rules.inactivity.days'),
      roleDays,
      exemptRoles: stringList(
        inactivity.exemptRoles ?? defaults.inactivity.exemptRoles,
        'rules.inactivity.exemptRoles',
      ).map((role) => role.toLowerCase()),
      exemptNames: stringList(
        inactivity.exemptNames ?? defaults.inactivity.exemptNames,
        'rules.inactivity.exemptNames',
      ),
    },
    ranks,
  };
}
