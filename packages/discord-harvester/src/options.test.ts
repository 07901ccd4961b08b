import { describe, expect, it } from 'vitest';
import {
  DefaultDiscordHarvesterOptions,
  DiscordHarvester,
  isDiscordHarvesterError,
  type DiscordHarvesterError,
  type DiscordHarvesterOptions,
} from './index.js';

const GUILD = '1100000000000000000';
const TOKEN = 'MTIz.secret-token-value.xyz';

function failure(options: unknown): DiscordHarvesterError {
  try {
    new DiscordHarvester(options as DiscordHarvesterOptions);
  } catch (error) {
    if (isDiscordHarvesterError(error)) return error;
    throw error;
  }
  throw new Error('expected the constructor to throw');
}

describe('DiscordHarvester options', () => {
  it('has documented defaults', () => {
    expect(DefaultDiscordHarvesterOptions).toEqual({
      api: 'https://discord.com/api',
      concurrency: 8,
      maxRateLimitHits: 10,
      timeoutMs: 15_000,
      retries: 3,
      includeContent: false,
      relay: [],
    });
  });

  it('accepts valid options and sends nothing', () => {
    expect(() => new DiscordHarvester({ token: TOKEN, guildId: GUILD })).not.toThrow();
    expect(
      () => new DiscordHarvester({ token: `Bot ${TOKEN}`, guildId: GUILD, concurrency: 1 }),
    ).not.toThrow();
  });

  it.each([
    [{ guildId: GUILD }, 'token'],
    [{ token: '  ', guildId: GUILD }, 'token'],
    [{ token: TOKEN, guildId: '12' }, 'guildId'],
    [{ token: TOKEN, guildId: 1100000000000000000 }, 'guildId'],
    [{ token: TOKEN, guildId: GUILD, api: 'discord.com' }, 'api'],
    [{ token: TOKEN, guildId: GUILD, concurrency: 0 }, 'concurrency'],
    [{ token: TOKEN, guildId: GUILD, concurrency: 1.5 }, 'concurrency'],
    [{ token: TOKEN, guildId: GUILD, maxRateLimitHits: 0 }, 'maxRateLimitHits'],
    [{ token: TOKEN, guildId: GUILD, timeoutMs: -1 }, 'timeoutMs'],
    [{ token: TOKEN, guildId: GUILD, retries: -1 }, 'retries'],
    [{ token: TOKEN, guildId: GUILD, relay: [{ channelId: 'x' }] }, 'relay[0].channelId'],
    [
      { token: TOKEN, guildId: GUILD, relay: [{ channelId: GUILD, authorIds: ['x'] }] },
      'relay[0].authorIds',
    ],
    [{ token: TOKEN, guildId: GUILD, rest: {} }, 'rest'],
    [{ token: TOKEN, guildId: GUILD, onEvent: 'log' }, 'onEvent'],
  ])('rejects %o with INVALID_OPTIONS naming %s', (options, field) => {
    const error = failure(options);
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.field).toBe(field);
  });

  it('never echoes a value that may be the token', () => {
    const error = failure({ token: TOKEN, guildId: TOKEN });
    expect(error.field).toBe('guildId');
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(error.message).not.toContain(TOKEN);
  });

  it('checks harvest options before sending anything', () => {
    const harvester = new DiscordHarvester({ token: TOKEN, guildId: GUILD });
    for (const [options, field] of [
      [{ since: new Date('nope') }, 'since'],
      [{ since: Number.NaN }, 'since'],
      [{ channelIds: ['1'] }, 'channelIds'],
      [{ checkpoints: {} }, 'checkpoints'],
    ] as const) {
      try {
        harvester.harvest(options as never);
        expect.unreachable();
      } catch (error) {
        expect(isDiscordHarvesterError(error) && error.field).toBe(field);
      }
    }
  });
});
