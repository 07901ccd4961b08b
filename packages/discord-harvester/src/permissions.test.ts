import {
  OverwriteType,
  PermissionFlagsBits,
  PermissionsBitField,
  type APIOverwrite,
  type APIRole,
} from 'discord.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ALL_PERMISSIONS,
  canManageThreads,
  channelAccess,
  computeBasePermissions,
  computeChannelPermissions,
  type BasePermissionsInput,
  type PermissionOverwrite,
  type PermissionRole,
} from './permissions.js';

const {
  Administrator,
  Connect,
  ManageThreads,
  ReadMessageHistory,
  SendMessages,
  Speak,
  ViewChannel,
} = PermissionFlagsBits;

const GUILD = '100000000000000000';
const OWNER = '200000000000000000';
const BOT = '300000000000000000';
const MODS = '400000000000000001';
const BOTS = '400000000000000002';
const MUTED = '400000000000000003';
const ADMINS = '400000000000000004';

const READ = ViewChannel | ReadMessageHistory;

function role(id: string, permissions: bigint): PermissionRole {
  return { id, permissions: permissions.toString() };
}

function overwrite(id: string, type: 0 | 1, allow = 0n, deny = 0n): PermissionOverwrite {
  return { id, type, allow: allow.toString(), deny: deny.toString() };
}

const roles = [
  role(GUILD, READ | SendMessages | Connect), // @everyone
  role(MODS, ManageThreads),
  role(BOTS, 0n),
  role(MUTED, 0n),
  role(ADMINS, Administrator),
];

function base(memberRoleIds: readonly string[], extra: Partial<BasePermissionsInput> = {}): bigint {
  return computeBasePermissions({
    guildId: GUILD,
    ownerId: OWNER,
    userId: BOT,
    roles,
    memberRoleIds,
    ...extra,
  });
}

function inChannel(
  memberRoleIds: readonly string[],
  overwrites: readonly PermissionOverwrite[],
): bigint {
  return computeChannelPermissions(base(memberRoleIds), {
    guildId: GUILD,
    userId: BOT,
    memberRoleIds,
    overwrites,
  });
}

describe('computeBasePermissions', () => {
  it('is @everyone OR the member roles', () => {
    expect(base([])).toBe(READ | SendMessages | Connect);
    expect(base([MODS])).toBe(READ | SendMessages | Connect | ManageThreads);
  });

  it('ignores unknown role ids', () => {
    expect(base(['999', MODS])).toBe(READ | SendMessages | Connect | ManageThreads);
  });

  it('gives the owner everything', () => {
    expect(base([], { userId: OWNER })).toBe(ALL_PERMISSIONS);
    expect(base([], { userId: OWNER, roles: [] })).toBe(ALL_PERMISSIONS);
  });

  it('gives administrators everything', () => {
    expect(base([ADMINS])).toBe(ALL_PERMISSIONS);
  });

  it('is 0 without an @everyone role and member roles', () => {
    expect(base([], { roles: [role(MODS, ManageThreads)] })).toBe(0n);
  });

  it('rejects malformed permission strings', () => {
    expect(() => base([], { roles: [{ id: GUILD, permissions: 'abc' }] })).toThrow(TypeError);
    expect(() => base([], { roles: [{ id: GUILD, permissions: '-1' }] })).toThrow(TypeError);
  });

  it('ALL_PERMISSIONS is every discord.js flag', () => {
    expect(ALL_PERMISSIONS).toBe(PermissionsBitField.All);
    for (const flag of Object.values(PermissionFlagsBits))
      expect(ALL_PERMISSIONS & flag).toBe(flag);
  });
});

describe('computeChannelPermissions', () => {
  it('without overwrites, is the base', () => {
    expect(inChannel([MODS], [])).toBe(base([MODS]));
  });

  it('administrators ignore overwrites', () => {
    expect(inChannel([ADMINS], [overwrite(GUILD, 0, 0n, ViewChannel)])).toBe(ALL_PERMISSIONS);
    expect(inChannel([ADMINS], [overwrite(BOT, 1, 0n, ALL_PERMISSIONS)])).toBe(ALL_PERMISSIONS);
  });

  it('the owner ignores overwrites', () => {
    const permissions = computeChannelPermissions(base([], { userId: OWNER }), {
      guildId: GUILD,
      userId: OWNER,
      memberRoleIds: [],
      overwrites: [overwrite(GUILD, 0, 0n, ViewChannel), overwrite(OWNER, 1, 0n, ViewChannel)],
    });
    expect(permissions).toBe(ALL_PERMISSIONS);
  });

  it('@everyone deny hides a channel (#staff)', () => {
    const permissions = inChannel([], [overwrite(GUILD, 0, 0n, ViewChannel)]);
    expect(permissions & ViewChannel).toBe(0n);
    expect(channelAccess(permissions, 0)).toBe('missing-access');
  });

  it('deny @everyone, allow a role of the member: visible', () => {
    const overwrites = [overwrite(GUILD, 0, 0n, ViewChannel), overwrite(BOTS, 0, ViewChannel)];
    expect(channelAccess(inChannel([BOTS], overwrites), 0)).toBe('ok');
    expect(channelAccess(inChannel([], overwrites), 0)).toBe('missing-access');
  });

  it('a role allow beats another role deny (role overwrites are aggregated)', () => {
    const overwrites = [overwrite(MUTED, 0, 0n, ViewChannel), overwrite(BOTS, 0, ViewChannel)];
    expect(channelAccess(inChannel([MUTED, BOTS], overwrites), 0)).toBe('ok');
    // Order of the overwrites does not matter.
    expect(channelAccess(inChannel([MUTED, BOTS], overwrites.toReversed()), 0)).toBe('ok');
    expect(channelAccess(inChannel([MUTED], overwrites), 0)).toBe('missing-access');
  });

  it('the member overwrite wins over role overwrites', () => {
    const denyMember = [overwrite(BOTS, 0, ViewChannel), overwrite(BOT, 1, 0n, ViewChannel)];
    expect(channelAccess(inChannel([BOTS], denyMember), 0)).toBe('missing-access');
    const allowMember = [overwrite(BOTS, 0, 0n, ViewChannel), overwrite(BOT, 1, ViewChannel)];
    expect(channelAccess(inChannel([BOTS], allowMember), 0)).toBe('ok');
  });

  it('role overwrites win over the @everyone overwrite', () => {
    const overwrites = [overwrite(GUILD, 0, ManageThreads), overwrite(BOTS, 0, 0n, ManageThreads)];
    expect(inChannel([BOTS], overwrites) & ManageThreads).toBe(0n);
    expect(inChannel([], overwrites) & ManageThreads).toBe(ManageThreads);
  });

  it('READ_MESSAGE_HISTORY denied: visible but no history (#bot-log)', () => {
    const permissions = inChannel([], [overwrite(BOTS, 0, 0n, ReadMessageHistory)]);
    expect(channelAccess(permissions, 0)).toBe('ok'); // the bot lacks the BOTS role
    const denied = inChannel([BOTS], [overwrite(BOTS, 0, 0n, ReadMessageHistory)]);
    expect(channelAccess(denied, 0)).toBe('no-read-history');
  });

  it('ignores overwrites for roles the member lacks and for other members', () => {
    const overwrites = [overwrite(MODS, 0, 0n, READ), overwrite(OWNER, 1, 0n, READ)];
    expect(inChannel([], overwrites)).toBe(base([]));
  });

  it('does not treat a member overwrite as a role overwrite with the same id, or vice versa', () => {
    // Ids never collide in Discord; the type decides which step an overwrite belongs to.
    expect(inChannel([BOTS], [overwrite(BOTS, 1, 0n, ViewChannel)])).toBe(base([BOTS]));
    expect(inChannel([], [overwrite(BOT, 0, 0n, ViewChannel)])).toBe(base([]));
  });

  it('rejects malformed overwrite bit sets', () => {
    expect(() => inChannel([], [{ id: GUILD, type: 0, allow: '1.5', deny: '0' }])).toThrow(
      TypeError,
    );
    expect(() => inChannel([BOTS], [{ id: BOTS, type: 0, allow: '0', deny: '' }])).toThrow(
      TypeError,
    );
  });
});

describe('channelAccess', () => {
  it.each([
    ['text, all read permissions', READ, 0, 'ok'],
    ['text, no VIEW_CHANNEL', ReadMessageHistory, 0, 'missing-access'],
    ['text, no READ_MESSAGE_HISTORY', ViewChannel, 0, 'no-read-history'],
    ['nothing at all', 0n, 0, 'missing-access'],
    ['announcement', READ, 5, 'ok'],
    ['forum', READ, 15, 'ok'],
    ['voice with CONNECT', READ | Connect, 2, 'ok'],
    ['voice without CONNECT', READ | Speak, 2, 'missing-access'],
    ['stage without CONNECT', READ, 13, 'missing-access'],
    ['stage with CONNECT but no history', ViewChannel | Connect, 13, 'no-read-history'],
    ['voice without CONNECT nor history', ViewChannel, 2, 'missing-access'],
    ['text without CONNECT (not needed)', READ, 0, 'ok'],
    ['administrator', ALL_PERMISSIONS, 2, 'ok'],
  ] as const)('%s', (_name, permissions, channelType, expected) => {
    expect(channelAccess(permissions, channelType)).toBe(expected);
  });

  it('threads use their parent channel permissions', () => {
    // A thread in a channel denied to @everyone is hidden too: compute for the parent.
    const parent = inChannel([], [overwrite(GUILD, 0, 0n, ViewChannel)]);
    expect(channelAccess(parent, 0)).toBe('missing-access');
  });
});

describe('canManageThreads', () => {
  it('needs MANAGE_THREADS and VIEW_CHANNEL', () => {
    expect(canManageThreads(ViewChannel | ManageThreads)).toBe(true);
    expect(canManageThreads(ManageThreads)).toBe(false);
    expect(canManageThreads(READ)).toBe(false);
    expect(canManageThreads(ALL_PERMISSIONS)).toBe(true);
  });

  it('follows the channel computation', () => {
    expect(canManageThreads(inChannel([MODS], []))).toBe(true);
    expect(canManageThreads(inChannel([], []))).toBe(false);
    expect(canManageThreads(inChannel([MODS], [overwrite(MODS, 0, 0n, ManageThreads)]))).toBe(
      false,
    );
    expect(canManageThreads(inChannel([ADMINS], []))).toBe(true);
  });
});

describe('types', () => {
  it('accepts discord.js API roles and overwrites as they come from the wire', () => {
    expectTypeOf<APIRole>().toExtend<PermissionRole>();
    expectTypeOf<APIOverwrite>().toExtend<PermissionOverwrite>();
    const apiOverwrite: APIOverwrite = {
      id: BOTS,
      type: OverwriteType.Role,
      allow: ViewChannel.toString(),
      deny: '0',
    };
    expect(
      computeChannelPermissions(0n, {
        guildId: GUILD,
        userId: BOT,
        memberRoleIds: [BOTS],
        overwrites: [apiOverwrite],
      }),
    ).toBe(ViewChannel);
  });
});
