/**
 * The bot's effective permissions in a channel, computed the way Discord does
 * (`developers/topics/permissions.mdx`, "Permission Overwrites"), so that channels it cannot read
 * are skipped without spending a request.
 *
 * Threads have no overwrites of their own: a thread's permissions are its parent channel's.
 * Compute them for the parent (`parent_id`) and use the result for every thread in it. Private
 * threads are additionally visible only to their members and to holders of MANAGE_THREADS
 * ({@link canManageThreads}).
 *
 * @packageDocumentation
 */
import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';

/** Every permission Discord defines (what owners and administrators have). */
export const ALL_PERMISSIONS: bigint = PermissionsBitField.All;

const ADMINISTRATOR = PermissionFlagsBits.Administrator;
const VIEW_CHANNEL = PermissionFlagsBits.ViewChannel;
const READ_MESSAGE_HISTORY = PermissionFlagsBits.ReadMessageHistory;
const CONNECT = PermissionFlagsBits.Connect;
const MANAGE_THREADS = PermissionFlagsBits.ManageThreads;

/** Channel types whose messages also need CONNECT: `GUILD_VOICE` (2) and `GUILD_STAGE_VOICE` (13). */
const VOICE_CHANNEL_TYPES: ReadonlySet<number> = new Set([2, 13]);

/** A guild role as far as permissions go (an `APIRole` fits). */
export interface PermissionRole {
  /** The role id; the `@everyone` role's id is the guild id. */
  id: string;
  /** The role's permission bit set, as a decimal string. */
  permissions: string;
}

/** A channel permission overwrite (an `APIOverwrite` fits). */
export interface PermissionOverwrite {
  /** The role id (type 0; the guild id for `@everyone`) or user id (type 1). */
  id: string;
  /** 0 for a role overwrite, 1 for a member overwrite. */
  type: 0 | 1;
  /** Allowed bits, as a decimal string. */
  allow: string;
  /** Denied bits, as a decimal string. */
  deny: string;
}

/** Input of {@link computeBasePermissions}. */
export interface BasePermissionsInput {
  /** The guild id, which is also the `@everyone` role's id. */
  guildId: string;
  /** The guild owner's user id. */
  ownerId: string;
  /** The user whose permissions are computed (the bot). */
  userId: string;
  /** All the guild's roles (`GET /guilds/{id}`'s `roles`). */
  roles: readonly PermissionRole[];
  /** The member's role ids (`GET /guilds/{id}/members/{user}`'s `roles`; `@everyone` is implied). */
  memberRoleIds: readonly string[];
}

/** Input of {@link computeChannelPermissions}. */
export interface ChannelPermissionsInput {
  /** The guild id, which is also the `@everyone` role's id. */
  guildId: string;
  /** The user whose permissions are computed (the bot). */
  userId: string;
  /** The member's role ids. */
  memberRoleIds: readonly string[];
  /** The channel's `permission_overwrites` (for a thread: its parent's). */
  overwrites: readonly PermissionOverwrite[];
}

/** Whether the bot can read a channel's history, or why not. */
export type ChannelAccess = 'ok' | 'missing-access' | 'no-read-history';

const BIT_SET_PATTERN = /^\d{1,20}$/;

function bits(value: string, field: string): bigint {
  if (!BIT_SET_PATTERN.test(value)) {
    throw new TypeError(`${field} is not a permission bit set: ${JSON.stringify(value)}`);
  }
  return BigInt(value);
}

function has(permissions: bigint, flag: bigint): boolean {
  return (permissions & flag) === flag;
}

/**
 * A member's guild-level permissions: `@everyone`'s permissions OR those of each of the member's
 * roles (unknown role ids are ignored). The guild owner, and anyone with ADMINISTRATOR, has
 * {@link ALL_PERMISSIONS}.
 *
 * @throws TypeError when a role's `permissions` is not a decimal string.
 */
export function computeBasePermissions(input: BasePermissionsInput): bigint {
  if (input.userId === input.ownerId) return ALL_PERMISSIONS;
  const rolesById = new Map(input.roles.map((role) => [role.id, role]));
  const everyone = rolesById.get(input.guildId);
  let permissions = everyone === undefined ? 0n : bits(everyone.permissions, 'role permissions');
  for (const roleId of input.memberRoleIds) {
    const role = rolesById.get(roleId);
    if (role !== undefined) permissions |= bits(role.permissions, 'role permissions');
  }
  return has(permissions, ADMINISTRATOR) ? ALL_PERMISSIONS : permissions;
}

/**
 * A member's permissions in a channel, from their guild-level permissions (see
 * {@link computeBasePermissions}) and the channel's overwrites, applied in Discord's order:
 *
 * 1. ADMINISTRATOR ⇒ {@link ALL_PERMISSIONS}, overwrites do not apply;
 * 2. the `@everyone` overwrite (id = guild id): remove its deny, then add its allow;
 * 3. the member's role overwrites (type 0), aggregated: remove all their denies, then add all their
 *    allows (so a role allow beats another role's deny);
 * 4. the member's own overwrite (type 1, id = user id): remove its deny, then add its allow.
 *
 * Implicit denials (no VIEW_CHANNEL denies everything else) are left to the checks,
 * {@link channelAccess} and {@link canManageThreads}.
 *
 * @throws TypeError when an overwrite's `allow` or `deny` is not a decimal string.
 */
export function computeChannelPermissions(base: bigint, input: ChannelPermissionsInput): bigint {
  if (has(base, ADMINISTRATOR)) return ALL_PERMISSIONS;
  const memberRoles = new Set(input.memberRoleIds);
  let permissions = base;

  const everyone = input.overwrites.find(
    (overwrite) => overwrite.type === 0 && overwrite.id === input.guildId,
  );
  if (everyone !== undefined) {
    permissions &= ~bits(everyone.deny, 'overwrite deny');
    permissions |= bits(everyone.allow, 'overwrite allow');
  }

  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const overwrite of input.overwrites) {
    if (overwrite.type !== 0 || overwrite.id === input.guildId || !memberRoles.has(overwrite.id)) {
      continue;
    }
    roleAllow |= bits(overwrite.allow, 'overwrite allow');
    roleDeny |= bits(overwrite.deny, 'overwrite deny');
  }
  permissions &= ~roleDeny;
  permissions |= roleAllow;

  const member = input.overwrites.find(
    (overwrite) => overwrite.type === 1 && overwrite.id === input.userId,
  );
  if (member !== undefined) {
    permissions &= ~bits(member.deny, 'overwrite deny');
    permissions |= bits(member.allow, 'overwrite allow');
  }
  return permissions;
}

/**
 * Whether channel permissions allow reading the channel's message history:
 *
 * - `'missing-access'`: no VIEW_CHANNEL (the API answers 403 Missing Access), or a voice or stage
 *   channel (types 2, 13) without CONNECT;
 * - `'no-read-history'`: no READ_MESSAGE_HISTORY (the API answers `200 []`);
 * - `'ok'` otherwise.
 *
 * For a thread, pass its parent's permissions and the parent's type.
 */
export function channelAccess(permissions: bigint, channelType: number): ChannelAccess {
  if (!has(permissions, VIEW_CHANNEL)) return 'missing-access';
  if (VOICE_CHANNEL_TYPES.has(channelType) && !has(permissions, CONNECT)) return 'missing-access';
  if (!has(permissions, READ_MESSAGE_HISTORY)) return 'no-read-history';
  return 'ok';
}

/**
 * Whether channel permissions include MANAGE_THREADS (and VIEW_CHANNEL, without which it is
 * implicitly denied): needed to list all private archived threads
 * (`GET /channels/{id}/threads/archived/private`) and to read private threads the bot has not joined.
 */
export function canManageThreads(permissions: bigint): boolean {
  return has(permissions, VIEW_CHANNEL) && has(permissions, MANAGE_THREADS);
}
