import type ExcelJS from 'exceljs';
import type {
  ReportData,
  ReportMember,
  ReportMemberStatus,
  ReportMemberWindow,
  ReportWindowKey,
} from './report-data.js';
import type { BlockRange, CellValue, ColumnSpec, SheetSpec, TableBlock } from './table-sheet.js';
import type { LocalClock } from './time.js';

/** The report windows, shortest first. */
export const REPORT_WINDOWS: readonly ReportWindowKey[] = ['7d', '30d', '90d', '365d'];

const DAY_MS = 86_400_000;

/** The rendering context shared by the sheet builders. */
export interface SheetContext {
  data: ReportData;
  clock: LocalClock;
  /** The window of the Skills and Bosses sheets. */
  window: ReportWindowKey;
  generator: string;
}

const STATUS_LABELS: Record<ReportMemberStatus, string> = {
  active: 'Active',
  potentially_inactive: 'Potentially inactive',
  inactive: 'Inactive',
  exempt: 'Exempt',
};

const STATUS_ORDER: Record<ReportMemberStatus, number> = {
  inactive: 0,
  potentially_inactive: 1,
  exempt: 3,
  active: 2,
};

/** The label of a status; unknown statuses are shown as they are. */
export function statusLabel(status: string): string {
  return (STATUS_LABELS as Record<string, string | undefined>)[status] ?? status;
}

/** OSRS skill order, as in game; unknown skills follow alphabetically. */
const SKILL_ORDER = [
  'attack', 'defence', 'strength', 'hitpoints', 'ranged', 'prayer', 'magic', 'cooking',
  'woodcutting', 'fletching', 'fishing', 'firemaking', 'crafting', 'smithing', 'mining',
  'herblore', 'agility', 'thieving', 'slayer', 'farming', 'runecrafting', 'hunter',
  'construction', 'sailing',
]; // prettier-ignore

/** `chambers_of_xeric` → `Chambers of xeric`. */
export function metricLabel(metric: string): string {
  const spaced = metric.replace(/_/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const byName = (left: { displayName: string }, right: { displayName: string }): number =>
  left.displayName.localeCompare(right.displayName, 'en', { sensitivity: 'base' });

function discordNames(member: Pick<ReportMember, 'discordUsers'>): string {
  return member.discordUsers
    .map((user) => user.nickname ?? user.globalName ?? user.username ?? user.userId)
    .join(', ');
}

const RED_TEXT: Partial<ExcelJS.Style> = {
  font: { color: { argb: 'FF9C0006' }, bold: true },
  fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFC7CE' } },
};
const INACTIVE_ROW: Partial<ExcelJS.Style> = {
  fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFF4CCCC' } },
  font: { color: { argb: 'FF7F0000' } },
};
const POTENTIAL_ROW: Partial<ExcelJS.Style> = {
  fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFF2CC' } },
};
const ACTIVE_TEXT: Partial<ExcelJS.Style> = { font: { color: { argb: 'FF006100' }, bold: true } };

/** Colour of each metric's colour scale (the high end; the low end is white). */
const SCALE_COLORS = {
  messages: 'FF5B9BD5',
  clanChat: 'FF8EA9DB',
  xp: 'FF63BE7B',
  ehp: 'FFA9D08E',
  ehb: 'FFF4B183',
  bossKills: 'FFED7D31',
  skill: 'FF63BE7B',
  boss: 'FFED7D31',
} as const;

function colorScale(ref: string, high: string): ExcelJS.ConditionalFormattingOptions {
  return {
    ref,
    rules: [
      {
        type: 'colorScale',
        priority: 0,
        cfvo: [{ type: 'min' }, { type: 'max' }],
        color: [{ argb: 'FFFFFFFF' }, { argb: high }],
      },
    ],
  };
}

function zeroIsRed(ref: string, firstCell: string): ExcelJS.ConditionalFormattingOptions {
  return {
    ref,
    rules: [
      {
        type: 'expression',
        priority: 0,
        formulae: [`AND(ISNUMBER(${firstCell}),${firstCell}=0)`],
        style: RED_TEXT,
      },
    ],
  };
}

function statusRows(
  range: BlockRange,
  statusHeader: string,
): ExcelJS.ConditionalFormattingOptions[] {
  const status = `$${range.column(statusHeader)}${range.firstRow}`;
  const rows = `A${range.firstRow}:${range.lastColumn}${range.lastRow}`;
  const statusRef = `${range.column(statusHeader)}${range.firstRow}:${range.column(statusHeader)}${range.lastRow}`;
  return [
    {
      ref: statusRef,
      rules: [
        {
          type: 'cellIs',
          priority: 0,
          operator: 'equal',
          formulae: ['"Active"'],
          style: ACTIVE_TEXT,
        },
      ],
    },
    {
      ref: rows,
      rules: [
        {
          type: 'expression',
          priority: 0,
          formulae: [`${status}="Inactive"`],
          style: INACTIVE_ROW,
        },
        {
          type: 'expression',
          priority: 0,
          formulae: [`${status}="Potentially inactive"`],
          style: POTENTIAL_ROW,
        },
      ],
    },
  ];
}

/** Drops the `priority: 0` placeholders so exceljs numbers the rules in order. */
function numbered(
  list: ExcelJS.ConditionalFormattingOptions[],
): ExcelJS.ConditionalFormattingOptions[] {
  let priority = 1;
  for (const formatting of list) {
    for (const rule of formatting.rules) rule.priority = priority++;
  }
  return list;
}

interface GainColumn {
  header: string;
  kind: ColumnSpec['kind'];
  color: string;
  value: (member: ReportMember) => number | null;
}

interface GainMetric {
  label: string;
  kind: ColumnSpec['kind'];
  color: string;
  value: (window: ReportMemberWindow) => number | null;
}

const GAIN_METRICS: GainMetric[] = [
  { label: 'Messages', kind: 'integer', color: SCALE_COLORS.messages, value: (w) => w.messages },
  { label: 'Clan chat', kind: 'integer', color: SCALE_COLORS.clanChat, value: (w) => w.clanChatMessages },
  { label: 'XP', kind: 'integer', color: SCALE_COLORS.xp, value: (w) => w.xp },
  { label: 'EHP', kind: 'hours', color: SCALE_COLORS.ehp, value: (w) => w.ehp },
  { label: 'EHB', kind: 'hours', color: SCALE_COLORS.ehb, value: (w) => w.ehb },
  { label: 'Boss kills', kind: 'integer', color: SCALE_COLORS.bossKills, value: (w) => w.bossKills },
]; // prettier-ignore

/** The Summary sheet: one row per current member, highest score first. */
export function summarySheet(context: SheetContext): SheetSpec {
  const { data, clock } = context;
  const zone = clock.timeZone;
  // Grouped by window (7d first), so the most recent activity sits next to the names.
  const gains: GainColumn[] = REPORT_WINDOWS.flatMap((window) =>
    GAIN_METRICS.map((metric) => ({
      header: `${metric.label} ${window}`,
      kind: metric.kind,
      color: metric.color,
      value: (member: ReportMember) => metric.value(member.windows[window]),
    })),
  );
  const columns: ColumnSpec[] = [
    { header: 'Name', kind: 'text' },
    { header: 'Role', kind: 'text' },
    { header: 'Status', kind: 'text', note: 'Inactivity status; reasons on the Inactivity sheet.' },
    {
      header: 'Score',
      kind: 'decimal1',
      note: `Activity score over ${data.rules.score.window}; the formula is on the About sheet.`,
    },
    {
      header: 'Last active',
      kind: 'datetime',
      note: `Local time in the clan's time zone, ${zone}.`,
    },
    { header: 'Days since active', kind: 'integer' },
    ...gains.map((column) => ({
      header: column.header,
      kind: column.kind,
      ...(column.header.startsWith('EH') ? { note: 'Hours, one decimal. Empty = unknown.' } : {}),
    })),
    { header: 'Total XP', kind: 'integer', note: 'Lifetime XP from the latest snapshot.' },
    { header: 'Total EHP', kind: 'hours' },
    { header: 'Total EHB', kind: 'hours' },
    { header: 'Messages since joining', kind: 'integer' },
    { header: 'Clan chat since joining', kind: 'integer' },
    { header: 'Joined', kind: 'date', note: `Date in the clan's time zone, ${zone}.` },
    { header: 'Tenure (days)', kind: 'integer' },
    {
      header: 'Suggested rank',
      kind: 'text',
      note: 'From the rank ladder; see the Rank-ups sheet.',
    },
    { header: 'Discord', kind: 'text', note: 'Linked Discord accounts.' },
    { header: 'Former names', kind: 'text' },
  ];
  const asOf = Date.parse(data.asOf);
  const members = [...data.members].sort(
    (left, right) => right.score - left.score || byName(left, right),
  );
  const rows: CellValue[][] = members.map((member) => {
    const lastActive = member.lastActiveAt === null ? Number.NaN : Date.parse(member.lastActiveAt);
    return [
      member.displayName,
      member.role,
      statusLabel(member.status),
      member.score,
      clock.dateTime(member.lastActiveAt),
      Number.isNaN(lastActive) ? null : Math.max(0, Math.floor((asOf - lastActive) / DAY_MS)),
      ...gains.map((column) => column.value(member)),
      member.current?.xp ?? null,
      member.current?.ehp ?? null,
      member.current?.ehb ?? null,
      member.windows.all?.messages ?? null,
      member.windows.all?.clanChatMessages ?? null,
      clock.date(member.joinedAt),
      member.tenureDays,
      member.rankUp?.toRole ?? null,
      discordNames(member),
      member.formerNames.join(', '),
    ];
  });
  const block: TableBlock = {
    tableName: 'Summary',
    columns,
    rows,
    emptyText: 'The clan has no current members.',
    conditionalFormatting: (range) => {
      const list: ExcelJS.ConditionalFormattingOptions[] = [];
      const firstGain = range.column(gains[0]?.header ?? 'Score');
      const lastGain = range.column(gains.at(-1)?.header ?? 'Score');
      list.push(
        zeroIsRed(
          `${firstGain}${range.firstRow}:${lastGain}${range.lastRow}`,
          `${firstGain}${range.firstRow}`,
        ),
      );
      for (const column of gains) {
        const letter = range.column(column.header);
        list.push(colorScale(`${letter}${range.firstRow}:${letter}${range.lastRow}`, column.color));
      }
      const score = range.column('Score');
      list.push({
        ref: `${score}${range.firstRow}:${score}${range.lastRow}`,
        rules: [
          {
            type: 'dataBar',
            priority: 0,
            minLength: 0,
            maxLength: 100,
            gradient: false,
            border: false,
            showValue: true,
            cfvo: [{ type: 'min' }, { type: 'max' }],
            color: { argb: 'FF638EC6' },
          } as ExcelJS.DataBarRuleType,
        ],
      });
      list.push(...statusRows(range, 'Status'));
      return numbered(list);
    },
  };
  return { name: 'Summary', blocks: [block], frozenColumns: 1, tabColor: 'FF4472C4' };
}

function perMetricSheet(context: SheetContext, name: 'Skills' | 'Bosses'): SheetSpec {
  const { data, window } = context;
  const pick = (member: ReportMember): Record<string, number> | null | undefined =>
    name === 'Skills' ? member.windows[window].xpBySkill : member.windows[window].bossKillsByBoss;
  const metrics = new Set<string>();
  let present = false;
  for (const member of data.members) {
    const values = pick(member);
    if (values !== undefined) present = true;
    if (values) for (const key of Object.keys(values)) metrics.add(key);
  }
  const ordered = [...metrics].sort((left, right) => {
    if (name === 'Skills') {
      const rank = (skill: string): number => {
        const index = SKILL_ORDER.indexOf(skill);
        return index === -1 ? SKILL_ORDER.length : index;
      };
      return rank(left) - rank(right) || left.localeCompare(right);
    }
    return left.localeCompare(right);
  });
  const totalHeader = name === 'Skills' ? `XP ${window}` : `Boss kills ${window}`;
  const columns: ColumnSpec[] = [
    { header: 'Name', kind: 'text' },
    { header: 'Role', kind: 'text' },
    { header: totalHeader, kind: 'integer' },
    ...ordered.map((metric) => ({ header: metricLabel(metric), kind: 'integer' as const })),
  ];
  const members = [...data.members].sort((left, right) => {
    const total = (member: ReportMember): number =>
      (name === 'Skills' ? member.windows[window].xp : member.windows[window].bossKills) ?? -1;
    return total(right) - total(left) || byName(left, right);
  });
  const rows = members.map((member): CellValue[] => {
    const values = pick(member);
    const total = name === 'Skills' ? member.windows[window].xp : member.windows[window].bossKills;
    return [
      member.displayName,
      member.role,
      total,
      ...ordered.map((metric) => (values ? (values[metric] ?? 0) : null)),
    ];
  });
  const what = name === 'Skills' ? 'XP gained per skill' : 'Kills gained per boss';
  const preamble = [
    `${what} over the last ${window} (to ${data.asOf.slice(0, 10)}). Empty cells: unknown (no baseline snapshot).`,
  ];
  if (!present && name === 'Skills') {
    preamble.push(
      'This clan_data.json has no per-skill XP (members[].windows[].xpBySkill): update the tool that wrote it.',
    );
  }
  const color = name === 'Skills' ? SCALE_COLORS.skill : SCALE_COLORS.boss;
  return {
    name,
    preamble,
    frozenColumns: 1,
    blocks: [
      {
        tableName: name,
        columns,
        rows,
        emptyText: 'The clan has no current members.',
        conditionalFormatting: (range) =>
          numbered(
            columns.slice(2).map((column) => {
              const letter = range.column(column.header);
              return colorScale(`${letter}${range.firstRow}:${letter}${range.lastRow}`, color);
            }),
          ),
      },
    ],
  };
}

/** The Skills sheet: XP per skill per member for the chosen window. */
export const skillsSheet = (context: SheetContext): SheetSpec => perMetricSheet(context, 'Skills');
/** The Bosses sheet: kills per boss per member for the chosen window. */
export const bossesSheet = (context: SheetContext): SheetSpec => perMetricSheet(context, 'Bosses');

const minutes = (millis: number | null): number | null =>
  millis === null ? null : Math.round(millis / 6_000) / 10;

/** The Discord sheet: per member, then per channel. */
export function discordSheet(context: SheetContext): SheetSpec {
  const { data, window } = context;
  const memberColumns: ColumnSpec[] = [
    { header: 'Name', kind: 'text' },
    { header: 'Discord', kind: 'text' },
    ...REPORT_WINDOWS.map((key) => ({ header: `Messages ${key}`, kind: 'integer' as const })),
    ...REPORT_WINDOWS.map((key) => ({ header: `Clan chat ${key}`, kind: 'integer' as const })),
    { header: `Questions ${window}`, kind: 'integer' },
    { header: `Answers ${window}`, kind: 'integer' },
    {
      header: `Median answer time ${window} (min)`,
      kind: 'minutes',
      note: 'Median minutes from the member’s questions to their first answer by someone else.',
    },
  ];
  const members = [...data.members].sort(
    (left, right) =>
      right.windows[window].messages - left.windows[window].messages || byName(left, right),
  );
  const memberRows = members.map((member): CellValue[] => [
    member.displayName,
    discordNames(member),
    ...REPORT_WINDOWS.map((key) => member.windows[key].messages),
    ...REPORT_WINDOWS.map((key) => member.windows[key].clanChatMessages),
    member.windows[window].questions,
    member.windows[window].answers,
    minutes(member.windows[window].medianAnswerMs),
  ]);
  const channels = data.channels ?? [];
  const channelNames = new Map(channels.map((channel) => [channel.channelId, channel.name]));
  const channelColumns: ColumnSpec[] = [
    { header: 'Channel', kind: 'text' },
    { header: 'Kind', kind: 'text' },
    { header: 'Parent', kind: 'text' },
    ...REPORT_WINDOWS.map((key) => ({ header: `Messages ${key}`, kind: 'integer' as const })),
    { header: `Questions ${window}`, kind: 'integer' },
    { header: `Answers ${window}`, kind: 'integer' },
    { header: `Median answer time ${window} (min)`, kind: 'minutes' },
    { header: 'Channel id', kind: 'id' },
  ];
  const channelRows = [...channels]
    .sort(
      (left, right) =>
        right.windows[window].messages - left.windows[window].messages ||
        left.name.localeCompare(right.name),
    )
    .map((channel): CellValue[] => [
      channel.name,
      channel.isThread ? 'Thread' : 'Channel',
      // A thread's parent is a channel (its id when unknown); a channel's is a category, often unknown.
      channel.parentId === null
        ? null
        : (channelNames.get(channel.parentId) ?? (channel.isThread ? channel.parentId : null)),
      ...REPORT_WINDOWS.map((key) => channel.windows[key].messages),
      channel.windows[window].questions,
      channel.windows[window].answers,
      minutes(channel.windows[window].medianAnswerMs),
      channel.channelId,
    ]);
  const scales =
    (headers: string[]) =>
    (range: BlockRange): ExcelJS.ConditionalFormattingOptions[] =>
      numbered(
        headers.map((header) => {
          const letter = range.column(header);
          return colorScale(
            `${letter}${range.firstRow}:${letter}${range.lastRow}`,
            SCALE_COLORS.messages,
          );
        }),
      );
  return {
    name: 'Discord',
    frozenColumns: 1,
    blocks: [
      {
        title: 'Members',
        tableName: 'DiscordMembers',
        columns: memberColumns,
        rows: memberRows,
        emptyText: 'The clan has no current members.',
        conditionalFormatting: scales(REPORT_WINDOWS.map((key) => `Messages ${key}`)),
      },
      {
        title: 'Channels',
        tableName: 'DiscordChannels',
        columns: channelColumns,
        rows: channelRows,
        emptyText:
          data.channels === undefined
            ? 'This clan_data.json has no per-channel figures (channels): update the tool that wrote it.'
            : 'No channel had messages.',
        conditionalFormatting: scales(REPORT_WINDOWS.map((key) => `Messages ${key}`)),
      },
    ],
  };
}

/** The Inactivity sheet: every member, most inactive first, with each signal and the threshold. */
export function inactivitySheet(context: SheetContext): SheetSpec {
  const { data, clock } = context;
  const columns: ColumnSpec[] = [
    { header: 'Name', kind: 'text' },
    { header: 'Role', kind: 'text' },
    { header: 'Status', kind: 'text' },
    { header: 'Threshold (days)', kind: 'integer' },
    { header: 'Exempt by', kind: 'text' },
    { header: 'Reason', kind: 'text' },
    { header: 'Last active', kind: 'datetime', note: `Local time, ${clock.timeZone}.` },
    { header: 'WOM last progressed', kind: 'datetime' },
    { header: 'WOM days', kind: 'integer' },
    { header: 'Discord last message', kind: 'datetime' },
    { header: 'Discord days', kind: 'integer' },
    { header: 'Clan chat last line', kind: 'datetime' },
    { header: 'Clan chat days', kind: 'integer' },
    { header: 'Joined', kind: 'date' },
  ];
  const severity = (member: ReportMember): number =>
    (STATUS_ORDER as Record<string, number | undefined>)[member.status] ?? 4;
  const maxDays = (member: ReportMember): number =>
    Math.max(
      -1,
      ...Object.values(member.inactivity.signals).map((signal) => signal.daysSince ?? -1),
    );
  const members = [...data.members].sort(
    (left, right) =>
      severity(left) - severity(right) || maxDays(right) - maxDays(left) || byName(left, right),
  );
  const signal = (member: ReportMember, key: 'wom' | 'discord' | 'clanChat'): CellValue[] => {
    const value = member.inactivity.signals[key];
    if (!value.available) return [null, null];
    return [clock.dateTime(value.lastAt), value.daysSince];
  };
  const rows = members.map((member): CellValue[] => [
    member.displayName,
    member.role,
    statusLabel(member.status),
    member.inactivity.thresholdDays,
    member.inactivity.exemptBy,
    member.inactivity.summary,
    clock.dateTime(member.lastActiveAt),
    ...signal(member, 'wom'),
    ...signal(member, 'discord'),
    ...signal(member, 'clanChat'),
    clock.date(member.joinedAt),
  ]);
  const rules = data.rules.inactivity;
  const roleDays = Object.entries(rules.roleDays)
    .map(([role, days]) => `${role} ${days} d`)
    .join(', ');
  return {
    name: 'Inactivity',
    frozenColumns: 1,
    preamble: [
      `A member is Inactive when over the threshold on every available signal (WOM progress, Discord, clan chat), Potentially inactive when over on some.`,
      `Threshold: ${rules.days} days${roleDays === '' ? '' : `; per role: ${roleDays}`}. Exempt roles: ${rules.exemptRoles.join(', ') || 'none'}. Empty signal cells: the signal does not apply to the member.`,
    ],
    blocks: [
      {
        tableName: 'Inactivity',
        columns,
        rows,
        emptyText: 'The clan has no current members.',
        conditionalFormatting: (range) => {
          const days = ['WOM days', 'Discord days', 'Clan chat days'].map((header) =>
            range.column(header),
          );
          const threshold = `$${range.column('Threshold (days)')}${range.firstRow}`;
          return numbered([
            ...statusRows(range, 'Status'),
            ...days.map((letter) => ({
              ref: `${letter}${range.firstRow}:${letter}${range.lastRow}`,
              rules: [
                {
                  type: 'expression' as const,
                  priority: 0,
                  formulae: [
                    `AND(ISNUMBER(${letter}${range.firstRow}),${letter}${range.firstRow}>=${threshold})`,
                  ],
                  style: RED_TEXT,
                },
              ],
            })),
          ]);
        },
      },
    ],
  };
}

/** The Rank-ups sheet: promotion suggestions with reasons. */
export function rankUpsSheet(context: SheetContext): SheetSpec {
  const { data } = context;
  const rows = [...data.rankUps]
    .sort((left, right) => right.score - left.score || byName(left, right))
    .map((rankUp): CellValue[] => [
      rankUp.displayName,
      rankUp.fromRole,
      rankUp.toRole,
      rankUp.tenureDays,
      rankUp.score,
      rankUp.reason,
    ]);
  const ladder = data.rules.ranks
    .map((rank) => `${rank.role} (${rank.minTenureDays} d, score ${rank.minScore})`)
    .join(' → ');
  return {
    name: 'Rank-ups',
    frozenColumns: 1,
    preamble: [
      ladder === ''
        ? 'No rank ladder is configured (rules.ranks), so no promotions are suggested.'
        : `Rank ladder (tenure, minimum score): ${ladder}.`,
    ],
    blocks: [
      {
        tableName: 'RankUps',
        columns: [
          { header: 'Name', kind: 'text' },
          { header: 'Current role', kind: 'text' },
          { header: 'Suggested role', kind: 'text' },
          { header: 'Tenure (days)', kind: 'integer' },
          { header: 'Score', kind: 'decimal1' },
          { header: 'Reason', kind: 'text' },
        ],
        rows,
        emptyText: 'No member qualifies for a promotion.',
      },
    ],
  };
}

const EVENT_LABELS: Record<string, string> = {
  joined: 'Joined',
  left: 'Left',
  changed_role: 'Role changed',
  name_changed: 'Name changed',
};

/** The Roster changes sheet: joins, leaves, role and name changes, newest first. */
export function rosterSheet(context: SheetContext): SheetSpec {
  const { data, clock } = context;
  const names = new Map<number, string>();
  for (const former of data.formerMembers) names.set(former.playerId, former.displayName);
  for (const member of data.members) names.set(member.playerId, member.displayName);
  const current = new Set(data.members.map((member) => member.playerId));
  const rows = [...data.events]
    .map((event, index) => ({ event, index }))
    .sort(
      (left, right) =>
        Date.parse(right.event.at) - Date.parse(left.event.at) || right.index - left.index,
    )
    .map(({ event }): CellValue[] => {
      let details = '';
      if (event.type === 'joined') details = event.role ? `as ${event.role}` : '';
      else if (event.type === 'changed_role')
        details = `${event.previousRole ?? '?'} → ${event.role ?? '?'}`;
      else if (event.type === 'name_changed')
        details = `${event.oldName ?? '?'} → ${event.newName ?? '?'}`;
      return [
        clock.dateTime(event.at),
        EVENT_LABELS[event.type] ?? event.type,
        names.get(event.playerId) ?? `player ${event.playerId}`,
        details,
        current.has(event.playerId) ? 'yes' : 'no',
        event.origin,
      ];
    });
  return {
    name: 'Roster changes',
    frozenColumns: 0,
    blocks: [
      {
        tableName: 'RosterChanges',
        columns: [
          { header: 'When', kind: 'datetime', note: `Local time, ${clock.timeZone}.` },
          { header: 'Change', kind: 'text' },
          { header: 'Name', kind: 'text', note: 'The current (or last) name of the player.' },
          { header: 'Details', kind: 'text' },
          { header: 'Still a member', kind: 'text' },
          { header: 'Source', kind: 'text' },
        ],
        rows,
        emptyText: 'No roster changes recorded.',
        conditionalFormatting: (range) => {
          const change = `$${range.column('Change')}${range.firstRow}`;
          return numbered([
            {
              ref: `A${range.firstRow}:${range.lastColumn}${range.lastRow}`,
              rules: [
                {
                  type: 'expression',
                  priority: 0,
                  formulae: [`${change}="Left"`],
                  style: INACTIVE_ROW,
                },
                {
                  type: 'expression',
                  priority: 0,
                  formulae: [`${change}="Joined"`],
                  style: {
                    fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFE2EFDA' } },
                  },
                },
              ],
            },
          ]);
        },
      },
    ],
  };
}

/** The Unlinked Discord sheet: active authors without a link to a player. */
export function unlinkedSheet(context: SheetContext): SheetSpec {
  const { data, clock } = context;
  const rows = [...data.unmatchedDiscord]
    .sort((left, right) => right.messages['30d'] - left.messages['30d'])
    .map((user): CellValue[] => [
      user.nickname ?? user.globalName ?? user.username ?? user.userId,
      user.username,
      user.globalName,
      user.nickname,
      ...REPORT_WINDOWS.map((key) => user.messages[key]),
      clock.dateTime(user.lastMessageAt),
      user.suggestions.map((suggestion) => suggestion.displayName).join(', '),
      user.userId,
    ]);
  return {
    name: 'Unlinked Discord',
    frozenColumns: 1,
    preamble: [
      'Discord authors with messages in the last 30 days and no link to a clan member. Link them with `clanstats link`.',
    ],
    blocks: [
      {
        tableName: 'UnlinkedDiscord',
        columns: [
          { header: 'Shown as', kind: 'text' },
          { header: 'Username', kind: 'text' },
          { header: 'Display name', kind: 'text' },
          { header: 'Nickname', kind: 'text' },
          ...REPORT_WINDOWS.map((key) => ({ header: `Messages ${key}`, kind: 'integer' as const })),
          { header: 'Last message', kind: 'datetime', note: `Local time, ${clock.timeZone}.` },
          { header: 'Suggested member', kind: 'text' },
          { header: 'Discord user id', kind: 'id' },
        ],
        rows,
        emptyText: 'Every active Discord author is linked to a member.',
      },
    ],
  };
}

/** The About sheet: as-of time, zone, windows, rules, sources and generator. */
export function aboutSheet(context: SheetContext): SheetSpec {
  const { data, clock, window } = context;
  const weights = data.rules.score.weights;
  const rules = data.rules.inactivity;
  const rows: CellValue[][] = [
    ['Clan', data.group.name],
    ['Wise Old Man group id', data.group.id],
    ['Data as of', clock.dateTime(data.asOf)],
    ['Data computed at', clock.dateTime(data.generatedAt)],
    ['Time zone', `${clock.timeZone}: every date and time in this workbook is local time there.`],
    [
      'Windows',
      '7d, 30d, 90d, 365d: the last N × 24 hours up to the as-of time (not calendar months). "since joining": the current membership.',
    ],
    ['Skills and Bosses window', window],
    [
      'Empty gain cells',
      'Unknown: Wise Old Man had no baseline snapshot for that window. 0 means no gain.',
    ],
    ['Score window', data.rules.score.window],
    [
      'Score formula',
      `(messages + clan chat) × ${weights.messages} + XP / 100,000 × ${weights.xp} + EHP × ${weights.ehp} + EHB × ${weights.ehb} + boss kills × ${weights.bossKills}`,
    ],
    ['Inactivity threshold (days)', rules.days],
    [
      'Thresholds per role',
      Object.entries(rules.roleDays)
        .map(([role, days]) => `${role}: ${days} d`)
        .join(', ') || 'none',
    ],
    ['Exempt roles', rules.exemptRoles.join(', ') || 'none'],
    ['Exempt names', rules.exemptNames.join(', ') || 'none'],
    [
      'Rank ladder',
      data.rules.ranks
        .map((rank) => `${rank.role}: ${rank.minTenureDays} d, score ${rank.minScore}`)
        .join('; ') || 'none',
    ],
    [
      'Data sources',
      'Wise Old Man (XP, EHP, EHB, boss kills, roster, role and name changes); Discord (messages, questions, answers); in-game clan chat relayed into Discord.',
    ],
    ['Members', data.members.length],
    ...(data.coverage === undefined
      ? []
      : ([
          ['Members not tracked by Wise Old Man', data.coverage.membersNotTracked],
          ['Members without a linked Discord account', data.coverage.membersWithoutDiscord],
          ['Clan chat relay seen', data.coverage.hasClanChat ? 'yes' : 'no'],
        ] satisfies CellValue[][])),
    ...REPORT_WINDOWS.flatMap((key): CellValue[][] => {
      const totals = data.totals[key];
      return [
        [`Clan XP ${key}`, totals.xp],
        [`Clan boss kills ${key}`, totals.bossKills],
        [`Clan messages ${key}`, totals.messages + totals.clanChatMessages],
        [`Members without a ${key} baseline`, totals.membersMissingBaseline],
      ];
    }),
    ['Generator', context.generator],
  ];
  return {
    name: 'About',
    frozenColumns: 1,
    blocks: [
      {
        tableName: 'About',
        columns: [
          { header: 'Item', kind: 'text' },
          { header: 'Value', kind: 'text' },
        ],
        rows,
        emptyText: '',
      },
    ],
  };
}

/** Every sheet, in order. */
export const SHEET_BUILDERS: ReadonlyArray<(context: SheetContext) => SheetSpec> = [
  summarySheet,
  skillsSheet,
  bossesSheet,
  discordSheet,
  inactivitySheet,
  rankUpsSheet,
  rosterSheet,
  unlinkedSheet,
  aboutSheet,
];
