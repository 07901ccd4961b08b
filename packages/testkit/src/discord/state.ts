/** The internal state behind a `SyntheticDiscord` (what the generator builds and the server reads). */
import type { SyntheticMember } from '../clan/model.js';
import type {
  SyntheticDiscord,
  SyntheticDiscordAccess,
  SyntheticDiscordChannelRole,
  SyntheticDiscordOverwrite,
  SyntheticDiscordRole,
} from './model.js';
import { DISCORD_CHANNEL_TYPES, DISCORD_PERMISSIONS } from './model.js';
import type { MessageColumns } from './store.js';

/** A user (human or bot) with what the generator and the wire need. */
export interface UserState {
  readonly index: number;
  readonly id: string;
  readonly username: string;
  readonly globalName: string | null;
  readonly bot: boolean;
  readonly kind: 'member' | 'guest' | 'bot';
  readonly playerId: number | null;
  /** Index into the clan's members; -1 for guests and bots. */
  readonly clanIndex: number;
  readonly nickname: string | null;
  /** Epoch ms when the user joined the guild. */
  readonly joinedAt: number;
  /** Epoch ms when the user left the guild; null while still in it. */
  readonly leftAt: number | null;
  /** Role ids without `@everyone`. */
  readonly roles: readonly string[];
  /** Expected messages per active day. */
  readonly chattiness: number;
  readonly staff: boolean;
  /** The wire `author` object, pre-serialized. */
  readonly authorJson: string;
}

/** A webhook. */
export interface WebhookState {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly channelIndex: number;
  readonly authorJson: string;
}

/** A channel or thread. */
export interface ChannelState {
  readonly index: number;
  id: string;
  idBig: bigint;
  readonly type: number;
  readonly name: string;
  /** The parent channel's index; -1 at top level. */
  readonly parentIndex: number;
  readonly position: number;
  readonly topic: string | null;
  readonly overwrites: readonly SyntheticDiscordOverwrite[];
  readonly role: SyntheticDiscordChannelRole;
  createdAt: number;
  /** Threads: the creator's user index; -1 for channels. */
  ownerIndex: number;
  archived: boolean;
  archiveTimestamp: number | null;
  locked: boolean;
  readonly isPrivate: boolean;
  readonly botJoined: boolean;
  readonly autoArchiveDuration: number | null;
  readonly titleIsQuestion: boolean;
  /** Threads started from a message: that message's index in the parent; -1 otherwise. */
  starterIndex: number;
  readonly messages: MessageColumns;
  /** Child thread channel indices (for channels and forums). */
  readonly threads: number[];
  /** Text set by `postMessages({ content })`, by message index. */
  overrides: Map<number, string> | null;
  /** True for threads and posts (types 10–12). */
  readonly isThread: boolean;
}

/** Everything behind a `SyntheticDiscord`. */
export interface DiscordState {
  readonly guildId: string;
  readonly guildName: string;
  readonly ownerId: string;
  readonly createdAt: number;
  readonly roles: readonly SyntheticDiscordRole[];
  readonly everyoneRoleId: string;
  readonly botRoleId: string;
  readonly users: readonly UserState[];
  readonly usersById: ReadonlyMap<string, UserState>;
  readonly webhooks: readonly WebhookState[];
  readonly channels: readonly ChannelState[];
  readonly channelsById: Map<string, ChannelState>;
  /** The clan's members (for relay RSNs and ranks). */
  readonly clanMembers: readonly SyntheticMember[];
  readonly botUserIndex: number;
  readonly relayBotIndex: number;
  readonly relayChannelIndex: number;
  readonly systemChannelIndex: number;
  readonly rulesChannelIndex: number;
  readonly timeZone: string;
  readonly startedAt: number;
  readonly now: number;
  /** Custom emoji ids for clan ranks in relay lines. */
  readonly rankEmojiIds: ReadonlyMap<string, string>;
  /** Bumped on every mutation (invalidates cached ground truth). */
  version: number;
}

const states = new WeakMap<SyntheticDiscord, DiscordState>();

/** Links a public `SyntheticDiscord` to its state. */
export function bindState(discord: SyntheticDiscord, state: DiscordState): void {
  states.set(discord, state);
}

/** The state of a `SyntheticDiscord` made by `createSyntheticDiscord`; undefined otherwise. */
export function stateOf(discord: SyntheticDiscord): DiscordState | undefined {
  return states.get(discord);
}

const ALL_PERMISSIONS = (1n << 53n) - 1n;

/** The bot's permissions in a guild channel (roles, then overwrites: @everyone, roles, member). */
export function botChannelPermissions(
  state: DiscordState,
  channel: ChannelState,
  manageThreads: boolean,
): bigint {
  const bot = state.users[state.botUserIndex];
  const roleIds = new Set(bot?.roles ?? []);
  let base = 0n;
  for (const role of state.roles) {
    if (role.id === state.everyoneRoleId || roleIds.has(role.id)) base |= BigInt(role.permissions);
  }
  if (manageThreads) base |= DISCORD_PERMISSIONS.MANAGE_THREADS;
  if ((base & DISCORD_PERMISSIONS.ADMINISTRATOR) !== 0n) return ALL_PERMISSIONS;
  let permissions = base;
  const overwrites = channel.overwrites;
  const everyone = overwrites.find((overwrite) => overwrite.id === state.everyoneRoleId);
  if (everyone !== undefined) {
    permissions &= ~BigInt(everyone.deny);
    permissions |= BigInt(everyone.allow);
  }
  let allow = 0n;
  let deny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === 0 && roleIds.has(overwrite.id)) {
      allow |= BigInt(overwrite.allow);
      deny |= BigInt(overwrite.deny);
    }
  }
  permissions &= ~deny;
  permissions |= allow;
  const member = overwrites.find(
    (overwrite) => overwrite.type === 1 && overwrite.id === (bot?.id ?? ''),
  );
  if (member !== undefined) {
    permissions &= ~BigInt(member.deny);
    permissions |= BigInt(member.allow);
  }
  if ((permissions & DISCORD_PERMISSIONS.VIEW_CHANNEL) === 0n) return 0n;
  return permissions;
}

/** How the bot sees a channel or thread, and why not when it cannot read it. */
export function channelAccess(
  state: DiscordState,
  channel: ChannelState,
  manageThreads: boolean,
): { access: SyntheticDiscordAccess; reason: string | null; permissions: bigint } {
  const source = channel.isThread ? state.channels[channel.parentIndex] : channel;
  const permissions =
    source === undefined ? 0n : botChannelPermissions(state, source, manageThreads);
  const has = (bit: bigint): boolean => (permissions & bit) !== 0n;
  if (!has(DISCORD_PERMISSIONS.VIEW_CHANNEL))
    return {
      access: 'no-view',
      reason: channel.isThread
        ? 'the bot cannot view the parent channel (VIEW_CHANNEL denied)'
        : 'VIEW_CHANNEL denied by a permission overwrite',
      permissions,
    };
  if (channel.type === DISCORD_CHANNEL_TYPES.GUILD_VOICE && !has(DISCORD_PERMISSIONS.CONNECT))
    return { access: 'no-view', reason: 'voice channel without CONNECT', permissions };
  if (channel.isPrivate && !channel.botJoined && !has(DISCORD_PERMISSIONS.MANAGE_THREADS))
    return {
      access: 'no-view',
      reason: 'private thread the bot has not joined (and no MANAGE_THREADS)',
      permissions,
    };
  if (!has(DISCORD_PERMISSIONS.READ_MESSAGE_HISTORY))
    return {
      access: 'no-history',
      reason: 'READ_MESSAGE_HISTORY denied by a permission overwrite',
      permissions,
    };
  return { access: 'ok', reason: null, permissions };
}
