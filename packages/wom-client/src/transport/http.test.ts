import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  displayUrl,
  isNotConnectedError,
  networkErrorCode,
  parseErrorBody,
  parseJson,
  parseRateLimitHeaders,
  parseRetryAfter,
  snippet,
  toSearchParams,
} from './http.js';

describe('toSearchParams', () => {
  it('drops undefined, sends dates as ISO-8601 and the rest as strings', () => {
    const params = toSearchParams({
      metric: 'overall',
      startDate: new Date(Date.UTC(2026, 7, 1, 9, 41, 57, 103)),
      limit: 50,
      offset: 0,
      includeAll: false,
      period: undefined,
    });
    expect(params.toString()).toBe(
      'metric=overall&startDate=2026-08-01T09%3A41%3A57.103Z&limit=50&offset=0&includeAll=false',
    );
    expect(toSearchParams(undefined).size).toBe(0);
  });

  it('rejects invalid dates', () => {
    expect(() => toSearchParams({ endDate: new Date('nope') })).toThrow(
      "Query parameter 'endDate' is an invalid Date",
    );
  });
});

describe('headers', () => {
  it('reads RateLimit-* and Retry-After in milliseconds', () => {
    const headers = new Headers({
      'RateLimit-Limit': '20',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '37',
      'Retry-After': '37',
    });
    expect(parseRateLimitHeaders(headers)).toEqual({
      limit: 20,
      remaining: 0,
      reset: 37_000,
      retryAfter: 37_000,
    });
    expect(parseRateLimitHeaders(new Headers())).toEqual({
      limit: undefined,
      remaining: undefined,
      reset: undefined,
      retryAfter: undefined,
    });
  });

  it('ignores malformed values', () => {
    const headers = new Headers({ 'RateLimit-Limit': 'many', 'RateLimit-Remaining': '-1' });
    expect(parseRateLimitHeaders(headers)).toMatchObject({
      limit: undefined,
      remaining: undefined,
    });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter('1.5')).toBe(1500);
    const now = Date.parse('Sat, 01 Aug 2026 09:00:00 GMT');
    expect(parseRetryAfter('Sat, 01 Aug 2026 09:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 01 Aug 2026 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('bodies', () => {
  it('revives exact toISOString() timestamps only', () => {
    const text = JSON.stringify({
      a: '2026-08-01T09:41:57.103Z',
      b: ['2026-08-01T09:41:57.103Z'],
      c: '2026-08-01T09:41:57Z',
      d: '2026-08-01T09:41:57.103+00:00',
      e: ' 2026-08-01T09:41:57.103Z',
    });
    const parsed = parseJson(text, true) as Record<string, unknown>;
    expect(parsed.a).toEqual(new Date('2026-08-01T09:41:57.103Z'));
    expect((parsed.b as unknown[])[0]).toBeInstanceOf(Date);
    expect([parsed.c, parsed.d, parsed.e].every((value) => typeof value === 'string')).toBe(true);
    expect((parseJson(text, false) as Record<string, unknown>).a).toBe('2026-08-01T09:41:57.103Z');
    expect(() => parseJson('<html>', true)).toThrow(SyntaxError);
  });

  it('reads WOM error bodies', () => {
    expect(parseErrorBody('{"code":"GROUP_NOT_FOUND","message":"Group not found"}')).toEqual({
      code: 'GROUP_NOT_FOUND',
      message: 'Group not found',
      subError: undefined,
      data: undefined,
    });
    expect(parseErrorBody('{"message":"Too Many Requests."}')?.code).toBeUndefined();
    expect(parseErrorBody('{"code":42}')?.code).toBeUndefined();
    expect(parseErrorBody('<html>')).toBeUndefined();
    expect(parseErrorBody('"text"')).toBeUndefined();
    expect(parseErrorBody('[1]')).toBeUndefined();
  });

  it('cuts long snippets', () => {
    expect(snippet('  short  ')).toBe('short');
    expect(snippet('x'.repeat(300))).toBe(`${'x'.repeat(200)}…`);
  });
});

describe('backoffDelay', () => {
  const options = { baseDelay: 1000, maxDelay: 5000 } as const;

  it('grows exponentially up to the cap', () => {
    const delays = [1, 2, 3, 4, 5].map((retry) =>
      backoffDelay(retry, { ...options, jitter: 'none' }),
    );
    expect(delays).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('applies full and equal jitter within their bounds', () => {
    expect(backoffDelay(2, { ...options, jitter: 'full' }, () => 0)).toBe(0);
    expect(backoffDelay(2, { ...options, jitter: 'full' }, () => 0.999_999)).toBe(2000);
    expect(backoffDelay(2, { ...options, jitter: 'equal' }, () => 0)).toBe(1000);
    expect(backoffDelay(2, { ...options, jitter: 'equal' }, () => 0.999_999)).toBe(2000);
    for (let index = 0; index < 100; index++) {
      const delay = backoffDelay(3, { ...options, jitter: 'equal' });
      expect(delay).toBeGreaterThanOrEqual(2000);
      expect(delay).toBeLessThanOrEqual(4000);
    }
  });
});

describe('network errors', () => {
  it('finds the code in the cause chain', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    });
    expect(networkErrorCode(refused)).toBe('ECONNREFUSED');
    expect(isNotConnectedError(refused)).toBe(true);
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(isNotConnectedError(reset)).toBe(false);
    const aggregate = new TypeError('fetch failed', {
      cause: Object.assign(
        new AggregateError([Object.assign(new Error('x'), { code: 'ENOTFOUND' })]),
        {},
      ),
    });
    expect(networkErrorCode(aggregate)).toBe('ENOTFOUND');
    expect(networkErrorCode(new Error('plain'))).toBeUndefined();
  });
});

describe('displayUrl', () => {
  it('removes credentials and the trailing slash', () => {
    expect(displayUrl('https://user:pass@api.example.com/v2/')).toBe('https://api.example.com/v2');
  });
});
