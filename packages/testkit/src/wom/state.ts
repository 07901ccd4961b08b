/**
 * The fake server's mutable world, built from a {@link SyntheticClan}. The clan itself is never
 * mutated: updates append snapshot times here.
 */
import { HISTORY_COLUMNS, historyRow } from '../clan/history.js';
import type {
  IsoDate,
  SnapshotHistory,
  SyntheticAchievement,
  SyntheticClan,
  SyntheticCompetition,
  SyntheticGroup,
  SyntheticMemberActivity,
  SyntheticNameChange,
} from '../clan/model.js';
import { createRandom, hashString } from '../random.js';
import type { GroupRole, PlayerBuild, PlayerStatus, PlayerType } from './enums.js';
import { EXPERIENCE_TABLE } from './experience.js';
import { computeSnapshotStats } from './stats.js';
import type { SnapshotStats } from './stats.js';

/** A player as the fake server holds it. Times are epoch milliseconds. */
export interface PlayerState {
  readonly id: number;
  username: string;
  displayName: string;
  type: PlayerType;
  build: PlayerBuild;
  status: PlayerStatus;
  country: string | null;
  patron: boolean;
  registeredAt: number;
  updatedAt: number | null;
  lastChangedAt: number | null;
  lastImportedAt: number | null;
  /** Stats source: rows beyond its length repeat its last row (or the latest extra row). */
  history: SnapshotHistory;
  /** Snapshot times: the history's, then any added by updates and by `advance()`. */
  times: number[];
  /**
   * Rows added by `advance()` after the history, ascending `index`: snapshot `index` and every
   * later one without its own extra row carry `values` (updates repeat the latest row).
   */
  extraRows: ExtraRow[];
  /** Cached stats of the latest row. */
  latest: SnapshotStats | null;
}

/** Values (110 history columns, true values) that apply from snapshot `index` on. */
export interface ExtraRow {
  readonly index: number;
  readonly values: Int32Array;
}

/** A current membership. */
export interface MembershipState {
  readonly playerId: number;
  readonly groupId: number;
  role: GroupRole;
  clientSyncJoinedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A group as the fake server holds it. */
export interface GroupState {
  readonly group: SyntheticGroup;
  /** Current memberships in database (join) order. */
  memberships: MembershipState[];
  activity: SyntheticMemberActivity[];
  competitions: SyntheticCompetition[];
}

/** The whole world. */
export interface WomState {
  players: Map<number, PlayerState>;
  byUsername: Map<string, PlayerState>;
  groups: Map<number, GroupState>;
  nameChanges: SyntheticNameChange[];
  achievements: SyntheticAchievement[];
  nextPlayerId: number;
  nextNameChangeId: number;
}

const ms = (date: IsoDate): number => Date.parse(date);
const msOrNull = (date: IsoDate | null): number | null => (date === null ? null : Date.parse(date));

/** Builds the server state from a clan. */
export function createWomState(clan: SyntheticClan): WomState {
  const players = new Map<number, PlayerState>();
  const byUsername = new Map<string, PlayerState>();
  let maxId = 0;
  for (const member of clan.members) {
    const source = member.player;
    const player: PlayerState = {
      id: source.id,
      username: source.username,
      displayName: source.displayName,
      type: source.type,
      build: source.build,
      status: source.status,
      country: source.country,
      patron: source.patron,
      registeredAt: ms(source.registeredAt),
      updatedAt: msOrNull(source.updatedAt),
      lastChangedAt: msOrNull(source.lastChangedAt),
      lastImportedAt: msOrNull(source.lastImportedAt),
      history: member.history,
      times: Array.from(member.history.times),
      extraRows: [],
      latest: null,
    };
    players.set(player.id, player);
    byUsername.set(player.username, player);
    maxId = Math.max(maxId, player.id);
  }
  const memberships: MembershipState[] = clan.members
    .filter((member) => member.membership.leftAt === null)
    .map((member) => ({
      playerId: member.player.id,
      groupId: clan.group.id,
      role: member.membership.role,
      clientSyncJoinedAt: msOrNull(member.membership.clientSyncJoinedAt),
      createdAt: ms(member.membership.createdAt),
      updatedAt: ms(member.membership.updatedAt),
    }));
  const groups = new Map<number, GroupState>([
    [
      clan.group.id,
      {
        group: clan.group,
        memberships,
        activity: [...clan.activity],
        competitions: [...clan.competitions],
      },
    ],
  ]);
  return {
    players,
    byUsername,
    groups,
    nameChanges: [...clan.nameChanges],
    achievements: [...clan.achievements],
    nextPlayerId: maxId + 1,
    nextNameChangeId: clan.nameChanges.reduce((max, change) => Math.max(max, change.id), 0) + 1,
  };
}

/** The number of snapshots of a player. */
export function snapshotCount(player: PlayerState): number {
  return player.times.length;
}

/** The extra row that applies at snapshot `index`, or undefined when the history applies. */
export function extraRowAt(player: PlayerState, index: number): ExtraRow | undefined {
  const extras = player.extraRows;
  let low = 0;
  let high = extras.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((extras[middle]?.index ?? 0) <= index) low = middle + 1;
    else high = middle;
  }
  return extras[low - 1];
}

/** The 110 true values of snapshot `index` of a player (history, or an extra row). */
export function rowAt(player: PlayerState, index: number): Int32Array {
  const extra = extraRowAt(player, index);
  if (extra !== undefined) return extra.values;
  const historyIndex = Math.min(index, player.history.times.length - 1);
  return historyIndex < 0 ? player.history.initial : historyRow(player.history, historyIndex);
}

/** The stats of snapshot `index` of a player. */
export function statsAt(player: PlayerState, index: number): SnapshotStats {
  const last = player.times.length - 1;
  if (index === last && player.latest !== null) return player.latest;
  const stats = computeSnapshotStats(rowAt(player, index), player.type);
  if (index === last) player.latest = stats;
  return stats;
}

/** The latest stats of a player, or null when never updated. */
export function latestStats(player: PlayerState): SnapshotStats | null {
  return player.times.length === 0 ? null : statsAt(player, player.times.length - 1);
}

/**
 * Deterministic stats for a player the clan did not have (tracked through `POST /players/:username`)
 * or a never-updated member: a single-row history derived from the username.
 */
export function syntheticHistoryFor(username: string): SnapshotHistory {
  const random = createRandom(hashString(username));
  const initial = new Int32Array(HISTORY_COLUMNS.length);
  const mean = random.int(20, 90);
  for (let index = 0; index < 24; index++) {
    const skill = HISTORY_COLUMNS[index];
    let level = Math.max(1, Math.min(99, Math.round(mean + random.normal() * 10)));
    if (skill === 'hitpoints') level = Math.max(10, level);
    if (skill === 'sailing') level = Math.max(1, Math.min(60, Math.round(mean / 2)));
    const low = EXPERIENCE_TABLE[level] ?? 0;
    const high = EXPERIENCE_TABLE[Math.min(99, level + 1)] ?? low;
    initial[index] = level === 1 ? 0 : low + Math.floor(random.next() * Math.max(1, high - low));
  }
  for (let index = 24; index < 24 + 71; index++) {
    if (random.chance(mean / 200)) initial[index] = random.int(1, 40 * Math.ceil(mean / 10));
  }
  initial[24 + 71 + 2] = random.int(0, mean * 3); // clue_scrolls_all
  return {
    times: new Float64Array(0),
    initial,
    changeRows: new Uint32Array(0),
    changeColumns: new Uint8Array(0),
    changeValues: new Int32Array(0),
  };
}

/** Adds a snapshot at `time` with the player's current values (a fake "update"). */
export function appendSnapshot(player: PlayerState, time: number): void {
  if (player.times.length === 0) {
    player.history = syntheticHistoryFor(player.username);
    if (player.type === 'unknown') player.type = 'regular';
  }
  const last = player.times[player.times.length - 1];
  player.times.push(last !== undefined && time <= last ? last + 1 : time);
  player.latest = null;
  player.updatedAt = player.times[player.times.length - 1] ?? time;
}
