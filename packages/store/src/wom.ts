import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './errors.js';
import { normalizeRsn, toFlag, toMillis, toMillisOrNull, type Instant } from './values.js';

/** A WOM group, as `GET /groups/:id` describes it. */
export interface GroupRecord {
  id: number;
  name: string;
  clanChat?: string | null;
  description?: string | null;
  homeworld?: number | null;
  verified?: boolean;
  patron?: boolean;
  memberCount?: number;
  createdAt?: Instant | null;
  updatedAt?: Instant | null;
}

/** A WOM player (the `Player` shape of the API). */
export interface PlayerRecord {
  id: number;
  username: string;
  displayName: string;
  type?: string;
  build?: string;
  status?: string;
  country?: string | null;
  exp?: number | null;
  ehp?: number | null;
  ehb?: number | null;
  registeredAt?: Instant | null;
  updatedAt?: Instant | null;
  lastChangedAt?: Instant | null;
  lastImportedAt?: Instant | null;
}

/** A current member of a group, for {@link WomWriter.syncMemberships}. */
export interface MemberRecord {
  playerId: number;
  role: string;
  /** When the player joined (WOM membership `createdAt`). */
  joinedAt: Instant;
}

/** What {@link WomWriter.syncMemberships} changed. */
export interface MembershipSyncResult {
  joined: number[];
  left: number[];
  roleChanged: number[];
}

/** A WOM name change (`NameChange`). */
export interface NameChangeRecord {
  id: number;
  playerId: number;
  oldName: string;
  newName: string;
  status: 'pending' | 'approved' | 'denied';
  resolvedAt?: Instant | null;
  createdAt: Instant;
  updatedAt?: Instant | null;
}

/** One event of the group activity feed (`MemberActivity`). */
export interface GroupActivityRecord {
  groupId: number;
  playerId: number;
  type: 'joined' | 'left' | 'changed_role';
  role?: string | null;
  previousRole?: string | null;
  createdAt: Instant;
}

/** The metric categories of a WOM snapshot. */
export type MetricCategory = 'skill' | 'boss' | 'activity' | 'computed';

/**
 * A snapshot's `data` in WOM's wire shape (`@clanstats/wom-client`'s `Snapshot['data']` as it
 * is). Unknown metric keys (added by WOM later) are kept: each new name becomes a row of
 * `wom_metrics`. An `undefined` value is skipped.
 */
export interface SnapshotData {
  skills?: Record<string, { experience: number; rank: number; level?: number } | undefined>;
  bosses?: Record<string, { kills: number; rank: number } | undefined>;
  activities?: Record<string, { score: number; rank: number } | undefined>;
  computed?: Record<string, { value: number; rank: number } | undefined>;
}

/** A player snapshot to store. */
export interface SnapshotRecord {
  playerId: number;
  /** WOM's snapshot `createdAt`. A player has at most one snapshot per instant. */
  takenAt: Instant;
  importedAt?: Instant | null;
  /** The harvest run that fetched it. */
  runId?: number | null;
  data: SnapshotData;
}

/**
 * One member's gain in one metric over one report window, as Wise Old Man computed it, for
 * {@link WomWriter.replaceWindowGains}.
 */
export interface WindowGainRecord {
  playerId: number;
  /** The window's length in days (7, 30, 90, 365). */
  windowDays: number;
  /** The metric's name, such as `overall`, `zulrah`, `ehp`. */
  metric: string;
  /** The metric's category; used when the metric is new to the store. */
  category: MetricCategory;
  /** The requested start of the window (its end minus `windowDays` days). */
  rangeStart: Instant;
  /** The requested end of the window (the harvest's as-of time). */
  rangeEnd: Instant;
  /** The member's first WOM snapshot in the window. */
  startAt: Instant;
  /** The member's last WOM snapshot in the window. */
  endAt: Instant;
  /** The value at `startAt`; `-1` when unranked, as WOM reports it. */
  startValue: number;
  /** The value at `endAt`; `-1` when unranked. */
  endValue: number;
  /** WOM's delta. */
  gained: number;
}

const valuesPerStatement = 40;

/** Writes WOM data. Every method is idempotent: writing the same data twice changes nothing. */
export class WomWriter {
  readonly #db: BetterSqlite3.Database;
  readonly #metricIds = new Map<string, number>();
  readonly #statements;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    this.#statements = {
      group:
        db.prepare(`INSERT INTO wom_groups (id, name, clan_chat, description, homeworld, verified, patron,
          member_count, created_at, updated_at, fetched_at)
        VALUES (@id, @name, @clanChat, @description, @homeworld, @verified, @patron, @memberCount, @createdAt,
          @updatedAt, @fetchedAt)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, clan_chat = excluded.clan_chat,
          description = excluded.description, homeworld = excluded.homeworld, verified = excluded.verified,
          patron = excluded.patron, member_count = excluded.member_count, created_at = excluded.created_at,
          updated_at = excluded.updated_at, fetched_at = excluded.fetched_at`),
      player:
        db.prepare(`INSERT INTO wom_players (id, username, display_name, type, build, status, country, exp,
          ehp, ehb, registered_at, updated_at, last_changed_at, last_imported_at, fetched_at)
        VALUES (@id, @username, @displayName, @type, @build, @status, @country, @exp, @ehp, @ehb, @registeredAt,
          @updatedAt, @lastChangedAt, @lastImportedAt, @fetchedAt)
        ON CONFLICT (id) DO UPDATE SET username = excluded.username, display_name = excluded.display_name,
          type = excluded.type, build = excluded.build, status = excluded.status, country = excluded.country,
          exp = excluded.exp, ehp = excluded.ehp, ehb = excluded.ehb, registered_at = excluded.registered_at,
          updated_at = excluded.updated_at, last_changed_at = excluded.last_changed_at,
          last_imported_at = excluded.last_imported_at, fetched_at = excluded.fetched_at`),
      name: db.prepare(`INSERT INTO wom_player_names (player_id, normalized_name, display_name, source,
          first_seen_at, last_seen_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (player_id, normalized_name) DO UPDATE SET
          last_seen_at = max(last_seen_at, excluded.last_seen_at),
          first_seen_at = min(first_seen_at, excluded.first_seen_at)`),
      openMemberships: db.prepare<[number], { id: number; player_id: number; role: string }>(
        `SELECT id, player_id, role FROM wom_memberships WHERE group_id = ? AND left_at IS NULL`,
      ),
      insertMembership:
        db.prepare(`INSERT INTO wom_memberships (group_id, player_id, role, joined_at, updated_at)
        VALUES (?, ?, ?, ?, ?)`),
      lastLeftAt: db.prepare<[number, number], { left_at: number }>(
        `SELECT max(left_at) AS left_at FROM wom_memberships WHERE group_id = ? AND player_id = ?`,
      ),
      closeMembership: db.prepare(
        `UPDATE wom_memberships SET left_at = ?, updated_at = ? WHERE id = ?`,
      ),
      changeRole: db.prepare(`UPDATE wom_memberships SET role = ?, updated_at = ? WHERE id = ?`),
      nameChange:
        db.prepare(`INSERT INTO wom_name_changes (id, player_id, old_name, new_name, status, resolved_at,
          created_at, updated_at)
        VALUES (@id, @playerId, @oldName, @newName, @status, @resolvedAt, @createdAt, @updatedAt)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, resolved_at = excluded.resolved_at,
          updated_at = excluded.updated_at
        WHERE status IS NOT excluded.status OR resolved_at IS NOT excluded.resolved_at
          OR updated_at IS NOT excluded.updated_at`),
      activity:
        db.prepare(`INSERT OR IGNORE INTO wom_group_activity (group_id, player_id, type, role,
          previous_role, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
      latestActivity: db.prepare<[number], { created_at: number | null }>(
        `SELECT max(created_at) AS created_at FROM wom_group_activity WHERE group_id = ?`,
      ),
      nameChangeStatuses: db.prepare<[string], { id: number; status: NameChangeRecord['status'] }>(
        `SELECT id, status FROM wom_name_changes WHERE id IN (SELECT value FROM json_each(?))`,
      ),
      deleteWindowGains: db.prepare(
        `DELETE FROM wom_window_gains WHERE player_id = ? AND window_days = ?`,
      ),
      windowGain:
        db.prepare(`INSERT INTO wom_window_gains (player_id, window_days, metric_id, range_start,
          range_end, start_at, end_at, start_value, end_value, gained, run_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (player_id, window_days, metric_id) DO UPDATE SET range_start = excluded.range_start,
          range_end = excluded.range_end, start_at = excluded.start_at, end_at = excluded.end_at,
          start_value = excluded.start_value, end_value = excluded.end_value,
          gained = excluded.gained, run_id = excluded.run_id`),
      metrics: db.prepare<[], { id: number; name: string }>(`SELECT id, name FROM wom_metrics`),
      insertMetric: db.prepare(`INSERT INTO wom_metrics (name, category) VALUES (?, ?)`),
      snapshot:
        db.prepare(`INSERT INTO wom_snapshots (player_id, taken_at, imported_at, run_id, overall_exp)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT (player_id, taken_at) DO NOTHING`),
      values: db.prepare(
        `INSERT INTO wom_snapshot_values (snapshot_id, metric_id, value, rank, level) VALUES ${Array.from(
          { length: valuesPerStatement },
          () => '(?, ?, ?, ?, ?)',
        ).join(', ')}`,
      ),
      value: db.prepare(
        `INSERT INTO wom_snapshot_values (snapshot_id, metric_id, value, rank, level) VALUES (?, ?, ?, ?, ?)`,
      ),
    };
  }

  /** Inserts or updates a group. */
  upsertGroup(group: GroupRecord, fetchedAt: Instant = Date.now()): void {
    this.#statements.group.run({
      id: group.id,
      name: group.name,
      clanChat: group.clanChat ?? null,
      description: group.description ?? null,
      homeworld: group.homeworld ?? null,
      verified: toFlag(group.verified),
      patron: toFlag(group.patron),
      memberCount: group.memberCount ?? 0,
      createdAt: toMillisOrNull(group.createdAt, 'group.createdAt'),
      updatedAt: toMillisOrNull(group.updatedAt, 'group.updatedAt'),
      fetchedAt: toMillis(fetchedAt, 'fetchedAt'),
    });
  }

  /** Inserts or updates players, and records each current name as an alias. One transaction. */
  upsertPlayers(players: readonly PlayerRecord[], fetchedAt: Instant = Date.now()): void {
    const fetched = toMillis(fetchedAt, 'fetchedAt');
    this.#db.transaction(() => {
      for (const player of players) {
        this.#statements.player.run({
          id: player.id,
          username: player.username,
          displayName: player.displayName,
          type: player.type ?? 'unknown',
          build: player.build ?? 'main',
          status: player.status ?? 'active',
          country: player.country ?? null,
          exp: player.exp ?? null,
          ehp: player.ehp ?? null,
          ehb: player.ehb ?? null,
          registeredAt: toMillisOrNull(player.registeredAt, 'player.registeredAt'),
          updatedAt: toMillisOrNull(player.updatedAt, 'player.updatedAt'),
          lastChangedAt: toMillisOrNull(player.lastChangedAt, 'player.lastChangedAt'),
          lastImportedAt: toMillisOrNull(player.lastImportedAt, 'player.lastImportedAt'),
          fetchedAt: fetched,
        });
        this.#statements.name.run(
          player.id,
          normalizeRsn(player.displayName),
          player.displayName,
          'player',
          fetched,
          fetched,
        );
      }
    })();
  }

  /**
   * Brings the membership periods of a group in line with its current roster. A member missing
   * from `members` is marked left (never deleted); a member who comes back opens a new period;
   * a role change updates the open period. One transaction.
   */
  syncMemberships(
    groupId: number,
    members: readonly MemberRecord[],
    at: Instant = Date.now(),
  ): MembershipSyncResult {
    const now = toMillis(at, 'at');
    const result: MembershipSyncResult = { joined: [], left: [], roleChanged: [] };
    this.#db.transaction(() => {
      const open = new Map(
        this.#statements.openMemberships.all(groupId).map((row) => [row.player_id, row]),
      );
      const seen = new Set<number>();
      for (const member of members) {
        if (seen.has(member.playerId)) {
          throw new StoreError(
            'INVALID_INPUT',
            `Player ${member.playerId} is listed twice in group ${groupId}`,
          );
        }
        seen.add(member.playerId);
        const current = open.get(member.playerId);
        if (current === undefined) {
          // A returning member's WOM joinedAt may predate their last leave: the new period starts after it.
          const lastLeft =
            this.#statements.lastLeftAt.get(groupId, member.playerId)?.left_at ?? null;
          const joinedAt = toMillis(member.joinedAt, 'member.joinedAt');
          const start = lastLeft !== null && joinedAt <= lastLeft ? now : joinedAt;
          this.#statements.insertMembership.run(groupId, member.playerId, member.role, start, now);
          result.joined.push(member.playerId);
        } else if (current.role !== member.role) {
          this.#statements.changeRole.run(member.role, now, current.id);
          result.roleChanged.push(member.playerId);
        }
      }
      for (const [playerId, membership] of open) {
        if (seen.has(playerId)) continue;
        this.#statements.closeMembership.run(now, now, membership.id);
        result.left.push(playerId);
      }
    })();
    return result;
  }

  /** Stores name changes; approved ones also record the old name as an alias of the player. */
  upsertNameChanges(changes: readonly NameChangeRecord[]): number {
    let written = 0;
    this.#db.transaction(() => {
      for (const change of changes) {
        const createdAt = toMillis(change.createdAt, 'nameChange.createdAt');
        written += this.#statements.nameChange.run({
          id: change.id,
          playerId: change.playerId,
          oldName: change.oldName,
          newName: change.newName,
          status: change.status,
          resolvedAt: toMillisOrNull(change.resolvedAt, 'nameChange.resolvedAt'),
          createdAt,
          updatedAt: toMillisOrNull(change.updatedAt, 'nameChange.updatedAt'),
        }).changes;
        if (change.status === 'approved') {
          const resolved = toMillisOrNull(change.resolvedAt) ?? createdAt;
          this.#statements.name.run(
            change.playerId,
            normalizeRsn(change.oldName),
            change.oldName,
            'name_change',
            resolved,
            resolved,
          );
          this.#statements.name.run(
            change.playerId,
            normalizeRsn(change.newName),
            change.newName,
            'name_change',
            resolved,
            resolved,
          );
        }
      }
    })();
    return written;
  }

  /** Stores group activity events; returns how many were new. */
  insertGroupActivity(events: readonly GroupActivityRecord[]): number {
    let inserted = 0;
    this.#db.transaction(() => {
      for (const event of events) {
        inserted += this.#statements.activity.run(
          event.groupId,
          event.playerId,
          event.type,
          event.role ?? null,
          event.previousRole ?? null,
          toMillis(event.createdAt, 'activity.createdAt'),
        ).changes;
      }
    })();
    return inserted;
  }

  /**
   * The stored status of each of the given name changes; ids not stored are absent. Lets a
   * harvest page the name-change feed only until it reaches changes it already has.
   */
  nameChangeStatuses(ids: readonly number[]): Map<number, NameChangeRecord['status']> {
    const statuses = new Map<number, NameChangeRecord['status']>();
    if (ids.length === 0) return statuses;
    for (const row of this.#statements.nameChangeStatuses.all(JSON.stringify(ids))) {
      statuses.set(row.id, row.status);
    }
    return statuses;
  }

  /** The newest stored activity event of a group (epoch ms), to page the feed only to what is new. */
  latestActivityAt(groupId: number): number | null {
    return this.#statements.latestActivity.get(groupId)?.created_at ?? null;
  }

  /**
   * Forgets the cached metric ids. The store calls it when a transaction that wrapped these
   * writes rolls back, taking the metric rows it inserted with it.
   * @internal
   */
  forgetCachedIds(): void {
    this.#metricIds.clear();
  }

  #metricId(name: string, category: MetricCategory): number {
    let id = this.#metricIds.get(name);
    if (id !== undefined) return id;
    if (this.#metricIds.size === 0) {
      for (const row of this.#statements.metrics.all()) this.#metricIds.set(row.name, row.id);
      id = this.#metricIds.get(name);
      if (id !== undefined) return id;
    }
    id = Number(this.#statements.insertMetric.run(name, category).lastInsertRowid);
    this.#metricIds.set(name, id);
    return id;
  }

  /**
   * Stores snapshots with every metric value. A snapshot already stored (same player and time) is
   * skipped whole. One transaction for the batch; returns how many snapshots were new.
   */
  insertSnapshots(snapshots: readonly SnapshotRecord[]): number {
    let inserted = 0;
    // Values go in multi-row statements of a fixed size; the tail goes row by row.
    const params: Array<number | null> = new Array<number | null>(valuesPerStatement * 5);
    let filled = 0;
    const push = (
      snapshotId: number,
      metricId: number,
      value: number,
      rank: number,
      level: number | null,
    ): void => {
      params[filled] = snapshotId;
      params[filled + 1] = metricId;
      params[filled + 2] = value;
      params[filled + 3] = rank;
      params[filled + 4] = level;
      filled += 5;
      if (filled === params.length) {
        this.#statements.values.run(params);
        filled = 0;
      }
    };
    const write = this.#db.transaction(() => {
      for (const snapshot of snapshots) {
        const info = this.#statements.snapshot.run(
          snapshot.playerId,
          toMillis(snapshot.takenAt, 'snapshot.takenAt'),
          toMillisOrNull(snapshot.importedAt, 'snapshot.importedAt'),
          snapshot.runId ?? null,
          snapshot.data.skills?.overall?.experience ?? null,
        );
        if (info.changes === 0) continue;
        inserted += 1;
        const snapshotId = Number(info.lastInsertRowid);
        const { skills, bosses, activities, computed } = snapshot.data;
        for (const name in skills) {
          const skill = skills[name];
          if (skill === undefined) continue;
          push(
            snapshotId,
            this.#metricId(name, 'skill'),
            skill.experience,
            skill.rank,
            skill.level ?? null,
          );
        }
        for (const name in bosses) {
          const boss = bosses[name];
          if (boss === undefined) continue;
          push(snapshotId, this.#metricId(name, 'boss'), boss.kills, boss.rank, null);
        }
        for (const name in activities) {
          const activity = activities[name];
          if (activity === undefined) continue;
          push(snapshotId, this.#metricId(name, 'activity'), activity.score, activity.rank, null);
        }
        for (const name in computed) {
          const metric = computed[name];
          if (metric === undefined) continue;
          push(snapshotId, this.#metricId(name, 'computed'), metric.value, metric.rank, null);
        }
      }
      for (let index = 0; index < filled; index += 5) {
        this.#statements.value.run(params.slice(index, index + 5));
      }
      filled = 0;
    });
    try {
      write();
    } catch (error) {
      // A metric row inserted by the rolled-back transaction is gone: forget cached ids.
      this.#metricIds.clear();
      throw error;
    }
    return inserted;
  }

  /**
   * Replaces Wise Old Man's window gains: every stored row of each (player, window) pair in
   * `rows`, and in `options.pairs`, is deleted, then `rows` are inserted, in one transaction.
   * Other pairs keep their rows. Returns the rows written.
   * @param runId - The harvest run that fetched them.
   * @param options - `pairs`: more (player, window) pairs to clear, such as a member who has no
   * gain in a window any more.
   */
  replaceWindowGains(
    rows: readonly WindowGainRecord[],
    runId: number | null = null,
    options: { pairs?: ReadonlyArray<{ playerId: number; windowDays: number }> } = {},
  ): number {
    const write = this.#db.transaction(() => {
      const pairs = new Set<string>();
      for (const row of [...rows, ...(options.pairs ?? [])]) {
        if (!Number.isInteger(row.windowDays) || row.windowDays <= 0) {
          throw new StoreError(
            'INVALID_INPUT',
            `windowDays must be a positive whole number of days, got ${String(row.windowDays)}`,
          );
        }
        const key = `${row.playerId}:${row.windowDays}`;
        if (pairs.has(key)) continue;
        pairs.add(key);
        this.#statements.deleteWindowGains.run(row.playerId, row.windowDays);
      }
      for (const row of rows) {
        this.#statements.windowGain.run(
          row.playerId,
          row.windowDays,
          this.#metricId(row.metric, row.category),
          toMillis(row.rangeStart, 'windowGain.rangeStart'),
          toMillis(row.rangeEnd, 'windowGain.rangeEnd'),
          toMillis(row.startAt, 'windowGain.startAt'),
          toMillis(row.endAt, 'windowGain.endAt'),
          row.startValue,
          row.endValue,
          row.gained,
          runId,
        );
      }
    });
    try {
      write();
    } catch (error) {
      // A metric row inserted by the rolled-back transaction is gone: forget cached ids.
      this.#metricIds.clear();
      throw error;
    }
    return rows.length;
  }
}
