/**
 * The weekly summary posted to Discord by the export: a pure function of the clan model, so the
 * same as-of time always gives the same message. Names are untrusted text: they are shortened and
 * their Discord markdown is escaped, so `**@everyone**` or `[click](http://x)` shows as typed.
 */
import type { ClanSummary, MemberSummary } from '@clanstats/clan-model';
import type { WebhookEmbed, WebhookMessage } from '@clanstats/discord-harvester';

/** One day, in milliseconds. */
const DAY_MS = 86_400_000;

/** The window of the weekly summary: the model's 7-day window, `[asOf − 7 × 24 h, asOf]`. */
export const WEEK_MS = 7 * DAY_MS;

/**
 * A weekly summary is due when the last one described an as-of time at least this long before
 * (7 days less an hour, so that a schedule whose runs drift by a few minutes still posts weekly).
 */
export const WEEKLY_POST_INTERVAL_MS = WEEK_MS - 3_600_000;

/** Whether the weekly summary is due at `asOf`, given the as-of time of the last one posted. */
export function isWeeklySummaryDue(lastAsOf: number | undefined, asOf: number): boolean {
  return lastAsOf === undefined || asOf - lastAsOf >= WEEKLY_POST_INTERVAL_MS;
}

/** How many gainers the summary lists. */
export const TOP_GAINERS = 5;
/** How many boss killers the summary lists. */
export const TOP_BOSS_KILLERS = 3;
/** How many names of joiners (and of leavers) the summary lists before "and N more". */
export const MAX_LISTED_NAMES = 10;
/** Names longer than this (in code points) are cut, with an ellipsis. */
export const MAX_NAME_LENGTH = 32;

/** Discord's limits the builder keeps to (checked again by `checkWebhookMessage`). */
const TITLE_LIMIT = 256;
const FIELD_VALUE_LIMIT = 1024;

/** The embed's colour (a calm blue). */
const EMBED_COLOR = 0x3498db;

/** Options of {@link weeklySummaryMessage}. */
export interface WeeklySummaryOptions {
  /** The IANA time zone of the dates shown (`CLANSTATS_TIMEZONE`). */
  timeZone: string;
}

/**
 * Characters Discord's markdown gives a meaning to somewhere: emphasis (`* _ ~`), code (`` ` ``),
 * spoilers (`|`), quotes, headings and lists at a line start (`> # - + .` after a number), masked
 * links (`[ ] ( )`), mentions, channels, emojis and timestamps (`< > @ # :`), and `\` itself.
 * Discord drops a `\` before any punctuation, so escaping one too many costs nothing.
 */
const MARKDOWN_CHARACTERS = /[\\*_~`|>#\-+.[\]()<@:!]/g;

/** Escapes Discord markdown so that `text` renders as typed. */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_CHARACTERS, '\\$&');
}

/** Cuts `text` to `max` code points, ending with `…` when it was longer. */
export function truncate(text: string, max: number): string {
  // Code points, as Discord counts (an emoji of several code points may be cut).
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

/** A name for Discord: on one line, at most {@link MAX_NAME_LENGTH} code points, markdown escaped. */
export function safeName(name: string): string {
  const oneLine = name
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return escapeMarkdown(truncate(oneLine === '' ? '?' : oneLine, MAX_NAME_LENGTH));
}

const compactNumber = new Intl.NumberFormat('en', {
  notation: 'compact',
  maximumFractionDigits: 1,
});
const wholeNumber = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/**
 * Numbers as the dashboard shows them: `12.3M`, `450K`; below 10,000 the whole number (`9,876`).
 */
export function formatCount(value: number): string {
  return Math.abs(value) < 10_000 ? wholeNumber.format(value) : compactNumber.format(value);
}

/** Code points, as Discord counts lengths. */
function lengthOf(text: string): number {
  return Array.from(text).length;
}

/**
 * Names joined by commas, as many as fit in `limit` characters and at most `max`, then
 * `and N more`.
 */
function nameList(names: readonly string[], max = MAX_LISTED_NAMES, limit = FIELD_VALUE_LIMIT) {
  if (names.length === 0) return 'Nobody';
  const shown: string[] = [];
  for (const name of names.slice(0, max)) {
    const rest = names.length - shown.length - 1;
    const candidate = [...shown, name].join(', ');
    const tail = rest > 0 ? ` and ${rest} more` : '';
    if (lengthOf(candidate + tail) > limit) break;
    shown.push(name);
  }
  const more = names.length - shown.length;
  if (shown.length === 0) return `${names.length} players`;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** A numbered list of members and a figure, best first: `1. Name — 12.3M XP`. */
function ranking(
  members: readonly MemberSummary[],
  value: (member: MemberSummary) => number | null,
  unit: string,
  count: number,
): string[] {
  return members
    .map((member) => ({ member, value: value(member) }))
    .filter((entry): entry is { member: MemberSummary; value: number } => (entry.value ?? 0) > 0)
    .sort(
      (left, right) =>
        right.value - left.value ||
        left.member.displayName.localeCompare(right.member.displayName) ||
        left.member.playerId - right.member.playerId,
    )
    .slice(0, count)
    .map(
      (entry, index) =>
        `${index + 1}. ${safeName(entry.member.displayName)} — ${formatCount(entry.value)} ${unit}`,
    );
}

/** The names of the players with an event of `type` in the window, in order, each once. */
function namesOf(
  summary: ClanSummary,
  type: 'joined' | 'left',
  since: number,
  names: ReadonlyMap<number, string>,
): string[] {
  const seen = new Set<number>();
  const result: string[] = [];
  for (const event of summary.events) {
    if (event.type !== type || event.at < since || event.at > summary.asOf) continue;
    if (seen.has(event.playerId)) continue;
    seen.add(event.playerId);
    result.push(safeName(names.get(event.playerId) ?? `player #${event.playerId}`));
  }
  return result;
}

function dateFormat(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  });
}

/**
 * The weekly summary of the clan at `summary.asOf` as one embed: the 7-day window; the top
 * {@link TOP_GAINERS} XP gainers and the top {@link TOP_BOSS_KILLERS} boss killers among current
 * members whose gains are known; who joined and who left in the window (at most
 * {@link MAX_LISTED_NAMES} names each, then "and N more"); how many members are inactive and
 * potentially inactive (no names); and a footer with the as-of time. Within Discord's limits.
 */
export function weeklySummaryMessage(
  summary: ClanSummary,
  options: WeeklySummaryOptions,
): WebhookMessage {
  const since = summary.asOf - WEEK_MS;
  const names = new Map<number, string>();
  for (const former of summary.formerMembers) names.set(former.playerId, former.displayName);
  for (const member of summary.members) names.set(member.playerId, member.displayName);

  const prefix = 'Weekly summary: ';
  const title = `${prefix}${escapeMarkdown(
    truncate(summary.group.name.replace(/\s+/g, ' ').trim(), 100),
  )}`;
  // ICU puts thin spaces around the dash: plain spaces read the same everywhere.
  const week = dateFormat(options.timeZone, false)
    .formatRange(since, summary.asOf)
    .replace(/\s+/g, ' ');
  const totals = summary.totals['7d'];
  const description = [
    `The last 7 days: ${week}.`,
    `The clan gained ${formatCount(totals.xp)} XP and ${formatCount(totals.bossKills)} boss kills.`,
  ].join('\n');

  const gainers = ranking(summary.members, (member) => member.windows['7d'].xp, 'XP', TOP_GAINERS);
  const killers = ranking(
    summary.members,
    (member) => member.windows['7d'].bossKills,
    'kills',
    TOP_BOSS_KILLERS,
  );
  const joined = namesOf(summary, 'joined', since, names);
  const left = namesOf(summary, 'left', since, names);
  const inactive = summary.members.filter((member) => member.status === 'inactive').length;
  const potentially = summary.members.filter(
    (member) => member.status === 'potentially_inactive',
  ).length;

  const fields: NonNullable<WebhookEmbed['fields']> = [
    {
      name: 'Top gainers',
      value: gainers.length > 0 ? gainers.join('\n') : 'No XP gains known this week.',
    },
  ];
  if (killers.length > 0) fields.push({ name: 'Most boss kills', value: killers.join('\n') });
  fields.push(
    { name: `Joined (${joined.length})`, value: nameList(joined), inline: true },
    { name: `Left (${left.length})`, value: nameList(left), inline: true },
    {
      name: 'Inactivity',
      value: `${inactive} inactive, ${potentially} potentially inactive (of ${summary.members.length} members)`,
    },
  );
  const asOfText = dateFormat(options.timeZone, true).format(summary.asOf);
  return {
    embeds: [
      {
        title: truncate(title, TITLE_LIMIT),
        description,
        color: EMBED_COLOR,
        timestamp: new Date(summary.asOf).toISOString(),
        fields,
        footer: { text: `ClanStats · as of ${asOfText} ${options.timeZone}` },
      },
    ],
  };
}

/** The text of a posted summary's embeds, for the terminal: title, description and fields. */
export function summaryText(embeds: ReadonlyArray<Partial<WebhookEmbed>>): string[] {
  const unescape = (text: string): string => text.replace(/\\([^A-Za-z0-9\s])/g, '$1');
  const lines: string[] = [];
  for (const embed of embeds) {
    if (embed.title !== undefined) lines.push(unescape(embed.title));
    if (embed.description !== undefined) lines.push(unescape(embed.description));
    for (const field of embed.fields ?? []) {
      lines.push(`${unescape(field.name)}: ${unescape(field.value).replaceAll('\n', '; ')}`);
    }
  }
  return lines;
}
