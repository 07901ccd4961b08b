import type { Metric, Period } from './enums.js';
import {
  GROUP_LEADERBOARD_LIMIT,
  MAX_PAGE_SIZE,
  getInit,
  type GetInit,
  groupPath,
  pageParams,
  paginate,
  rangeParams,
  withNotFoundCode,
} from './internal.js';
import type { Transport } from './transport/index.js';
import {
  checkBulkGains,
  checkBulkHiscores,
  checkGroupActivity,
  checkGroupDetails,
  checkGroupGains,
  checkGroupHiscores,
  checkGroupNameChanges,
  checkUpdateAllResult,
  type ShapeCheck,
} from './validate.js';
import type {
  CallOptions,
  IterateOptions,
  PageOptions,
  TimeRange,
  WireDate,
} from './types/common.js';
import type {
  BulkGainsEntry,
  BulkHiscoresEntry,
  GroupAchievement,
  GroupCompetition,
  GroupDetails,
  GroupGainsEntry,
  GroupHiscoresEntry,
  GroupMemberActivity,
  GroupNameChange,
  GroupRecordEntry,
  GroupStatistics,
  HiscoresDataFor,
  UpdateAllResult,
} from './types/group.js';

/** What {@link GroupsClient.getGains} ranks: one metric over a period or between two dates. */
export type GroupGainsFilter = TimeRange & {
  /** The metric to rank members by. */
  metric: Metric;
};

/** What {@link GroupsClient.getRecords} lists: one metric's records for one fixed period. */
export interface GroupRecordsFilter {
  metric: Metric;
  /** A fixed period; record endpoints do not accept custom expressions. */
  period: Period;
}

/**
 * {@link PageOptions} for group hiscores and gains. Servers since 2026-07 return every member and
 * ignore `limit` and `offset`; older ones paginate, so the client sends `limit=100000` unless you
 * give one.
 */
export interface LeaderboardOptions extends PageOptions {
  /**
   * Rows to return on servers that paginate these lists (before 2026-07).
   * @defaultValue `100000` (every member)
   */
  limit?: number | undefined;
}

/**
 * The group endpoints, as `wom.groups`. Every method takes the group's numeric id and, last,
 * options with an optional abort `signal`.
 */
export class GroupsClient<Dates extends WireDate = Date> {
  readonly #transport: Transport;

  /** @internal Made by {@link WomClient}; not meant to be constructed directly. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * A GET whose legacy not-found answers get their proper code; with `check`, a body of the wrong
   * shape rejects with `INVALID_RESPONSE`.
   */
  async #get<Result>(path: string, init: GetInit, check?: ShapeCheck): Promise<Result> {
    const request = this.#transport.request<Result>(
      'GET',
      path,
      check === undefined ? init : { ...init, check },
    );
    return withNotFoundCode(request, 'GROUP_NOT_FOUND');
  }

  async #getText(path: string, init: GetInit): Promise<string> {
    return withNotFoundCode(this.#transport.requestText('GET', path, init), 'GROUP_NOT_FOUND');
  }

  /**
   * A group with its social links, role order and every membership (with the player).
   * `GET /groups/:id`.
   */
  async getDetails(id: number, options?: CallOptions): Promise<GroupDetails<Dates>> {
    return this.#get(groupPath(id), getInit(options), checkGroupDetails);
  }

  /**
   * Every member's current value in one metric, best first. The entry type follows the metric:
   * `getHiscores(id, 'zulrah')` returns boss entries (`kills`). Members never updated are left
   * out. `GET /groups/:id/hiscores`.
   *
   * Sends `limit=100000` by default, so servers from before 2026-07 (which paginated this list
   * and defaulted to 20 rows) return every member too.
   */
  async getHiscores<Name extends Metric>(
    id: number,
    metric: Name,
    options?: LeaderboardOptions,
  ): Promise<Array<GroupHiscoresEntry<Dates, HiscoresDataFor<Name>>>> {
    const query = { metric, ...leaderboardParams(options) };
    return this.#get(`${groupPath(id)}/hiscores`, getInit(options, query), checkGroupHiscores);
  }

  /**
   * Every member's latest snapshot (all metrics) in one request. Members never updated are left
   * out. `GET /groups/:id/bulk-hiscores` (servers since 2026-07; older ones answer 404
   * `ENDPOINT_NOT_FOUND`, see {@link fetchGroupStats} for a helper that falls back).
   */
  async getBulkHiscores(
    id: number,
    options?: CallOptions,
  ): Promise<Array<BulkHiscoresEntry<Dates>>> {
    return this.#get(`${groupPath(id)}/bulk-hiscores`, getInit(options), checkBulkHiscores);
  }

  /**
   * Every member's gain in one metric over a period or between two dates, largest first.
   * Members without a snapshot at both ends are left out. `GET /groups/:id/gained`.
   *
   * Sends `limit=100000` by default, like {@link GroupsClient.getHiscores}.
   * @example `await wom.groups.getGains(11114, { metric: 'overall', period: 'week' })`
   */
  async getGains(
    id: number,
    filter: GroupGainsFilter,
    options?: LeaderboardOptions,
  ): Promise<Array<GroupGainsEntry<Dates>>> {
    const query = { metric: filter.metric, ...rangeParams(filter), ...leaderboardParams(options) };
    return this.#get(`${groupPath(id)}/gained`, getInit(options, query), checkGroupGains);
  }

  /**
   * Every member's gains in every metric over a period or between two dates, in one request.
   * Rows are unsorted; each row's `data` lists all metrics. `GET /groups/:id/bulk-gained`
   * (servers since 2026-07).
   * @example `await wom.groups.getBulkGains(11114, { period: 'month' })`
   */
  async getBulkGains(
    id: number,
    range: TimeRange,
    options?: CallOptions,
  ): Promise<Array<BulkGainsEntry<Dates>>> {
    const path = `${groupPath(id)}/bulk-gained`;
    return this.#get(path, getInit(options, rangeParams(range)), checkBulkGains);
  }

  /**
   * One page of joins, leaves and role changes, newest first (default 20 rows, at most 50).
   * `GET /groups/:id/activity`.
   */
  async getActivity(id: number, options?: PageOptions): Promise<Array<GroupMemberActivity<Dates>>> {
    const path = `${groupPath(id)}/activity`;
    return this.#get(path, getInit(options, pageParams(options)), checkGroupActivity);
  }

  /** Every join, leave and role change, newest first, loading pages as you iterate. */
  iterateActivity(
    id: number,
    options?: IterateOptions,
  ): AsyncGenerator<GroupMemberActivity<Dates>, void, undefined> {
    return paginate((page) => this.getActivity(id, page), options, MAX_PAGE_SIZE);
  }

  /**
   * One page of the current members' achievements, newest first (default 20, at most 50).
   * `GET /groups/:id/achievements`.
   */
  async getAchievements(
    id: number,
    options?: PageOptions,
  ): Promise<Array<GroupAchievement<Dates>>> {
    const path = `${groupPath(id)}/achievements`;
    return this.#get(path, getInit(options, pageParams(options)));
  }

  /** Every achievement of the current members, newest first, loading pages as you iterate. */
  iterateAchievements(
    id: number,
    options?: IterateOptions,
  ): AsyncGenerator<GroupAchievement<Dates>, void, undefined> {
    return paginate((page) => this.getAchievements(id, page), options, MAX_PAGE_SIZE);
  }

  /**
   * One page of the current members' approved name changes, newest first (default 20, at most
   * 50). `GET /groups/:id/name-changes`.
   */
  async getNameChanges(id: number, options?: PageOptions): Promise<Array<GroupNameChange<Dates>>> {
    const path = `${groupPath(id)}/name-changes`;
    return this.#get(path, getInit(options, pageParams(options)), checkGroupNameChanges);
  }

  /** Every approved name change of the current members, loading pages as you iterate. */
  iterateNameChanges(
    id: number,
    options?: IterateOptions,
  ): AsyncGenerator<GroupNameChange<Dates>, void, undefined> {
    return paginate((page) => this.getNameChanges(id, page), options, MAX_PAGE_SIZE);
  }

  /**
   * One page of the members' records in one metric and period, best first (default 20, at most
   * 50). `GET /groups/:id/records`.
   * @example `await wom.groups.getRecords(11114, { metric: 'zulrah', period: 'week' })`
   */
  async getRecords(
    id: number,
    filter: GroupRecordsFilter,
    options?: PageOptions,
  ): Promise<Array<GroupRecordEntry<Dates>>> {
    const query = { metric: filter.metric, period: filter.period, ...pageParams(options) };
    return this.#get(`${groupPath(id)}/records`, getInit(options, query));
  }

  /** Every member's record in one metric and period, best first, loading pages as you iterate. */
  iterateRecords(
    id: number,
    filter: GroupRecordsFilter,
    options?: IterateOptions,
  ): AsyncGenerator<GroupRecordEntry<Dates>, void, undefined> {
    return paginate((page) => this.getRecords(id, filter, page), options, MAX_PAGE_SIZE);
  }

  /**
   * All of the group's competitions, each with its group: ongoing (ending soonest first), then
   * upcoming, then finished (latest first). The server does not paginate this list.
   * `GET /groups/:id/competitions`.
   */
  async getCompetitions(
    id: number,
    options?: CallOptions,
  ): Promise<Array<GroupCompetition<Dates>>> {
    return this.#get(`${groupPath(id)}/competitions`, getInit(options));
  }

  /**
   * Maxed counts, average stats and the leader of every metric. The server answers 400 when no
   * member has a snapshot. `GET /groups/:id/statistics`.
   */
  async getStatistics(id: number, options?: CallOptions): Promise<GroupStatistics<Dates>> {
    return this.#get(`${groupPath(id)}/statistics`, getInit(options));
  }

  /**
   * Queues an update of every member not updated in the last ~24 hours. Needs the group's
   * verification code (`123-456-789`). The server answers 400 `NO_OUTDATED_MEMBERS` when
   * everyone is fresh, and 403 `INCORRECT_VERIFICATION_CODE` for a wrong code. The updates run
   * afterwards, over a few minutes. `POST /groups/:id/update-all`.
   */
  async updateAll(
    id: number,
    verificationCode: string,
    options?: CallOptions,
  ): Promise<UpdateAllResult> {
    if (typeof verificationCode !== 'string' || verificationCode.trim() === '') {
      throw new TypeError('Invalid verificationCode: expected the group verification code.');
    }
    const path = `${groupPath(id)}/update-all`;
    return this.#transport.request('POST', path, {
      ...getInit(options),
      json: { verificationCode },
      check: checkUpdateAllResult,
    });
  }

  /**
   * The member list as CSV text: a header row
   * (`Player,Role,Experience,Last progressed,Last updated,Joined at (Client Sync)`), then one row
   * per member in details order, joined with `\n`. `GET /groups/:id/csv`.
   */
  async getMembersCsv(id: number, options?: CallOptions): Promise<string> {
    return this.#getText(`${groupPath(id)}/csv`, getInit(options));
  }
}

function leaderboardParams(options: LeaderboardOptions | undefined) {
  const { limit, offset } = pageParams(options);
  return { limit: limit ?? GROUP_LEADERBOARD_LIMIT, offset };
}
