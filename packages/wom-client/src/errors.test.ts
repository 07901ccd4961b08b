import { describe, expect, it } from 'vitest';
import {
  isWomClientError,
  WOM_CLIENT_ERROR_CODES,
  WOM_SERVER_ERROR_CODES,
  WomClientError,
} from './errors.js';

describe('WomClientError', () => {
  it('carries its facts in readonly fields and the cause', () => {
    const cause = new SyntaxError('Unexpected token <');
    const error = new WomClientError('INVALID_RESPONSE', 'Invalid JSON', {
      status: 502,
      method: 'GET',
      url: 'https://api.wiseoldman.net/v2/groups/1',
      bodySnippet: '<html>',
      attempts: 4,
      isRetryable: true,
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'WomClientError',
      code: 'INVALID_RESPONSE',
      message: 'Invalid JSON',
      status: 502,
      method: 'GET',
      url: 'https://api.wiseoldman.net/v2/groups/1',
      retryAfter: undefined,
      data: undefined,
      subError: undefined,
      bodySnippet: '<html>',
      attempts: 4,
      isRetryable: true,
    });
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('WomClientError: Invalid JSON');
  });

  it('defaults isRetryable to false and has no cause unless given', () => {
    const error = new WomClientError('GROUP_NOT_FOUND', 'Group not found', {
      status: 404,
      method: 'GET',
      url: 'u',
      attempts: 1,
    });
    expect(error.isRetryable).toBe(false);
    expect('cause' in error).toBe(false);
  });

  it('passes server codes it does not know through', () => {
    const error = new WomClientError('SOME_NEW_CODE', 'New', {
      method: 'POST',
      url: 'u',
      attempts: 1,
    });
    expect(error.code).toBe('SOME_NEW_CODE');
  });

  it('lists distinct client and server codes', () => {
    const all = [...WOM_CLIENT_ERROR_CODES, ...WOM_SERVER_ERROR_CODES];
    expect(new Set(all).size).toBe(all.length);
    expect(WOM_CLIENT_ERROR_CODES).toContain('RATE_LIMITED');
    expect(WOM_SERVER_ERROR_CODES).toContain('PLAYER_IS_RATE_LIMITED');
  });
});

describe('isWomClientError', () => {
  it('recognizes instances and rejects everything else', () => {
    const error = new WomClientError('TIMEOUT', 't', { method: 'GET', url: 'u', attempts: 1 });
    expect(isWomClientError(error)).toBe(true);
    for (const value of [
      new Error('x'),
      null,
      undefined,
      'WomClientError',
      { code: 'TIMEOUT' },
      42,
    ])
      expect(isWomClientError(value)).toBe(false);
  });

  it('recognizes an error from another copy of the package by its global marker', () => {
    // What a second bundled copy's class would produce: a different prototype, the same marker.
    class OtherCopyError extends Error {
      readonly code = 'TIMEOUT';
    }
    const foreign = Object.assign(new OtherCopyError('t'), {
      [Symbol.for('@clanstats/wom-client.WomClientError')]: true,
    });
    expect(foreign).not.toBeInstanceOf(WomClientError);
    expect(isWomClientError(foreign)).toBe(true);
  });
});
