/**
 * Helpers shared by the endpoint classes: argument checks, path building, query building and the
 * page walker behind every `iterate…` method. Not exported from the package.
 */
import { WomClientError, isWomClientError } from './errors.js';
import type { CallOptions, IterateOptions, PageOptions, TimeRange } from './types/common.js';

/** Query values the transport accepts; `undefined` values are dropped, dates sent as ISO-8601. */
export type QueryParams = Record<string, string | number | boolean | Date | undefined>;

/** The `init` argument of a transport GET, without the optional fields that are absent. */
export interface GetInit {
  searchParams?: QueryParams;
  signal?: AbortSignal;
}

/**
 * The largest `limit` the group hiscores and gained endpoints accepted while they were paginated
 * (2024-02 to 2026-07). Sending it explicitly stops those servers from truncating to 20 rows;
 * newer servers ignore it and return every member.
 */
export const GROUP_LEADERBOARD_LIMIT = 100_000;

/** The maximum `limit` of most paginated lists. */
export const MAX_PAGE_SIZE = 50;

/** The maximum `limit` of `/players/:username/snapshots`. */
export const MAX_SNAPSHOT_PAGE_SIZE = 200;

/** The path segment for a group id, checked to be a positive integer. */
export function groupPath(id: number): string {
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new TypeError(`Invalid group id ${String(id)}: expected a positive integer.`);
  }
  return `/groups/${id}`;
}

/** The URL-encoded path segment for a username, checked to be a non-blank string. */
export function usernameSegment(username: string): string {
  if (typeof username !== 'string' || username.trim() === '') {
    throw new TypeError(`Invalid username ${JSON.stringify(username)}: expected a non-blank name.`);
  }
  return encodeURIComponent(username);
}

/** The path for a username (`/players/<encoded>`). */
export function playerPath(username: string): string {
  return `/players/${usernameSegment(username)}`;
}

/** Checks a numeric id (player id) to be a positive integer. */
export function checkId(id: number, what: string): number {
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new TypeError(`Invalid ${what} ${String(id)}: expected a positive integer.`);
  }
  return id;
}

function checkCount(value: number | undefined, name: string, minimum: number): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < minimum)) {
    throw new TypeError(`Invalid ${name} ${String(value)}: expected an integer >= ${minimum}.`);
  }
}

/** The `limit`/`offset` query of a page request, checked. */
export function pageParams(options: PageOptions | undefined): QueryParams {
  checkCount(options?.limit, 'limit', 1);
  checkCount(options?.offset, 'offset', 0);
  return { limit: options?.limit, offset: options?.offset };
}

/** The query of a time range: `period`, or `startDate` and `endDate`. */
export function rangeParams(range: TimeRange | undefined): QueryParams {
  if (range === undefined) return {};
  // Checked at runtime too: JavaScript callers get no type errors.
  const { period } = range as { period?: unknown };
  if (period !== undefined) {
    if (typeof period !== 'string' || period === '') {
      throw new TypeError('Invalid period: expected a period name or expression such as "week".');
    }
    return { period };
  }
  const { startDate, endDate } = range as { startDate?: unknown; endDate?: unknown };
  return { startDate: checkDate(startDate, 'startDate'), endDate: checkDate(endDate, 'endDate') };
}

function checkDate(value: unknown, name: string): Date | string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`Invalid ${name}: the Date is invalid.`);
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new TypeError(`Invalid ${name}: expected a Date or a date string.`);
}

/** A GET `init` with only the fields that are set (for `exactOptionalPropertyTypes`). */
export function getInit(options: CallOptions | undefined, searchParams?: QueryParams): GetInit {
  const init: GetInit = {};
  if (searchParams !== undefined) init.searchParams = searchParams;
  if (options?.signal !== undefined) init.signal = options.signal;
  return init;
}

/**
 * Walks a paginated endpoint: requests pages of `pageSize` rows at growing offsets and yields
 * every row, stopping after the first page shorter than `pageSize` (the API sends no total). A
 * page longer than `pageSize` means the server ignores pagination and sent everything, so that
 * ends the walk too.
 */
export async function* paginate<Row>(
  fetchPage: (page: { limit: number; offset: number; signal?: AbortSignal }) => Promise<Row[]>,
  options: IterateOptions | undefined,
  maxPageSize: number,
): AsyncGenerator<Row, void, undefined> {
  const pageSize = options?.pageSize ?? maxPageSize;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    throw new TypeError(
      `Invalid pageSize ${String(pageSize)}: expected an integer from 1 to ${maxPageSize}.`,
    );
  }
  checkCount(options?.offset, 'offset', 0);
  let offset = options?.offset ?? 0;
  for (;;) {
    const signal = options?.signal;
    const rows = await fetchPage(
      signal === undefined ? { limit: pageSize, offset } : { limit: pageSize, offset, signal },
    );
    yield* rows;
    if (rows.length !== pageSize) return;
    offset += rows.length;
  }
}

/**
 * Gives a legacy not-found answer its proper code. Several group and player endpoints still answer
 * a missing group or player with 404 `{ code: 'UNEXPECTED_ERROR', message: 'Group not found.' }`;
 * the client reports those as `GROUP_NOT_FOUND` or `PLAYER_NOT_FOUND`, like the endpoints that
 * already do, keeping the server's error as `cause`.
 */
export async function withNotFoundCode<Result>(
  promise: Promise<Result>,
  code: 'GROUP_NOT_FOUND' | 'PLAYER_NOT_FOUND',
): Promise<Result> {
  try {
    return await promise;
  } catch (error) {
    if (isWomClientError(error) && error.status === 404 && error.code === 'UNEXPECTED_ERROR') {
      throw new WomClientError(code, error.message.replace('UNEXPECTED_ERROR', code), {
        status: error.status,
        method: error.method,
        url: error.url,
        retryAfter: error.retryAfter,
        data: error.data,
        subError: error.subError,
        bodySnippet: error.bodySnippet,
        field: error.field,
        attempts: error.attempts,
        isRetryable: error.isRetryable,
        cause: error,
      });
    }
    throw error;
  }
}
