import { describe, expect, it } from 'vitest';
import { isDiscordHarvesterError } from './errors.js';
import { parseChannels, parseGuild, parseMessages } from './wire.js';

const origin = { url: '/guilds/1', route: 'GET /guilds/:id' };

function fieldOf(parse: () => unknown): string | undefined {
  try {
    parse();
  } catch (error) {
    if (isDiscordHarvesterError(error) && error.code === 'INVALID_RESPONSE') return error.field;
    throw error;
  }
  return undefined;
}

describe('snowflakes (fuzz counterexamples)', () => {
  // Both passed the old /^\d{1,20}$/ check, then made the harvester throw a TypeError when it
  // decoded the id, or count `01` and `1` as two channels.
  it.each(['01', '18446744073709551616'])('%j is INVALID_RESPONSE naming the field', (id) => {
    expect(fieldOf(() => parseGuild({ id, name: '', owner_id: '0', roles: [] }, origin))).toBe(
      'guild.id',
    );
    expect(fieldOf(() => parseChannels([{ id: '1', type: 0, parent_id: id }], origin))).toBe(
      'channels[0].parent_id',
    );
    expect(
      fieldOf(() =>
        parseMessages(
          [{ id, channel_id: '1', type: 0, author: { id: '2', username: 'gowi' } }],
          origin,
        ),
      ),
    ).toBe('messages[0].id');
  });

  it('accepts every id from 0 to 2^64 - 1', () => {
    for (const id of ['0', '175928847299117063', '18446744073709551615'])
      expect(parseGuild({ id, name: 'x', owner_id: id, roles: [] }, origin).id).toBe(id);
  });
});
