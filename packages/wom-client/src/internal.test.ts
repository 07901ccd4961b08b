import { describe, expect, it } from 'vitest';
import {
  checkId,
  getInit,
  groupPath,
  pageParams,
  paginate,
  playerPath,
  rangeParams,
} from './internal.js';
import { collect } from './test-helpers.js';

/** A fake endpoint over `total` rows, recording the pages asked for. */
function endpoint(total: number, options: { ignoresPagination?: boolean } = {}) {
  const rows = Array.from({ length: total }, (_, index) => index);
  const pages: Array<{ limit: number; offset: number }> = [];
  return {
    pages,
    fetchPage: ({ limit, offset }: { limit: number; offset: number }) => {
      pages.push({ limit, offset });
      return Promise.resolve(
        options.ignoresPagination === true ? rows : rows.slice(offset, offset + limit),
      );
    },
  };
}

describe('paginate', () => {
  it('walks pages until a short one', async () => {
    const { pages, fetchPage } = endpoint(23);
    expect(await collect(paginate(fetchPage, { pageSize: 10 }, 50))).toEqual(
      Array.from({ length: 23 }, (_, index) => index),
    );
    expect(pages).toEqual([
      { limit: 10, offset: 0 },
      { limit: 10, offset: 10 },
      { limit: 10, offset: 20 },
    ]);
  });

  it('asks for one empty page when the total is a multiple of the page size', async () => {
    const { pages, fetchPage } = endpoint(20);
    expect(await collect(paginate(fetchPage, { pageSize: 10 }, 50))).toHaveLength(20);
    expect(pages.map((page) => page.offset)).toEqual([0, 10, 20]);
  });

  it('uses the maximum page size and a starting offset', async () => {
    const { pages, fetchPage } = endpoint(130);
    expect(await collect(paginate(fetchPage, { offset: 5 }, 50))).toHaveLength(125);
    expect(pages).toEqual([
      { limit: 50, offset: 5 },
      { limit: 50, offset: 55 },
      { limit: 50, offset: 105 },
    ]);
  });

  it('stops after one page when the server ignores pagination', async () => {
    const { pages, fetchPage } = endpoint(75, { ignoresPagination: true });
    expect(await collect(paginate(fetchPage, { pageSize: 10 }, 50))).toHaveLength(75);
    expect(pages).toHaveLength(1);
  });

  it('passes the signal to every page', async () => {
    const signal = new AbortController().signal;
    const seen: unknown[] = [];
    await collect(
      paginate(
        (page) => {
          seen.push(page.signal);
          return Promise.resolve(page.offset === 0 ? [1, 2] : []);
        },
        { pageSize: 2, signal },
        50,
      ),
    );
    expect(seen).toEqual([signal, signal]);
  });

  it('rejects invalid page sizes and offsets', async () => {
    const { fetchPage, pages } = endpoint(5);
    for (const pageSize of [0, 51, 2.5, Number.NaN]) {
      await expect(collect(paginate(fetchPage, { pageSize }, 50))).rejects.toThrow(TypeError);
    }
    await expect(collect(paginate(fetchPage, { offset: -1 }, 50))).rejects.toThrow(TypeError);
    expect(pages).toEqual([]);
  });
});

describe('argument helpers', () => {
  it('builds paths, encoding usernames', () => {
    expect(groupPath(139)).toBe('/groups/139');
    expect(playerPath('Ze Zima')).toBe('/players/Ze%20Zima');
    expect(playerPath('a/b?c#d&e')).toBe('/players/a%2Fb%3Fc%23d%26e');
    expect(checkId(5, 'id')).toBe(5);
    expect(() => groupPath(0)).toThrow(TypeError);
    expect(() => groupPath(2 ** 60)).toThrow(TypeError);
    expect(() => playerPath('')).toThrow(TypeError);
    expect(() => playerPath(undefined as unknown as string)).toThrow(TypeError);
  });

  it('builds time-range queries', () => {
    const startDate = new Date('2026-01-01T00:00:00.000Z');
    expect(rangeParams(undefined)).toEqual({});
    expect(rangeParams({ period: 'week' })).toEqual({ period: 'week' });
    expect(rangeParams({ startDate, endDate: '2026-02-01' })).toEqual({
      startDate,
      endDate: '2026-02-01',
    });
    expect(() => rangeParams({ period: '' })).toThrow(TypeError);
    expect(() => rangeParams({ startDate: new Date(Number.NaN), endDate: startDate })).toThrow(
      TypeError,
    );
    expect(() => rangeParams({ startDate } as never)).toThrow(TypeError);
  });

  it('builds page queries and request options', () => {
    expect(pageParams(undefined)).toEqual({ limit: undefined, offset: undefined });
    expect(pageParams({ limit: 5, offset: 0 })).toEqual({ limit: 5, offset: 0 });
    expect(() => pageParams({ limit: 0 })).toThrow(TypeError);
    expect(() => pageParams({ offset: 1.5 })).toThrow(TypeError);
    const signal = AbortSignal.abort();
    expect(getInit({ signal }, { a: 1 })).toEqual({ signal, searchParams: { a: 1 } });
    expect(getInit(undefined)).toEqual({});
    expect(getInit({ signal: undefined })).toEqual({});
  });
});
