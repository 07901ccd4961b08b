import type {
  DashboardData,
  DashboardMember,
  DashboardMemberWindow,
  DashboardWindowKey,
} from './dashboard-data.js';
import { DashboardError } from './errors.js';
import { metricKind, metricName } from './metrics.js';
import {
  VIEW_WINDOWS,
  type ViewBossHighlight,
  type ViewEvent,
  type ViewGains,
  type ViewMember,
  type ViewModel,
  type ViewStats,
  type ViewTotals,
  type ViewWindow,
} from './shared/view-model.js';

/** Options of {@link toViewModel}. */
export interface ViewModelOptions {
  /** Leave out per-member Discord figures, inactivity and rank-ups. */
  public: boolean;
  /** Metric → image `data:` URI. */
  icons: Readonly<Record<string, string>>;
}

const DAY_MS = 86_400_000;

function instant(value: string, field: string): number {
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) {
    throw new DashboardError('INVALID_DATA', `${field} is not an ISO 8601 instant: ${value}`, {
      field,
    });
  }
  return millis;
}

const instantOrNull = (value: string | null, field: string): number | null =>
  value === null ? null : instant(value, field);

/** Rounds hours to two decimals, the precision the page shows and the JSON needs. */
const hours = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 100) / 100;

/** Checks what TypeScript cannot promise for data parsed from a file or built in JavaScript. */
function validate(data: DashboardData): void {
  const fail = (field: string, expected: string): never => {
    throw new DashboardError('INVALID_DATA', `${field} must be ${expected}`, { field });
  };
  const loose = data as unknown as Record<string, unknown> | null;
  if (typeof loose !== 'object' || loose === null) fail('data', 'a clan_data.json v1 object');
  if (!Array.isArray(loose?.members)) fail('members', 'an array');
  if (typeof loose?.group !== 'object' || loose.group === null) fail('group', 'an object');
  try {
    new Intl.DateTimeFormat('en', { timeZone: data.timezone });
  } catch {
    fail('timezone', 'an IANA time zone such as Europe/London');
  }
  for (const window of VIEW_WINDOWS) {
    if (typeof data.totals[window] !== 'object') fail(`totals.${window}`, 'an object');
    if (!Array.isArray(data.bosses.windows[window])) fail(`bosses.windows.${window}`, 'an array');
  }
  data.members.forEach((member, index) => {
    for (const window of VIEW_WINDOWS) {
      if (typeof member.windows[window] !== 'object') {
        fail(`members[${index}].windows.${window}`, 'an object');
      }
    }
  });
}

/** Interns metric names as indices. */
class MetricTable {
  readonly metrics: string[] = [];
  readonly #index = new Map<string, number>();

  indexOf(metric: string): number {
    let index = this.#index.get(metric);
    if (index === undefined) {
      index = this.metrics.length;
      this.metrics.push(metric);
      this.#index.set(metric, index);
    }
    return index;
  }
}

function gains(
  table: MetricTable,
  byMetric: Readonly<Record<string, number>> | null | undefined,
): ViewGains {
  if (byMetric === null || byMetric === undefined) return null;
  const entries = Object.entries(byMetric)
    .filter(([, value]) => value > 0)
    .sort(([, left], [, right]) => right - left);
  const flat: number[] = [];
  for (const [metric, value] of entries) flat.push(table.indexOf(metric), Math.round(value));
  return flat;
}

function stats(window: DashboardMemberWindow, isPublic: boolean): ViewStats {
  const wom = [window.xp, hours(window.ehp), hours(window.ehb), window.bossKills];
  if (isPublic) return wom;
  return [...wom, window.messages, window.clanChatMessages, window.questions, window.answers];
}

function discordName(user: DashboardMember['discordUsers'][number]): string {
  return user.nickname ?? user.globalName ?? user.username ?? user.userId;
}

function perWindow<Value>(make: (window: ViewWindow) => Value): Record<ViewWindow, Value> {
  return Object.fromEntries(VIEW_WINDOWS.map((window) => [window, make(window)])) as Record<
    ViewWindow,
    Value
  >;
}

function member(
  source: DashboardMember,
  index: number,
  table: MetricTable,
  isPublic: boolean,
): ViewMember {
  const field = `members[${index}]`;
  const view: ViewMember = {
    id: source.playerId,
    name: source.displayName,
    role: source.role,
    joinedAt: instant(source.joinedAt, `${field}.joinedAt`),
    tenureDays: source.tenureDays,
    formerNames: source.formerNames,
    lastActiveAt: isPublic
      ? instantOrNull(source.lastProgressedAt, `${field}.lastProgressedAt`)
      : instantOrNull(source.lastActiveAt, `${field}.lastActiveAt`),
    stats: perWindow((window) => stats(source.windows[window], isPublic)),
    skills: perWindow((window) => gains(table, source.windows[window].xpBySkill)),
    bosses: perWindow((window) => gains(table, source.windows[window].bossKillsByBoss)),
  };
  if (isPublic) return view;
  const { signals } = source.inactivity;
  const daysSince: NonNullable<ViewMember['daysSince']> = {};
  if (signals.wom.available) daysSince.wom = signals.wom.daysSince;
  if (signals.discord.available) daysSince.discord = signals.discord.daysSince;
  if (signals.clanChat.available) daysSince.clanChat = signals.clanChat.daysSince;
  view.status = source.status;
  view.score = Math.round(source.score * 10) / 10;
  view.inactivity = source.inactivity.summary;
  view.daysSince = daysSince;
  view.discord = source.discordUsers.map(discordName);
  if (source.weekly !== undefined) {
    view.weekly = {
      messages: source.weekly.messages,
      clanChat: source.weekly.clanChatMessages,
    };
  }
  return view;
}

function totals(data: DashboardData, window: DashboardWindowKey): ViewTotals {
  const source = data.totals[window];
  return {
    xp: source.xp,
    ehp: Math.round(source.ehp * 10) / 10,
    ehb: Math.round(source.ehb * 10) / 10,
    bossKills: source.bossKills,
    messages: source.messages,
    clanChat: source.clanChatMessages,
    questions: source.questions,
    answers: source.answers,
    membersWithGains: source.membersWithGains,
    membersMissingBaseline: source.membersMissingBaseline,
  };
}

function events(data: DashboardData, asOf: number): ViewEvent[] {
  const names = new Map<number, string>();
  for (const former of data.formerMembers) names.set(former.playerId, former.displayName);
  for (const current of data.members) names.set(current.playerId, current.displayName);
  const since = asOf - 365 * DAY_MS;
  const list: ViewEvent[] = [];
  data.events.forEach((event, index) => {
    const at = instant(event.at, `events[${index}].at`);
    if (at < since || at > asOf) return;
    const view: ViewEvent = {
      type: event.type,
      at,
      id: event.playerId,
      name: names.get(event.playerId) ?? event.newName ?? `Player #${event.playerId}`,
    };
    if (event.role !== undefined) view.role = event.role;
    if (event.previousRole !== undefined) view.previousRole = event.previousRole;
    if (event.oldName !== undefined) view.oldName = event.oldName;
    if (event.newName !== undefined) view.newName = event.newName;
    list.push(view);
  });
  return list.sort((left, right) => right.at - left.at);
}

/**
 * The page's data: a compact projection of `data`, without anything the page does not show (and,
 * in public mode, without per-member Discord figures, inactivity and rank-ups).
 *
 * @throws {@link DashboardError} `INVALID_DATA` naming the field when `data` is not usable.
 */
export function toViewModel(data: DashboardData, options: ViewModelOptions): ViewModel {
  validate(data);
  const isPublic = options.public;
  const asOf = instant(data.asOf, 'asOf');
  const table = new MetricTable();
  const members = data.members.map((source, index) => member(source, index, table, isPublic));
  const highlight = (window: ViewWindow): ViewBossHighlight[] =>
    data.bosses.windows[window].map((entry) => ({
      boss: table.indexOf(entry.boss),
      kills: entry.kills,
      topId: entry.topKiller.playerId,
      topName: entry.topKiller.displayName,
      topKills: entry.topKiller.kills,
    }));
  const bossWindows = perWindow(highlight);
  const records = data.bosses.records.map((record) => ({
    boss: table.indexOf(record.boss),
    kills: record.kills,
    id: record.holder.playerId,
    name: record.holder.displayName,
  }));
  const heatmapWindows = data.heatmap.windows;
  const heatSince = instant(data.heatmap.since, 'heatmap.since');
  const view: ViewModel = {
    version: 1,
    public: isPublic,
    clan: { id: data.group.id, name: data.group.name },
    asOf,
    generatedAt: instant(data.generatedAt, 'generatedAt'),
    timezone: data.timezone,
    metrics: table.metrics,
    metricNames: table.metrics.map(metricName),
    metricKinds: table.metrics.map((metric) => metricKind(metric) ?? 'unknown'),
    icons: Object.fromEntries(
      table.metrics.flatMap((metric) => {
        const icon = options.icons[metric];
        return icon === undefined ? [] : [[metric, icon]];
      }),
    ),
    members,
    totals: perWindow((window) => totals(data, window)),
    daily: {
      dates: data.daily.map((point) => point.date),
      xp: data.daily.map((point) => (point.xpMembers > 0 ? point.xp : null)),
      messages: data.daily.map((point) => point.messages),
    },
    heatmap: {
      perWindow: heatmapWindows !== undefined,
      windows: perWindow((window) =>
        heatmapWindows === undefined
          ? { since: heatSince, counts: data.heatmap.counts }
          : {
              since: instant(heatmapWindows[window].since, `heatmap.windows.${window}.since`),
              counts: heatmapWindows[window].counts,
            },
      ),
    },
    bosses: { windows: bossWindows, records },
    events: events(data, asOf),
    rules: {
      scoreWindow: data.rules.score.window,
      weights: data.rules.score.weights,
      inactivityDays: data.rules.inactivity.days,
    },
    coverage: {
      hasClanChat: data.coverage?.hasClanChat ?? false,
      membersNotTracked: data.coverage?.membersNotTracked ?? 0,
      membersWithoutDiscord: isPublic ? 0 : (data.coverage?.membersWithoutDiscord ?? 0),
      unmatchedDiscord: isPublic ? 0 : data.unmatchedDiscord.length,
    },
  };
  if (!isPublic) {
    view.rankUps = data.rankUps.map((rankUp) => ({
      id: rankUp.playerId,
      name: rankUp.displayName,
      fromRole: rankUp.fromRole,
      toRole: rankUp.toRole,
      tenureDays: rankUp.tenureDays,
      score: rankUp.score,
      reason: rankUp.reason,
    }));
    if (data.weeks !== undefined) {
      view.weeks = data.weeks.map((week, index) => instant(week, `weeks[${index}]`));
    }
  }
  return view;
}
