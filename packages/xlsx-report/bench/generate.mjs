// Builds a large, deterministic ReportData (the clan_data.json v1 shape) for the benchmark and the
// preview: every skill and boss metric in all four windows.

import { BOSSES as WOM_BOSSES, SKILLS as WOM_SKILLS } from '@clanstats/testkit';

/** Every Wise Old Man skill but `overall` (the report's per-skill columns). */
export const SKILLS = WOM_SKILLS.filter((skill) => skill !== 'overall');

/** Every Wise Old Man boss metric. */
export const BOSSES = [...WOM_BOSSES];

const WINDOWS = ['7d', '30d', '90d', '365d'];
const DAYS = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 };
const ROLES = ['recruit', 'corporal', 'sergeant', 'lieutenant', 'captain', 'general', 'owner'];
const DAY = 86_400_000;

function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @param {{ members?: number, seed?: number, asOf?: string, timezone?: string }} [options]
 * @returns {import('../src/index.js').ReportData}
 */
export function generateReportData(options = {}) {
  const {
    members: count = 1000,
    seed = 7,
    asOf = '2026-11-24T18:00:00.000Z',
    timezone = 'Europe/Amsterdam',
  } = options;
  const next = random(seed);
  const int = (max) => Math.floor(next() * max);
  const asOfMs = Date.parse(asOf);
  const iso = (ms) => new Date(ms).toISOString();
  const members = [];
  for (let index = 0; index < count; index += 1) {
    const playerId = 1000 + index;
    const tenureDays = 1 + int(900);
    const activity = next(); // 0 = ghost, 1 = grinder
    const tracked = next() > 0.03;
    const windows = {};
    for (const window of [...WINDOWS, 'all']) {
      const days = window === 'all' ? tenureDays : Math.min(DAYS[window], tenureDays);
      const scale = days * activity;
      const xpBySkill = {};
      let xp = 0;
      for (const skill of SKILLS) {
        if (next() < 0.35 * activity + 0.05) {
          const gained = int(40_000 * scale) + 1;
          xpBySkill[skill] = gained;
          xp += gained;
        }
      }
      const bossKillsByBoss = {};
      let bossKills = 0;
      for (const boss of BOSSES) {
        if (next() < 0.25 * activity) {
          const gained = int(3 * scale) + 1;
          bossKillsByBoss[boss] = gained;
          bossKills += gained;
        }
      }
      const known = tracked && !(window === '365d' && tenureDays < 100 && next() < 0.5);
      windows[window] = {
        since: iso(asOfMs - days * DAY),
        until: asOf,
        xp: known ? xp : null,
        ehp: known ? Math.round((xp / 250_000) * 100) / 100 : null,
        ehb: known ? Math.round((bossKills / 30) * 100) / 100 : null,
        bossKills: known ? bossKills : null,
        bossKillsByBoss: known ? bossKillsByBoss : null,
        xpBySkill: known ? xpBySkill : null,
        levels: known ? int(5 * activity) : null,
        messages: int(2 * scale),
        clanChatMessages: int(3 * scale),
        questions: int(0.1 * scale),
        answers: int(0.15 * scale),
        medianAnswerMs: next() < 0.5 ? null : int(3_600_000),
      };
    }
    const lastActive = activity < 0.1 ? null : asOfMs - int(120 * (1 - activity)) * DAY;
    const daysSince = lastActive === null ? tenureDays : Math.floor((asOfMs - lastActive) / DAY);
    const status =
      index % 40 === 0
        ? 'exempt'
        : daysSince >= 60
          ? 'inactive'
          : daysSince >= 30
            ? 'potentially_inactive'
            : 'active';
    const score =
      Math.round(
        (windows['30d'].messages + windows['30d'].clanChatMessages) * 6 +
          (windows['30d'].xp ?? 0) / 100_000 +
          (windows['30d'].bossKills ?? 0) * 3,
      ) / 1;
    const signal = (available) => ({
      available,
      lastAt: lastActive === null ? null : iso(lastActive),
      daysSince: available ? daysSince : null,
      over: daysSince >= 60,
    });
    const name = `Player ${String(index).padStart(4, '0')}${index % 97 === 0 ? ' =1+1' : ''}`;
    members.push({
      playerId,
      username: name.toLowerCase(),
      displayName: name,
      role: ROLES[int(ROLES.length)],
      joinedAt: iso(asOfMs - tenureDays * DAY),
      formerNames: index % 13 === 0 ? [`Old ${index}`] : [],
      discordUserIds: [],
      discordUsers:
        index % 4 === 0
          ? []
          : [
              {
                userId: String(7e17 + index),
                username: `user${index}`,
                globalName: `User ${index}`,
                nickname: null,
                source: 'nickname',
                confirmed: true,
              },
            ],
      tenureDays,
      lastActiveAt: lastActive === null ? null : iso(lastActive),
      lastProgressedAt: null,
      lastDiscordMessageAt: null,
      lastClanChatAt: null,
      status,
      inactivity: {
        thresholdDays: 60,
        exemptBy: status === 'exempt' ? 'role' : null,
        summary: daysSince >= 60 ? `over 60 d on wom (${daysSince} d)` : 'active',
        signals: { wom: signal(true), discord: signal(index % 4 !== 0), clanChat: signal(true) },
      },
      score,
      scoreIncomplete: !tracked,
      scoreBreakdown: { messages: 0, xp: 0, ehp: 0, ehb: 0, bossKills: 0 },
      rankUp: null,
      windows,
      windowSources: {},
      current: tracked
        ? { takenAt: asOf, xp: 10_000_000 + int(400_000_000), ehp: int(2000), ehb: int(1000) }
        : null,
    });
  }
  const totals = {};
  for (const window of WINDOWS) {
    const sum = (pick) =>
      members.reduce((total, member) => total + (pick(member.windows[window]) ?? 0), 0);
    totals[window] = {
      xp: sum((w) => w.xp),
      ehp: sum((w) => w.ehp),
      ehb: sum((w) => w.ehb),
      bossKills: sum((w) => w.bossKills),
      levels: 0,
      messages: sum((w) => w.messages),
      clanChatMessages: sum((w) => w.clanChatMessages),
      questions: sum((w) => w.questions),
      answers: sum((w) => w.answers),
      membersWithGains: members.filter((member) => member.windows[window].xp !== null).length,
      membersMissingBaseline: members.filter((member) => member.windows[window].xp === null).length,
      sources: { snapshots: 0, wom: 0, since_first_snapshot: 0 },
    };
  }
  const events = [];
  for (let index = 0; index < 2 * count; index += 1) {
    const type = ['joined', 'left', 'changed_role', 'name_changed'][index % 4];
    const event = {
      type,
      playerId: 1000 + int(count),
      at: iso(asOfMs - int(365) * DAY - int(DAY)),
      origin: 'activity',
    };
    if (type === 'joined') event.role = 'recruit';
    if (type === 'changed_role')
      Object.assign(event, { role: 'sergeant', previousRole: 'corporal' });
    if (type === 'name_changed')
      Object.assign(event, {
        origin: 'name_change',
        oldName: `Old ${index}`,
        newName: `New ${index}`,
      });
    events.push(event);
  }
  events.sort((left, right) => left.at.localeCompare(right.at));
  const channels = Array.from({ length: 40 }, (_, index) => ({
    channelId: String(8e17 + index),
    name: index === 0 ? 'osrs-clan-chat' : index % 5 === 4 ? `thread-${index}` : `channel-${index}`,
    parentId: index % 5 === 4 ? String(8e17 + index - 1) : null,
    isThread: index % 5 === 4,
    windows: Object.fromEntries(
      WINDOWS.map((window) => [
        window,
        {
          messages: int(100 * DAYS[window]),
          questions: int(5 * DAYS[window]),
          answers: int(6 * DAYS[window]),
          medianAnswerMs: int(7_200_000),
        },
      ]),
    ),
  }));
  const rankUps = members
    .filter((member) => member.score > 3000)
    .slice(0, 50)
    .map((member) => ({
      playerId: member.playerId,
      displayName: member.displayName,
      fromRole: member.role,
      toRole: 'captain',
      tenureDays: member.tenureDays,
      score: member.score,
      reason: `tenure ${member.tenureDays} d ≥ 90 d, score ${member.score} ≥ 3000`,
    }));
  const unmatchedDiscord = Array.from({ length: 100 }, (_, index) => ({
    userId: String(9e17 + index),
    username: `lurker${index}`,
    globalName: `Lurker ${index}`,
    nickname: null,
    messages: { '7d': int(10), '30d': 10 + int(40), '90d': 60, '365d': 100 },
    lastMessageAt: iso(asOfMs - int(30) * DAY),
    suggestions: [],
    ambiguousPlayerIds: [],
  }));
  return {
    schemaVersion: 1,
    generatedAt: asOf,
    asOf,
    timezone,
    group: { id: 11114, name: 'Bench Clan' },
    rules: {
      score: { window: '30d', weights: { messages: 6, xp: 1, ehp: 0, ehb: 0, bossKills: 3 } },
      inactivity: { days: 60, roleDays: { recruit: 30 }, exemptRoles: ['owner'], exemptNames: [] },
      ranks: [
        { role: 'recruit', minTenureDays: 0, minScore: 0 },
        { role: 'captain', minTenureDays: 90, minScore: 3000 },
      ],
    },
    members,
    formerMembers: [],
    events,
    totals,
    rankUps,
    unmatchedDiscord,
    channels,
    coverage: {
      hasClanChat: true,
      membersNotTracked: members.filter((member) => member.current === null).length,
      membersWithoutDiscord: Math.ceil(count / 4),
    },
  };
}
