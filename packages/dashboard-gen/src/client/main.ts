/**
 * The dashboard's script: reads the page's data (a JSON `<script>`), renders every section for the
 * chosen window, and handles the window switch, the roster's sorting and search, the member page
 * and the theme. Runs from `file://` with no network.
 */
import {
  STAT,
  VIEW_WINDOWS,
  WINDOW_DAYS,
  type StatName,
  type ViewEvent,
  type ViewGains,
  type ViewMember,
  type ViewModel,
  type ViewWindow,
} from '../shared/view-model.js';
import { barChart } from './charts.js';
import { fill, h, slot, type Child } from './dom.js';
import { ClanTime, compact, days, hours, label, shortDate, whole, withUnit } from './format.js';

const DAY_MS = 86_400_000;
const STORAGE_KEY = 'clanstats.dashboard';

const dataElement = document.getElementById('clanstats-data');
if (dataElement?.textContent == null) throw new Error('clanstats: the page has no data');
const model = JSON.parse(dataElement.textContent) as ViewModel;
const time = new ClanTime(model.timezone);
const membersById = new Map(model.members.map((member) => [member.id, member]));

interface State {
  window: ViewWindow;
  sortKey: string;
  sortDescending: boolean;
  query: string;
  status: string;
}

function loadPreferences(): Partial<Pick<State, 'window'>> & { theme?: string } {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, unknown>;
    const result: Partial<Pick<State, 'window'>> & { theme?: string } = {};
    if ((VIEW_WINDOWS as readonly unknown[]).includes(saved.window)) {
      result.window = saved.window as ViewWindow;
    }
    if (typeof saved.theme === 'string') result.theme = saved.theme;
    return result;
  } catch {
    return {};
  }
}

function savePreferences(): void {
  try {
    localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ window: state.window, theme: document.documentElement.dataset.theme }),
    );
  } catch {
    // Storage can be off (private windows, some file:// setups): preferences are a nicety.
  }
}

const preferences = loadPreferences();
const state: State = {
  window: preferences.window ?? model.rules.scoreWindow,
  sortKey: model.public ? 'xp' : 'score',
  sortDescending: true,
  query: '',
  status: '',
};

// ------------------------------------------------------------------------------- small helpers

function stat(member: ViewMember, name: StatName, window = state.window): number | null {
  return member.stats[window][STAT[name]] ?? null;
}

function windowLabel(window: ViewWindow): string {
  return `last ${WINDOW_DAYS[window]} days`;
}

function metricName(index: number): string {
  return model.metricNames[index] ?? model.metrics[index] ?? '?';
}

/** The metric's image, or a lettered badge when the clan has none for it. */
function icon(index: number, size = 28): HTMLElement {
  const metric = model.metrics[index] ?? '';
  const source = model.icons[metric];
  if (source !== undefined) {
    return h('img', { src: source, alt: '', width: size, height: size, class: 'icon' });
  }
  const letters = metricName(index)
    .split(/[\s_:-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word.charAt(0).toUpperCase())
    .join('');
  return h('span', { class: 'icon badge', 'aria-hidden': 'true' }, letters);
}

/** A member's name as a button that opens their page (former members: plain text). */
function memberLink(id: number, name: string): Child {
  if (!membersById.has(id))
    return h('span', { class: 'former', title: 'no longer a member' }, name);
  return h('button', { type: 'button', class: 'member-link', 'data-member': id }, name);
}

function statusPill(status: string | undefined): Child {
  if (status === undefined) return null;
  return h('span', { class: `pill status-${status}` }, label(status));
}

function emptyRow(columns: number, text: string): HTMLTableRowElement {
  return h('tr', {}, h('td', { colspan: columns, class: 'empty' }, text));
}

function numberCell(value: number | null, text: string, full?: string): HTMLTableCellElement {
  return h(
    'td',
    {
      class: value === null ? 'num unknown' : 'num',
      title: full ?? (value === null ? 'unknown' : null),
    },
    text,
  );
}

function eventsInWindow(window = state.window): ViewEvent[] {
  const since = model.asOf - WINDOW_DAYS[window] * DAY_MS;
  return model.events.filter((event) => event.at > since);
}

// ------------------------------------------------------------------------------------ overview

function card(title: string, value: string, detail?: string, full?: string): HTMLElement {
  return h(
    'div',
    { class: 'card' },
    h('div', { class: 'card-title' }, title),
    h('div', { class: 'card-value', title: full ?? null }, value),
    detail === undefined ? null : h('div', { class: 'card-detail' }, detail),
  );
}

function renderOverview(): void {
  const totals = model.totals[state.window];
  const changes = eventsInWindow();
  const joined = changes.filter((event) => event.type === 'joined').length;
  const left = changes.filter((event) => event.type === 'left').length;
  const counts = new Map<string, number>();
  for (const member of model.members) {
    if (member.status !== undefined)
      counts.set(member.status, (counts.get(member.status) ?? 0) + 1);
  }
  const known = `${whole(totals.membersWithGains)} of ${whole(model.members.length)} members known`;
  const cards = [
    card('Members', whole(model.members.length), `+${joined} joined, −${left} left`),
    card('XP gained', compact(totals.xp), known, `${whole(totals.xp)} XP`),
    card('EHP gained', hours(totals.ehp), 'efficient hours of play'),
    card('EHB gained', hours(totals.ehb), 'efficient hours of bossing'),
    card('Boss kills', compact(totals.bossKills), 'gained', whole(totals.bossKills)),
    card(
      'Discord messages',
      compact(totals.messages),
      `${whole(totals.questions)} questions, ${whole(totals.answers)} answers`,
      whole(totals.messages),
    ),
  ];
  if (model.coverage.hasClanChat) {
    cards.push(card('Clan chat lines', compact(totals.clanChat), 'relayed to Discord'));
  }
  if (!model.public) {
    cards.push(
      card(
        'Active',
        whole(counts.get('active') ?? 0),
        `${whole(counts.get('potentially_inactive') ?? 0)} potentially inactive, ${whole(counts.get('inactive') ?? 0)} inactive`,
      ),
    );
  }
  const span = WINDOW_DAYS[state.window];
  const dates = model.daily.dates.slice(-span).map(shortDate);
  const charts = h(
    'div',
    { class: 'charts' },
    barChart({
      title: `Daily XP, ${windowLabel(state.window)}`,
      labels: dates,
      series: [{ name: 'XP', values: model.daily.xp.slice(-span), className: 'series-1' }],
      format: compact,
      note: 'Days without two snapshots of any member are shown as a thin grey line: unknown, not zero.',
    }),
    barChart({
      title: `Daily Discord messages, ${windowLabel(state.window)}`,
      labels: dates,
      series: [
        { name: 'messages', values: model.daily.messages.slice(-span), className: 'series-2' },
      ],
      format: compact,
    }),
  );
  fill(slot('overview'), h('div', { class: 'cards' }, ...cards), charts);
}

// -------------------------------------------------------------------------------------- roster

interface Column {
  key: string;
  label: string;
  title?: string;
  numeric: boolean;
  value: (member: ViewMember) => number | string | null;
  cell: (member: ViewMember) => HTMLTableCellElement;
}

function statColumn(key: StatName, name: string, format: (value: number | null) => string): Column {
  return {
    key,
    label: name,
    numeric: true,
    value: (member) => stat(member, key),
    cell: (member) => {
      const value = stat(member, key);
      return numberCell(value, format(value), value === null ? undefined : whole(value));
    },
  };
}

function rosterColumns(): Column[] {
  const columns: Column[] = [
    {
      key: 'role',
      label: 'Role',
      numeric: false,
      value: (member) => member.role,
      cell: (member) => h('td', { class: 'role' }, label(member.role)),
    },
    {
      key: 'name',
      label: 'Name',
      numeric: false,
      value: (member) => member.name.toLowerCase(),
      cell: (member) => h('td', { class: 'name' }, memberLink(member.id, member.name)),
    },
    {
      key: 'tenure',
      label: 'Tenure',
      numeric: true,
      value: (member) => member.tenureDays,
      cell: (member) =>
        h(
          'td',
          { class: 'num', title: `joined ${time.date(member.joinedAt)}` },
          days(member.tenureDays),
        ),
    },
    {
      key: 'lastActive',
      label: model.public ? 'Last progress' : 'Last active',
      numeric: true,
      value: (member) => member.lastActiveAt,
      cell: (member) => h('td', { class: 'num' }, time.date(member.lastActiveAt)),
    },
  ];
  if (!model.public) {
    columns.push(
      {
        key: 'status',
        label: 'Status',
        numeric: false,
        value: (member) => member.status ?? '',
        cell: (member) => h('td', {}, statusPill(member.status)),
      },
      {
        key: 'score',
        label: 'Score',
        title: `Activity score over the ${windowLabel(model.rules.scoreWindow)}`,
        numeric: true,
        value: (member) => member.score ?? null,
        cell: (member) => numberCell(member.score ?? null, compact(member.score)),
      },
    );
  }
  columns.push(
    statColumn('xp', 'XP', compact),
    statColumn('ehp', 'EHP', hours),
    statColumn('ehb', 'EHB', hours),
    statColumn('bossKills', 'Boss kills', compact),
  );
  if (!model.public) {
    columns.push(statColumn('messages', 'Messages', compact));
    if (model.coverage.hasClanChat) columns.push(statColumn('clanChat', 'Clan chat', compact));
  }
  return columns;
}

function matches(member: ViewMember, query: string): boolean {
  if (query === '') return true;
  const haystack = [member.name, member.role, ...member.formerNames, ...(member.discord ?? [])]
    .join('\n')
    .toLowerCase();
  return haystack.includes(query);
}

function compareValues(left: number | string | null, right: number | string | null): number {
  if (left === right) return 0;
  if (left === null) return 1;
  if (right === null) return -1;
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  return String(left).localeCompare(String(right));
}

function renderRoster(): void {
  const columns = rosterColumns();
  const column = columns.find((entry) => entry.key === state.sortKey) ?? columns[1];
  if (column === undefined) return;
  const query = state.query.trim().toLowerCase();
  const rows = model.members.filter(
    (member) => matches(member, query) && (state.status === '' || member.status === state.status),
  );
  rows.sort((left, right) => {
    const leftValue = column.value(left);
    const rightValue = column.value(right);
    // Unknown values stay last in both directions.
    if (leftValue === null || rightValue === null) return compareValues(leftValue, rightValue);
    const order = compareValues(leftValue, rightValue);
    return (state.sortDescending ? -order : order) || left.name.localeCompare(right.name);
  });
  const head = h(
    'tr',
    {},
    ...columns.map((entry) => {
      const sorted = entry.key === column.key;
      return h(
        'th',
        {
          scope: 'col',
          class: entry.numeric ? 'num' : null,
          'aria-sort': sorted ? (state.sortDescending ? 'descending' : 'ascending') : null,
        },
        h(
          'button',
          { type: 'button', class: 'sort', 'data-sort': entry.key, title: entry.title ?? null },
          entry.label,
          h(
            'span',
            { class: 'sort-mark', 'aria-hidden': 'true' },
            sorted ? (state.sortDescending ? '▼' : '▲') : '',
          ),
        ),
      );
    }),
  );
  const body = h('tbody');
  const fragment = document.createDocumentFragment();
  for (const member of rows) {
    fragment.append(
      h('tr', { 'data-member-row': member.id }, ...columns.map((entry) => entry.cell(member))),
    );
  }
  if (rows.length === 0) fragment.append(emptyRow(columns.length, 'No member matches.'));
  body.append(fragment);
  fill(
    slot('roster'),
    h(
      'p',
      { class: 'hint', role: 'status' },
      `${whole(rows.length)} of ${whole(model.members.length)} members · figures for the ${windowLabel(state.window)}`,
    ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'roster' },
        h('caption', { class: 'visually-hidden' }, 'Roster'),
        h('thead', {}, head),
        body,
      ),
    ),
  );
}

// ------------------------------------------------------------------------------------- heatmap

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function renderHeatmap(): void {
  const { since, counts } = model.heatmap.windows[state.window];
  const max = Math.max(1, ...counts.flat());
  let peak = { day: 0, hour: 0, count: -1 };
  const rows = counts.map((row, day) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, (WEEKDAYS[day] ?? '').slice(0, 3)),
      ...row.map((count, hour) => {
        if (count > peak.count) peak = { day, hour, count };
        const level = count === 0 ? 0 : Math.min(5, Math.ceil((count / max) * 5));
        const text = `${WEEKDAYS[day] ?? ''} ${String(hour).padStart(2, '0')}:00–${String((hour + 1) % 24).padStart(2, '0')}:00: ${whole(count)} messages`;
        return h('td', { class: `heat heat-${level}`, title: text, 'aria-label': text });
      }),
    ),
  );
  const hoursRow = h(
    'tr',
    {},
    h('td'),
    ...Array.from({ length: 24 }, (_, hour) =>
      h('th', { scope: 'col', class: 'hour' }, hour % 3 === 0 ? String(hour).padStart(2, '0') : ''),
    ),
  );
  const range = model.heatmap.perWindow
    ? `${time.date(since)} – ${time.date(model.asOf)}`
    : `the last 30 days (${time.date(since)} – ${time.date(model.asOf)}); this clan_data.json has no per-window heatmap`;
  fill(
    slot('heatmap'),
    h(
      'p',
      { class: 'hint' },
      `Discord messages by day of week and hour, ${range}, in ${model.timezone} time. `,
      peak.count > 0
        ? `Busiest hour: ${WEEKDAYS[peak.day] ?? ''} ${String(peak.hour).padStart(2, '0')}:00 (${whole(peak.count)} messages).`
        : 'No messages in this window.',
    ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'heatmap' },
        h('caption', { class: 'visually-hidden' }, 'Messages per weekday and hour'),
        h('thead', {}, hoursRow),
        h('tbody', {}, ...rows),
      ),
    ),
    h(
      'div',
      { class: 'heat-legend', 'aria-hidden': 'true' },
      'fewer',
      ...[0, 1, 2, 3, 4, 5].map((level) => h('span', { class: `heat heat-${level}` })),
      'more',
    ),
  );
}

// -------------------------------------------------------------------------------------- bosses

function renderBosses(): void {
  const highlights = model.bosses.windows[state.window].slice(0, 9);
  const cards = highlights.map((entry) =>
    h(
      'div',
      { class: 'boss-card' },
      icon(entry.boss, 40),
      h(
        'div',
        {},
        h('div', { class: 'boss-name' }, metricName(entry.boss)),
        h(
          'div',
          { class: 'card-value', title: `${whole(entry.kills)} kills` },
          `${compact(entry.kills)} kills`,
        ),
        h(
          'div',
          { class: 'card-detail' },
          'Top killer: ',
          memberLink(entry.topId, entry.topName),
          ` (${whole(entry.topKills)})`,
        ),
      ),
    ),
  );
  const records = model.bosses.records
    .slice()
    .sort((left, right) => right.kills - left.kills)
    .map((record) =>
      h(
        'tr',
        {},
        h('td', { class: 'metric' }, icon(record.boss, 20), metricName(record.boss)),
        h('td', { class: 'num' }, whole(record.kills)),
        h('td', {}, memberLink(record.id, record.name)),
      ),
    );
  fill(
    slot('bosses'),
    cards.length === 0
      ? h('p', { class: 'empty' }, `No boss kills gained in the ${windowLabel(state.window)}.`)
      : h('div', { class: 'boss-grid' }, ...cards),
    h('h3', {}, 'Clan records'),
    h('p', { class: 'hint' }, 'The highest kill count on each boss among current members.'),
    h(
      'div',
      { class: 'table-scroll records' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Boss'),
            h('th', { scope: 'col', class: 'num' }, 'Kills'),
            h('th', { scope: 'col' }, 'Holder'),
          ),
        ),
        h('tbody', {}, ...(records.length === 0 ? [emptyRow(3, 'No records yet.')] : records)),
      ),
    ),
  );
}

// -------------------------------------------------------------------------------- leaderboards

function renderLeaderboards(): void {
  const boards: Array<{ key: StatName; title: string; format: (value: number) => string }> = [
    { key: 'xp', title: 'XP gained', format: (value) => withUnit(value, 'XP') },
    { key: 'ehp', title: 'Efficient hours of play', format: (value) => withUnit(value, 'EHP') },
    { key: 'ehb', title: 'Efficient hours of bossing', format: (value) => withUnit(value, 'EHB') },
    { key: 'bossKills', title: 'Boss kills', format: (value) => `${compact(value)} kills` },
  ];
  if (!model.public) {
    boards.push(
      {
        key: 'messages',
        title: 'Discord messages',
        format: (value) => `${compact(value)} messages`,
      },
      { key: 'answers', title: 'Answers given', format: (value) => `${compact(value)} answers` },
    );
  }
  const lists = boards.map((board) => {
    const top = model.members
      .map((member) => ({ member, value: stat(member, board.key) }))
      .filter(
        (entry): entry is { member: ViewMember; value: number } =>
          entry.value !== null && entry.value > 0,
      )
      .sort(
        (left, right) =>
          right.value - left.value || left.member.name.localeCompare(right.member.name),
      )
      .slice(0, 10);
    return h(
      'div',
      { class: 'board', 'data-board': board.key },
      h('h3', {}, board.title),
      top.length === 0
        ? h('p', { class: 'empty' }, 'Nobody yet.')
        : h(
            'ol',
            {},
            ...top.map((entry) =>
              h(
                'li',
                {},
                memberLink(entry.member.id, entry.member.name),
                h('span', { class: 'num', title: whole(entry.value) }, board.format(entry.value)),
              ),
            ),
          ),
    );
  });
  fill(slot('leaderboards'), h('div', { class: 'boards' }, ...lists));
}

// ----------------------------------------------------------------------- inactivity, rank-ups

function renderInactivity(): void {
  const target = document.querySelector<HTMLElement>('[data-slot="inactivity"]');
  if (target === null) return;
  const order: Record<string, number> = { inactive: 0, potentially_inactive: 1 };
  const list = model.members
    .filter((member) => member.status === 'inactive' || member.status === 'potentially_inactive')
    .sort(
      (left, right) =>
        (order[left.status ?? ''] ?? 2) - (order[right.status ?? ''] ?? 2) ||
        (right.daysSince?.wom ?? Infinity) - (left.daysSince?.wom ?? Infinity) ||
        left.name.localeCompare(right.name),
    );
  const signal = (value: number | null | undefined): string =>
    value === undefined ? 'n/a' : value === null ? 'never' : days(value);
  const rows = list.map((member) =>
    h(
      'tr',
      { 'data-member-row': member.id },
      h('td', { class: 'name' }, memberLink(member.id, member.name)),
      h('td', {}, label(member.role)),
      h('td', {}, statusPill(member.status)),
      h('td', {}, member.inactivity ?? ''),
      h('td', { class: 'num' }, signal(member.daysSince?.wom)),
      h('td', { class: 'num' }, signal(member.daysSince?.discord)),
      numberCell(stat(member, 'xp'), compact(stat(member, 'xp'))),
      numberCell(stat(member, 'messages'), compact(stat(member, 'messages'))),
    ),
  );
  fill(
    target,
    h(
      'p',
      { class: 'hint' },
      `${whole(list.length)} members over their inactivity threshold (${model.rules.inactivityDays} days unless their rank says otherwise). Gains and messages: ${windowLabel(state.window)}.`,
    ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...[
              'Name',
              'Role',
              'Status',
              'Why',
              'Since progress',
              'Since Discord',
              'XP',
              'Messages',
            ].map((text, index) =>
              h('th', { scope: 'col', class: index >= 4 ? 'num' : null }, text),
            ),
          ),
        ),
        h('tbody', {}, ...(rows.length === 0 ? [emptyRow(8, 'Nobody is inactive. 🎉')] : rows)),
      ),
    ),
  );
}

function renderRankUps(): void {
  const target = document.querySelector<HTMLElement>('[data-slot="rankups"]');
  if (target === null || model.rankUps === undefined) return;
  const rows = model.rankUps.map((rankUp) => {
    const member = membersById.get(rankUp.id);
    const xp = member === undefined ? null : stat(member, 'xp');
    return h(
      'tr',
      { 'data-member-row': rankUp.id },
      h('td', { class: 'name' }, memberLink(rankUp.id, rankUp.name)),
      h('td', {}, `${label(rankUp.fromRole)} → ${label(rankUp.toRole)}`),
      h('td', { class: 'num' }, days(rankUp.tenureDays)),
      h('td', { class: 'num' }, compact(rankUp.score)),
      numberCell(xp, compact(xp)),
      h('td', {}, rankUp.reason),
    );
  });
  fill(
    target,
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Name', 'Promotion', 'Tenure', 'Score', `XP (${state.window})`, 'Why'].map(
              (text, index) =>
                h('th', { scope: 'col', class: index >= 2 && index <= 4 ? 'num' : null }, text),
            ),
          ),
        ),
        h('tbody', {}, ...(rows.length === 0 ? [emptyRow(6, 'No promotions are due.')] : rows)),
      ),
    ),
  );
}

// ------------------------------------------------------------------------------ roster changes

function describeEvent(event: ViewEvent): string {
  switch (event.type) {
    case 'joined':
      return event.role == null ? 'Joined' : `Joined as ${label(event.role)}`;
    case 'left':
      return 'Left the clan';
    case 'changed_role':
      return `${label(event.previousRole ?? '?')} → ${label(event.role ?? '?')}`;
    case 'name_changed':
      return `Changed name from ${event.oldName ?? '?'} to ${event.newName ?? '?'}`;
  }
}

function renderChanges(): void {
  const list = eventsInWindow();
  const rows = list
    .slice(0, 500)
    .map((event) =>
      h(
        'tr',
        {},
        h('td', { class: 'num' }, time.date(event.at)),
        h('td', { class: 'name' }, memberLink(event.id, event.name)),
        h(
          'td',
          {},
          h(
            'span',
            { class: `pill event-${event.type}` },
            label(
              event.type
                .replace('changed_role', 'rank change')
                .replace('name_changed', 'name change'),
            ),
          ),
        ),
        h('td', {}, describeEvent(event)),
      ),
    );
  fill(
    slot('changes'),
    h(
      'p',
      { class: 'hint' },
      `${whole(list.length)} changes in the ${windowLabel(state.window)}${list.length > 500 ? ' (newest 500 shown)' : ''}.`,
    ),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Date', 'Member', 'Change', 'Details'].map((text) =>
              h('th', { scope: 'col' }, text),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...(rows.length === 0 ? [emptyRow(4, 'No roster changes in this window.')] : rows),
        ),
      ),
    ),
  );
}

// --------------------------------------------------------------------------------- member page

function gainList(gains: ViewGains, unit: string, empty: string): HTMLElement {
  if (gains === null)
    return h('p', { class: 'empty' }, 'Unknown: no Wise Old Man baseline for this window.');
  if (gains.length === 0) return h('p', { class: 'empty' }, empty);
  const max = gains[1] ?? 1;
  const items: HTMLElement[] = [];
  for (let index = 0; index < gains.length; index += 2) {
    const metric = gains[index] ?? 0;
    const value = gains[index + 1] ?? 0;
    items.push(
      h(
        'li',
        {},
        icon(metric, 22),
        h('span', { class: 'gain-name' }, metricName(metric)),
        h(
          'span',
          { class: 'gain-bar', 'aria-hidden': 'true' },
          h('span', {
            class: 'gain-fill',
            'data-width': Math.max(2, Math.round((value / max) * 100)),
          }),
        ),
        h('span', { class: 'num', title: whole(value) }, `${compact(value)} ${unit}`),
      ),
    );
  }
  return h('ul', { class: 'gains' }, ...items);
}

function openMember(id: number, focusReturn?: HTMLElement): void {
  const member = membersById.get(id);
  const dialog = document.getElementById('member-dialog') as HTMLDialogElement | null;
  if (member === undefined || dialog === null) return;
  const content = slot('member');
  const windowRows = VIEW_WINDOWS.map((window) =>
    h(
      'tr',
      { class: window === state.window ? 'current' : null },
      h('th', { scope: 'row' }, window),
      ...(['xp', 'ehp', 'ehb', 'bossKills'] as const).map((key) => {
        const value = stat(member, key, window);
        return numberCell(
          value,
          key === 'ehp' || key === 'ehb' ? hours(value) : compact(value),
          value === null ? undefined : whole(value),
        );
      }),
      ...(model.public
        ? []
        : (['messages', 'clanChat', 'questions', 'answers'] as const).map((key) =>
            numberCell(stat(member, key, window), compact(stat(member, key, window))),
          )),
    ),
  );
  const statHeads = [
    'XP',
    'EHP',
    'EHB',
    'Boss kills',
    ...(model.public ? [] : ['Messages', 'Clan chat', 'Questions', 'Answers']),
  ];
  const facts: Child[] = [
    h('dt', {}, 'Role'),
    h('dd', {}, label(member.role)),
    h('dt', {}, 'In the clan'),
    h('dd', {}, `${days(member.tenureDays)} (since ${time.date(member.joinedAt)})`),
    h('dt', {}, model.public ? 'Last progress' : 'Last active'),
    h('dd', {}, time.date(member.lastActiveAt)),
  ];
  if (member.formerNames.length > 0)
    facts.push(h('dt', {}, 'Former names'), h('dd', {}, member.formerNames.join(', ')));
  if (!model.public) {
    facts.push(
      h('dt', {}, 'Discord'),
      h(
        'dd',
        {},
        member.discord !== undefined && member.discord.length > 0
          ? member.discord.join(', ')
          : 'not linked',
      ),
      h('dt', {}, 'Status'),
      h(
        'dd',
        {},
        statusPill(member.status),
        member.status === 'active' ? null : ` ${member.inactivity ?? ''}`,
      ),
      h('dt', {}, 'Score'),
      h('dd', {}, compact(member.score)),
    );
  }
  let weekly: Child = null;
  if (!model.public && member.weekly !== undefined && model.weeks !== undefined) {
    const labels = model.weeks.map((start) => `week of ${time.date(start)}`);
    const series = [
      { name: 'Discord messages', values: member.weekly.messages, className: 'series-2' },
    ];
    if (model.coverage.hasClanChat)
      series.push({
        name: 'clan chat lines',
        values: member.weekly.clanChat,
        className: 'series-3',
      });
    weekly = barChart({
      title: 'Messages per week, last 52 weeks',
      labels,
      series,
      format: compact,
    });
  }
  fill(
    content,
    h('h2', { id: 'member-title' }, member.name),
    h('dl', { class: 'facts' }, ...facts),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'member-windows' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Window'),
            ...statHeads.map((text) => h('th', { scope: 'col', class: 'num' }, text)),
          ),
        ),
        h('tbody', {}, ...windowRows),
      ),
    ),
    weekly,
    h(
      'div',
      { class: 'member-gains' },
      h(
        'section',
        {},
        h('h3', {}, `Skills, ${windowLabel(state.window)}`),
        gainList(member.skills[state.window], 'XP', 'No XP gained.'),
      ),
      h(
        'section',
        {},
        h('h3', {}, `Bosses, ${windowLabel(state.window)}`),
        gainList(member.bosses[state.window], 'kills', 'No boss kills gained.'),
      ),
    ),
  );
  for (const bar of content.querySelectorAll<HTMLElement>('.gain-fill')) {
    bar.style.width = `${bar.dataset.width ?? '0'}%`;
  }
  dialog.dataset.member = String(id);
  if (!dialog.open) {
    returnFocus = focusReturn ?? (document.activeElement as HTMLElement | null);
    dialog.showModal();
  }
  const hash = `#member-${id}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

let returnFocus: HTMLElement | null = null;

function setupDialog(): void {
  const dialog = document.getElementById('member-dialog') as HTMLDialogElement | null;
  if (dialog === null) return;
  dialog.addEventListener('close', () => {
    delete dialog.dataset.member;
    if (location.hash.startsWith('#member-'))
      history.replaceState(null, '', location.pathname + location.search);
    returnFocus?.focus();
  });
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
}

// ------------------------------------------------------------------------------ window, events

function renderWindowed(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-window]')) {
    button.setAttribute('aria-pressed', String(button.dataset.window === state.window));
  }
  for (const element of document.querySelectorAll<HTMLElement>('[data-window-label]')) {
    element.textContent = windowLabel(state.window);
  }
  renderOverview();
  renderRoster();
  renderHeatmap();
  renderBosses();
  renderLeaderboards();
  renderInactivity();
  renderRankUps();
  renderChanges();
  const dialog = document.getElementById('member-dialog') as HTMLDialogElement | null;
  const open = dialog?.dataset.member;
  if (dialog?.open === true && open !== undefined) openMember(Number(open));
}

function setupControls(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-window]')) {
    button.addEventListener('click', () => {
      state.window = button.dataset.window as ViewWindow;
      savePreferences();
      renderWindowed();
    });
  }
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const memberButton = target?.closest<HTMLElement>('[data-member]');
    if (memberButton?.dataset.member !== undefined) {
      openMember(Number(memberButton.dataset.member), memberButton);
      return;
    }
    const sortButton = target?.closest<HTMLElement>('[data-sort]');
    const key = sortButton?.dataset.sort;
    if (key !== undefined) {
      state.sortDescending =
        state.sortKey === key ? !state.sortDescending : key !== 'name' && key !== 'role';
      state.sortKey = key;
      renderRoster();
      document.querySelector<HTMLElement>(`[data-sort="${key}"]`)?.focus();
    }
  });
  const search = document.getElementById('roster-search') as HTMLInputElement | null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  search?.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.query = search.value;
      renderRoster();
    }, 80);
  });
  const status = document.getElementById('roster-status') as HTMLSelectElement | null;
  status?.addEventListener('change', () => {
    state.status = status.value;
    renderRoster();
  });
  const theme = document.getElementById('theme-toggle');
  theme?.addEventListener('click', () => {
    const root = document.documentElement;
    const dark =
      root.dataset.theme === 'dark' ||
      (root.dataset.theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
    root.dataset.theme = dark ? 'light' : 'dark';
    theme.setAttribute('aria-pressed', String(!dark));
    savePreferences();
  });
  window.addEventListener('hashchange', openFromHash);
}

function openFromHash(): void {
  const match = /^#member-(\d+)$/.exec(location.hash);
  if (match?.[1] !== undefined) openMember(Number(match[1]));
}

// ------------------------------------------------------------------------------------- startup

if (preferences.theme === 'light' || preferences.theme === 'dark') {
  document.documentElement.dataset.theme = preferences.theme;
}
const asOfElement = document.querySelector('[data-slot="as-of"]');
if (asOfElement !== null) fill(asOfElement, `as of ${time.dateTime(model.asOf)}`);
setupDialog();
setupControls();
renderWindowed();
openFromHash();
document.documentElement.dataset.ready = 'true';
performance.mark('clanstats:rendered');
