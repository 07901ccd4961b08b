/**
 * The data the page carries: a compact projection of `DashboardData`, built in Node by
 * `toViewModel` and read in the browser by the page's script. Shared by both sides, so it holds
 * types and constants only.
 *
 * Instants are epoch milliseconds; per-member figures are arrays indexed by {@link STAT}, and
 * per-metric gains are flat `[metricIndex, value, metricIndex, value, …]` lists into
 * {@link ViewModel.metrics}, which keeps a 500-member clan's page well under 1.5 MB.
 */

/** The windows the page switches between, shortest first. */
export const VIEW_WINDOWS = ['7d', '30d', '90d', '365d'] as const;

/** One of {@link VIEW_WINDOWS}. */
export type ViewWindow = (typeof VIEW_WINDOWS)[number];

/** The days in each window. */
export const WINDOW_DAYS: Readonly<Record<ViewWindow, number>> = {
  '7d': 7,
  '30d': 30,
  '90d': 90,
  '365d': 365,
};

/**
 * Positions in a member's per-window figures. The Discord-derived ones (from `messages` on) are
 * absent in public mode.
 */
export const STAT = {
  xp: 0,
  ehp: 1,
  ehb: 2,
  bossKills: 3,
  messages: 4,
  clanChat: 5,
  questions: 6,
  answers: 7,
} as const;

/** A figure name of {@link STAT}. */
export type StatName = keyof typeof STAT;

/** A member's figures in one window, indexed by {@link STAT}; `null` = unknown. */
export type ViewStats = ReadonlyArray<number | null>;

/** `[metricIndex, value, metricIndex, value, …]`, largest value first; `null` = unknown. */
export type ViewGains = readonly number[] | null;

/** Activity states, as in `clan_data.json`. */
export type ViewStatus = 'active' | 'potentially_inactive' | 'inactive' | 'exempt';

/** A current member. */
export interface ViewMember {
  /** Wise Old Man player id. */
  id: number;
  name: string;
  role: string;
  joinedAt: number;
  tenureDays: number;
  formerNames: readonly string[];
  /** The last activity on any signal (private) or the last in-game progress (public). */
  lastActiveAt: number | null;
  stats: Readonly<Record<ViewWindow, ViewStats>>;
  skills: Readonly<Record<ViewWindow, ViewGains>>;
  bosses: Readonly<Record<ViewWindow, ViewGains>>;
  /** Private mode only. */
  status?: ViewStatus;
  /** Private mode only: the activity score. */
  score?: number;
  /** Private mode only: the reason for the status, in words. */
  inactivity?: string;
  /** Private mode only: days since the last activity per signal (`null`: never, absent: n/a). */
  daysSince?: { wom?: number | null; discord?: number | null; clanChat?: number | null };
  /** Private mode only: the names of the linked Discord accounts. */
  discord?: readonly string[];
  /** Private mode only: messages and clan-chat lines per week, aligned with `weeks`. */
  weekly?: { messages: readonly number[]; clanChat: readonly number[] };
}

/** A roster change, with names resolved. */
export interface ViewEvent {
  type: 'joined' | 'left' | 'changed_role' | 'name_changed';
  at: number;
  /** The player id (a link to the member page when still a member). */
  id: number;
  name: string;
  role?: string | null;
  previousRole?: string | null;
  oldName?: string;
  newName?: string;
}

/** The clan's figures in one window. */
export interface ViewTotals {
  xp: number;
  ehp: number;
  ehb: number;
  bossKills: number;
  messages: number;
  clanChat: number;
  questions: number;
  answers: number;
  membersWithGains: number;
  membersMissingBaseline: number;
}

/** Top bosses of a window. */
export interface ViewBossHighlight {
  boss: number;
  kills: number;
  topId: number;
  topName: string;
  topKills: number;
}

/** A clan record. */
export interface ViewBossRecord {
  boss: number;
  kills: number;
  id: number;
  name: string;
}

/** A suggested promotion (private mode). */
export interface ViewRankUp {
  id: number;
  name: string;
  fromRole: string;
  toRole: string;
  tenureDays: number;
  score: number;
  reason: string;
}

/** Everything the page shows. */
export interface ViewModel {
  version: 1;
  /** Public mode: no per-member Discord figures, no inactivity or rank-up sections. */
  public: boolean;
  clan: { id: number; name: string };
  asOf: number;
  generatedAt: number;
  timezone: string;
  /** The metric of each index used in `skills`, `bosses` and the boss lists. */
  metrics: readonly string[];
  /** The display name of each metric, aligned with `metrics`. */
  metricNames: readonly string[];
  /** The kind of each metric, aligned with `metrics`. */
  metricKinds: ReadonlyArray<'skill' | 'boss' | 'activity' | 'computed' | 'unknown'>;
  /** Metric → image (`data:` URI); metrics without one get a lettered badge. */
  icons: Readonly<Record<string, string>>;
  members: readonly ViewMember[];
  totals: Readonly<Record<ViewWindow, ViewTotals>>;
  daily: {
    dates: readonly string[];
    /** `null` where no member's XP is known that day. */
    xp: ReadonlyArray<number | null>;
    messages: readonly number[];
  };
  heatmap: {
    /** Per window; `perWindow` false when only the 30-day grid was given. */
    perWindow: boolean;
    windows: Readonly<
      Record<ViewWindow, { since: number; counts: ReadonlyArray<readonly number[]> }>
    >;
  };
  bosses: {
    windows: Readonly<Record<ViewWindow, readonly ViewBossHighlight[]>>;
    records: readonly ViewBossRecord[];
  };
  /** The last year's roster changes, newest first. */
  events: readonly ViewEvent[];
  /** Private mode only. */
  rankUps?: readonly ViewRankUp[];
  /** Week starts for the members' `weekly` series (private mode, when given). */
  weeks?: readonly number[];
  rules: {
    scoreWindow: ViewWindow;
    weights: { messages: number; xp: number; ehp: number; ehb: number; bossKills: number };
    inactivityDays: number;
  };
  coverage: {
    hasClanChat: boolean;
    membersNotTracked: number;
    membersWithoutDiscord: number;
    unmatchedDiscord: number;
  };
}
