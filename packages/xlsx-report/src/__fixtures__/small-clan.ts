import type { ReportData, ReportMember, ReportMemberWindow, ReportWindowKey } from '../index.js';

/** Hostile texts a player or Discord user might choose as a name. */
export const HOSTILE = [
  '=HYPERLINK("http://x","y")',
  "+cmd|' /C calc'!A0",
  '-1+2',
  '@SUM(A1)',
] as const;

const AS_OF = '2026-03-31T12:00:00.000Z';

function window(overrides: Partial<ReportMemberWindow> = {}): ReportMemberWindow {
  return {
    xp: 0,
    ehp: 0,
    ehb: 0,
    bossKills: 0,
    bossKillsByBoss: {},
    xpBySkill: {},
    messages: 0,
    clanChatMessages: 0,
    questions: 0,
    answers: 0,
    medianAnswerMs: null,
    ...overrides,
  };
}

function windows(
  by: Partial<Record<ReportWindowKey | 'all', Partial<ReportMemberWindow>>>,
): ReportMember['windows'] {
  return {
    '7d': window(by['7d']),
    '30d': window(by['30d']),
    '90d': window(by['90d']),
    '365d': window(by['365d']),
    all: window(by.all),
  };
}

const signal = (lastAt: string | null, daysSince: number | null, over: boolean) => ({
  available: daysSince !== null,
  lastAt,
  daysSince,
  over,
});

function member(
  overrides: Partial<ReportMember> & Pick<ReportMember, 'playerId' | 'displayName'>,
): ReportMember {
  return {
    role: 'recruit',
    joinedAt: '2025-06-01T10:00:00.000Z',
    formerNames: [],
    discordUsers: [],
    tenureDays: 303,
    lastActiveAt: null,
    status: 'active',
    inactivity: {
      thresholdDays: 60,
      exemptBy: null,
      summary: 'active',
      signals: {
        wom: signal(null, 3, false),
        discord: signal(null, null, false),
        clanChat: signal(null, null, false),
      },
    },
    score: 0,
    scoreIncomplete: false,
    rankUp: null,
    windows: windows({}),
    current: null,
    ...overrides,
  };
}

const totals = {
  xp: 1_234_567,
  ehp: 3.25,
  ehb: 1.5,
  bossKills: 12,
  messages: 5,
  clanChatMessages: 7,
  questions: 1,
  answers: 2,
  membersWithGains: 3,
  membersMissingBaseline: 1,
};

/**
 * A small clan with known figures: Zezima (active, the top scorer), a hostile-named inactive
 * member, a potentially inactive one without a 365d baseline, and an exempt one.
 */
export function smallClan(): ReportData {
  return {
    generatedAt: '2026-03-31T12:05:00.000Z',
    asOf: AS_OF,
    timezone: 'Europe/Amsterdam',
    group: { id: 11114, name: 'Nevr Lucky' },
    rules: {
      score: { window: '30d', weights: { messages: 6, xp: 1, ehp: 0, ehb: 0, bossKills: 3 } },
      inactivity: { days: 60, roleDays: { recruit: 14 }, exemptRoles: ['owner'], exemptNames: [] },
      ranks: [
        { role: 'recruit', minTenureDays: 0, minScore: 0 },
        { role: 'sergeant', minTenureDays: 90, minScore: 100 },
      ],
    },
    members: [
      member({
        playerId: 1,
        displayName: 'Zezima',
        role: 'recruit',
        joinedAt: '2025-06-01T22:30:00.000Z',
        lastActiveAt: '2026-03-30T22:30:00.000Z',
        formerNames: ['Zezima Old'],
        discordUsers: [
          { userId: '500000000000000001', username: 'zez', globalName: 'Zez', nickname: null },
        ],
        score: 120.5,
        rankUp: { toRole: 'sergeant', reason: 'tenure 303 d ≥ 90 d, score 120.5 ≥ 100' },
        windows: windows({
          '7d': {
            xp: 1_234_567,
            ehp: 3.25,
            ehb: 1.5,
            bossKills: 12,
            bossKillsByBoss: { zulrah: 10, vorkath: 2 },
            xpBySkill: { slayer: 234_567, attack: 1_000_000 },
            messages: 5,
            clanChatMessages: 7,
            questions: 1,
            answers: 2,
            medianAnswerMs: 90_000,
          },
          '30d': {
            xp: 5_000_000,
            ehp: 12.04,
            ehb: 6,
            bossKills: 40,
            bossKillsByBoss: { zulrah: 30, vorkath: 10 },
            xpBySkill: { attack: 3_000_000, slayer: 2_000_000 },
            messages: 20,
            clanChatMessages: 30,
            questions: 3,
            answers: 4,
            medianAnswerMs: 120_000,
          },
          '90d': { xp: 9_000_000, bossKills: 100, messages: 60 },
          '365d': { xp: 20_000_000, bossKills: 400, messages: 300 },
          all: { messages: 310, clanChatMessages: 500 },
        }),
        current: { takenAt: AS_OF, xp: 150_000_000, ehp: 900.5, ehb: 120.25 },
      }),
      member({
        playerId: 2,
        displayName: HOSTILE[0],
        formerNames: [HOSTILE[3]],
        discordUsers: [
          { userId: '500000000000000002', username: null, globalName: null, nickname: HOSTILE[1] },
        ],
        status: 'inactive',
        score: 0,
        inactivity: {
          thresholdDays: 14,
          exemptBy: null,
          summary: 'over 14 d on wom (90 d), discord (80 d)',
          signals: {
            wom: signal('2025-12-31T12:00:00.000Z', 90, true),
            discord: signal('2026-01-10T12:00:00.000Z', 80, true),
            clanChat: signal(null, null, false),
          },
        },
      }),
      member({
        playerId: 3,
        displayName: HOSTILE[2],
        status: 'potentially_inactive',
        score: 42,
        scoreIncomplete: true,
        windows: windows({
          '7d': { xp: 100, messages: 2 },
          '30d': { xp: 200, messages: 5 },
          '365d': {
            xp: null,
            ehp: null,
            ehb: null,
            bossKills: null,
            bossKillsByBoss: null,
            xpBySkill: null,
          },
        }),
      }),
      member({ playerId: 4, displayName: HOSTILE[3], role: 'owner', status: 'exempt', score: 10 }),
    ],
    formerMembers: [
      {
        playerId: 9,
        displayName: 'Gone Guy',
        role: 'recruit',
        joinedAt: '2025-01-01T00:00:00.000Z',
        formerNames: [],
        discordUsers: [],
        leftAt: '2026-03-20T08:00:00.000Z',
      },
    ],
    events: [
      {
        type: 'joined',
        playerId: 1,
        at: '2025-06-01T22:30:00.000Z',
        origin: 'activity',
        role: 'recruit',
      },
      { type: 'left', playerId: 9, at: '2026-03-20T08:00:00.000Z', origin: 'activity' },
      {
        type: 'changed_role',
        playerId: 4,
        at: '2026-03-21T08:00:00.000Z',
        origin: 'activity',
        role: 'owner',
        previousRole: 'recruit',
      },
      {
        type: 'name_changed',
        playerId: 1,
        at: '2026-03-22T08:00:00.000Z',
        origin: 'name_change',
        oldName: 'Zezima Old',
        newName: 'Zezima',
      },
    ],
    totals: { '7d': totals, '30d': totals, '90d': totals, '365d': totals },
    rankUps: [
      {
        playerId: 1,
        displayName: 'Zezima',
        fromRole: 'recruit',
        toRole: 'sergeant',
        tenureDays: 303,
        score: 120.5,
        reason: 'tenure 303 d ≥ 90 d, score 120.5 ≥ 100',
      },
    ],
    unmatchedDiscord: [
      {
        userId: '500000000000000099',
        username: 'lurker',
        globalName: HOSTILE[3],
        nickname: null,
        messages: { '7d': 1, '30d': 4, '90d': 4, '365d': 4 },
        lastMessageAt: '2026-03-29T10:00:00.000Z',
        suggestions: [],
      },
    ],
    channels: [
      {
        channelId: '600000000000000001',
        name: HOSTILE[0],
        parentId: null,
        isThread: false,
        windows: {
          '7d': { messages: 5, questions: 1, answers: 2, medianAnswerMs: 60_000 },
          '30d': { messages: 20, questions: 3, answers: 4, medianAnswerMs: 120_000 },
          '90d': { messages: 60, questions: 3, answers: 4, medianAnswerMs: 120_000 },
          '365d': { messages: 300, questions: 3, answers: 4, medianAnswerMs: 120_000 },
        },
      },
      {
        channelId: '600000000000000002',
        name: HOSTILE[2],
        parentId: '600000000000000001',
        isThread: true,
        windows: {
          '7d': { messages: 1, questions: 0, answers: 0, medianAnswerMs: null },
          '30d': { messages: 2, questions: 0, answers: 0, medianAnswerMs: null },
          '90d': { messages: 2, questions: 0, answers: 0, medianAnswerMs: null },
          '365d': { messages: 2, questions: 0, answers: 0, medianAnswerMs: null },
        },
      },
    ],
    coverage: { hasClanChat: true, membersNotTracked: 1, membersWithoutDiscord: 2 },
  };
}
