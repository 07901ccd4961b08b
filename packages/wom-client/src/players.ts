import type { Metric, Period } from './enums.js';
import {
  MAX_PAGE_SIZE,
  MAX_SNAPSHOT_PAGE_SIZE,
  checkId,
  getInit,
  type GetInit,
  pageParams,
  paginate,
  playerPath,
  rangeParams,
  withNotFoundCode,
} from './internal.js';
import type { Transport } from './transport/index.js';
import type {
  CallOptions,
  IterateOptions,
  PageOptions,
  TimeRange,
  WireDate,
} from './types/common.js';
import type { PlayerMembership } from './types/group.js';
import type { Achievement, NameChange, PlayerDetails, RecordEntry } from './types/player.js';
import type { PlayerGains, Snapshot, SnapshotTimelineEntry } from './types/snapshot.js';

/** Which records {@link PlayersClient.getRecords} returns; both filters are optional. */
export interface PlayerRecordsFilter {
  /** Only this metric's records. */
  metric?: Metric | undefined;
  /** Only this period's records (a fixed period; no custom expressions). */
  period?: Period | undefined;
}

/**
 * The player endpoints, as `wom.players`. Usernames are case- and separator-insensitive on the
 * server (`Zezima`, `zezima` and ` ze_zima ` are one player) and are URL-encoded here, so names
 * with spaces or other characters are safe. Every method takes options with an optional abort
 * `signal` last.
 */
export class PlayersClient<Dates extends WireDate = Date> {
  readonly #transport: Transport;

  /** @internal Made by {@link WomClient}; not meant to be constructed directly. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** A GET whose legacy not-found answers get their proper code. */
  async #get<Result>(path: string, init: GetInit): Promise<Result> {
    return withNotFoundCode(this.#transport.request<Result>('GET', path, init), 'PLAYER_NOT_FOUND');
  }

  /**
   * A player with their latest snapshot, archive and annotations. 404 `PLAYER_NOT_FOUND` when the
   * name is not tracked. `GET /players/:username`.
   */
  async getDetails(username: string, options?: CallOptions): Promise<PlayerDetails<Dates>> {
    return this.#get(playerPath(username), getInit(options));
  }

  /** Like {@link PlayersClient.getDetails}, by the player's numeric id. `GET /players/id/:id`. */
  async getDetailsById(id: number, options?: CallOptions): Promise<PlayerDetails<Dates>> {
    const path = `/players/id/${checkId(id, 'player id')}`;
    return this.#get(path, getInit(options));
  }

  /**
   * Tracks a new player or updates a tracked one from the Jagex hiscores, and returns the new
   * details. This is slow (the server calls Jagex) and each player may be updated once per 60
   * seconds (429 `PLAYER_IS_RATE_LIMITED`, which the client tracks per player). Other failures:
   * 400 `INVALID_USERNAME` / `HISCORES_USERNAME_NOT_FOUND`, 403 for opted-out, archived, flagged
   * or blocked players, 503 when the Jagex hiscores are down. `POST /players/:username`.
   */
  async update(username: string, options?: CallOptions): Promise<PlayerDetails<Dates>> {
    return this.#transport.request('POST', playerPath(username), {
      ...getInit(options),
      json: {},
      player: username,
    });
  }

  /**
   * One page of a player's snapshots, newest first (default 20, at most 200). Without a range the
   * whole history is paged; when both dates are given they win over a period.
   * `GET /players/:username/snapshots`.
   */
  async getSnapshots(
    username: string,
    range?: TimeRange,
    options?: PageOptions,
  ): Promise<Array<Snapshot<Dates>>> {
    const query = { ...rangeParams(range), ...pageParams(options) };
    return this.#get(`${playerPath(username)}/snapshots`, getInit(options, query));
  }

  /** Every snapshot in the range (or the whole history), newest first, 200 per request. */
  iterateSnapshots(
    username: string,
    range?: TimeRange,
    options?: IterateOptions,
  ): AsyncGenerator<Snapshot<Dates>, void, undefined> {
    return paginate(
      (page) => this.getSnapshots(username, range, page),
      options,
      MAX_SNAPSHOT_PAGE_SIZE,
    );
  }

  /**
   * One metric's value and rank at every snapshot in the range (or the whole history), newest
   * first, unpaginated. `GET /players/:username/snapshots/timeline`.
   */
  async getSnapshotTimeline(
    username: string,
    metric: Metric,
    range?: TimeRange,
    options?: CallOptions,
  ): Promise<Array<SnapshotTimelineEntry<Dates>>> {
    const query = { metric, ...rangeParams(range) };
    const path = `${playerPath(username)}/snapshots/timeline`;
    return this.#get(path, getInit(options, query));
  }

  /**
   * Every metric's change over a period or between two dates. With no snapshots in range,
   * `startsAt` and `endsAt` are `null` and every number is 0. `GET /players/:username/gained`.
   * @example `await wom.players.getGains('Zezima', { period: 'week' })`
   */
  async getGains(
    username: string,
    range: TimeRange,
    options?: CallOptions,
  ): Promise<PlayerGains<Dates>> {
    const path = `${playerPath(username)}/gained`;
    return this.#get(path, getInit(options, rangeParams(range)));
  }

  /**
   * Every achievement the player has reached. The server returns them in no particular order.
   * `GET /players/:username/achievements`.
   */
  async getAchievements(
    username: string,
    options?: CallOptions,
  ): Promise<Array<Achievement<Dates>>> {
    return this.#get(`${playerPath(username)}/achievements`, getInit(options));
  }

  /**
   * The player's approved name changes, most recently resolved first (empty for opted-out
   * players). `GET /players/:username/names`.
   */
  async getNames(username: string, options?: CallOptions): Promise<Array<NameChange<Dates>>> {
    return this.#get(`${playerPath(username)}/names`, getInit(options));
  }

  /**
   * One page of the player's memberships of visible groups, with each group, highest group score
   * first (default 20, at most 50). `GET /players/:username/groups`.
   */
  async getGroups(
    username: string,
    options?: PageOptions,
  ): Promise<Array<PlayerMembership<Dates>>> {
    const path = `${playerPath(username)}/groups`;
    return this.#get(path, getInit(options, pageParams(options)));
  }

  /** Every membership of the player, loading pages as you iterate. */
  iterateGroups(
    username: string,
    options?: IterateOptions,
  ): AsyncGenerator<PlayerMembership<Dates>, void, undefined> {
    return paginate((page) => this.getGroups(username, page), options, MAX_PAGE_SIZE);
  }

  /**
   * The player's records, optionally for one metric and/or period (unpaginated).
   * `GET /players/:username/records`.
   */
  async getRecords(
    username: string,
    filter?: PlayerRecordsFilter,
    options?: CallOptions,
  ): Promise<Array<RecordEntry<Dates>>> {
    const query = { metric: filter?.metric, period: filter?.period };
    const path = `${playerPath(username)}/records`;
    return this.#get(path, getInit(options, query));
  }
}
