/** The guild's people: roles, bots, the clan members' Discord accounts and guests. */
import type { SyntheticClan } from '../clan/model.js';
import { generateDiscordUsername, generateDisplayName, generateGlobalName } from '../clan/names.js';
import type { Random } from '../random.js';
import { DAY, HOUR } from './builder.js';
import type { Builder } from './builder.js';
import { DISCORD_PERMISSIONS } from './model.js';
import type { SyntheticDiscordOverwrite, SyntheticDiscordRole } from './model.js';
import { snowflakeBigInt } from './snowflake.js';
import type { UserState } from './state.js';
import { userJson } from './wire.js';

const { VIEW_CHANNEL, SEND_MESSAGES, READ_MESSAGE_HISTORY, CONNECT } = DISCORD_PERMISSIONS;
/** What everyone may do: see, talk, read history, join voice, start threads, react. */
const EVERYONE_PERMISSIONS =
  VIEW_CHANNEL |
  SEND_MESSAGES |
  DISCORD_PERMISSIONS.EMBED_LINKS |
  DISCORD_PERMISSIONS.ATTACH_FILES |
  READ_MESSAGE_HISTORY |
  CONNECT |
  DISCORD_PERMISSIONS.SPEAK |
  DISCORD_PERMISSIONS.CREATE_PUBLIC_THREADS |
  DISCORD_PERMISSIONS.SEND_MESSAGES_IN_THREADS |
  DISCORD_PERMISSIONS.ADD_REACTIONS;
/** Clan ranks whose members get the Staff role. */
const STAFF_RANKS = new Set(['owner', 'deputy_owner', 'general', 'captain']);

export function overwrite(
  id: string,
  type: 0 | 1,
  allow: bigint,
  deny: bigint,
): SyntheticDiscordOverwrite {
  return { id, type, allow: allow.toString(), deny: deny.toString() };
}

export interface Layout {
  roles: SyntheticDiscordRole[];
  everyoneRoleId: string;
  staffRoleId: string;
  memberRoleId: string;
  guestRoleId: string;
  botsRoleId: string;
  botRoleId: string;
  botUserIndex: number;
  relayBotIndex: number;
  eventsBotIndex: number;
  carlBotIndex: number;
}

/** Roles, bots, clan members' Discord accounts and guests. */
export function createPeople(
  builder: Builder,
  clan: SyntheticClan,
  guildCreatedAt: number,
  random: Random,
): Layout {
  const roleId = (offset: number): string => builder.layoutId(guildCreatedAt + offset).toString();
  const everyoneRoleId = builder.guildId;
  const staffRoleId = roleId(1000);
  const memberRoleId = roleId(2000);
  const guestRoleId = roleId(3000);
  const botsRoleId = roleId(4000);
  const botRoleId = roleId(5000);
  const role = (
    id: string,
    name: string,
    permissions: bigint,
    position: number,
    extra: Partial<SyntheticDiscordRole> = {},
  ): SyntheticDiscordRole => ({
    id,
    name,
    permissions: permissions.toString(),
    position,
    color: 0,
    hoist: false,
    managed: false,
    mentionable: false,
    botId: null,
    ...extra,
  });
  const bots: Array<{ name: string; created: number }> = [
    { name: 'ClanStats', created: Date.UTC(2026, 0, 12) },
    { name: 'Osrs clanchat', created: Date.UTC(2021, 4, 2) },
    { name: 'Clan Events', created: Date.UTC(2020, 8, 20) },
    { name: 'Carl-bot', created: Date.UTC(2018, 4, 3) },
  ];
  const botIds = bots.map(({ created }) =>
    snowflakeBigInt(Math.min(created, guildCreatedAt - DAY), random.int(0, 0x3fffff)).toString(),
  );
  const roles: SyntheticDiscordRole[] = [
    role(everyoneRoleId, '@everyone', EVERYONE_PERMISSIONS, 0),
    role(
      staffRoleId,
      'Staff',
      EVERYONE_PERMISSIONS |
        DISCORD_PERMISSIONS.MANAGE_THREADS |
        DISCORD_PERMISSIONS.MENTION_EVERYONE |
        DISCORD_PERMISSIONS.MANAGE_MESSAGES,
      5,
      { color: 0xe67e22, hoist: true, mentionable: true },
    ),
    role(memberRoleId, 'Clan Member', EVERYONE_PERMISSIONS, 3, { color: 0x3498db, hoist: true }),
    role(guestRoleId, 'Guest', EVERYONE_PERMISSIONS, 2, { color: 0x95a5a6 }),
    role(botsRoleId, 'Bots', EVERYONE_PERMISSIONS, 4, { color: 0x9b59b6 }),
    role(botRoleId, 'ClanStats', VIEW_CHANNEL | READ_MESSAGE_HISTORY, 1, {
      managed: true,
      botId: botIds[0] ?? null,
    }),
  ];

  const addUser = (user: Omit<UserState, 'index' | 'authorJson'>): UserState => {
    const index = builder.users.length;
    const complete: UserState = { ...user, index, authorJson: '' };
    const withJson: UserState = { ...complete, authorJson: userJson(complete) };
    builder.users.push(withJson);
    return withJson;
  };
  const botIndices = bots.map(
    ({ name }, index) =>
      addUser({
        id: botIds[index] ?? '0',
        username: name,
        globalName: null,
        bot: true,
        kind: 'bot',
        playerId: null,
        clanIndex: -1,
        nickname: null,
        joinedAt: index === 0 ? builder.now - 2 * DAY : guildCreatedAt + (index + 1) * HOUR,
        leftAt: null,
        roles: index === 0 ? [botRoleId] : [botsRoleId],
        chattiness: 0,
        staff: false,
      }).index,
  );

  const usedIds = new Set(botIds);
  clan.members.forEach((member, clanIndex) => {
    const identity = member.discord;
    if (identity === null || usedIds.has(identity.userId)) return;
    usedIds.add(identity.userId);
    const memberRandom = random.fork(clanIndex + 1);
    const joinedAt = Date.parse(identity.joinedAt);
    let leftAt: number | null = null;
    if (!identity.inGuild) {
      const clanLeft =
        member.membership.leftAt === null ? null : Date.parse(member.membership.leftAt);
      leftAt =
        clanLeft !== null && clanLeft > joinedAt
          ? Math.min(builder.now - HOUR, clanLeft + memberRandom.int(0, 14 * DAY))
          : joinedAt + (builder.now - joinedAt) * memberRandom.float(0.3, 0.95);
      leftAt = Math.max(joinedAt + HOUR, Math.floor(leftAt));
    }
    const current = member.membership.leftAt === null;
    const staff = current && STAFF_RANKS.has(member.membership.role);
    addUser({
      id: identity.userId,
      username: identity.username,
      globalName: identity.globalName,
      bot: false,
      kind: 'member',
      playerId: member.player.id,
      clanIndex,
      nickname: identity.nickname,
      joinedAt,
      leftAt,
      roles: [...(current ? [memberRoleId] : []), ...(staff ? [staffRoleId] : [])],
      chattiness: member.chattiness,
      staff,
    });
  });

  const withDiscord = builder.users.length - bots.length;
  const guests = Math.max(5, Math.round(withDiscord * 0.2));
  for (let guest = 0; guest < guests; guest++) {
    const guestRandom = random.fork(10_000 + guest);
    const displayName = generateDisplayName(guestRandom);
    const core = guest < 3;
    const joinedAt = core
      ? guildCreatedAt + guestRandom.int(HOUR, Math.max(HOUR, builder.start - guildCreatedAt))
      : guestRandom.int(guildCreatedAt + HOUR, builder.now - HOUR);
    const created = guestRandom.int(
      Date.UTC(2016, 0, 1),
      Math.max(Date.UTC(2016, 0, 2), joinedAt - DAY),
    );
    let id = snowflakeBigInt(created, guestRandom.int(0, 0x3fffff)).toString();
    while (usedIds.has(id)) id = (BigInt(id) + 1n).toString();
    usedIds.add(id);
    const left = !core && guestRandom.chance(0.25);
    addUser({
      id,
      username: `${generateDiscordUsername(guestRandom, displayName)}${guest}`.slice(0, 32),
      globalName: generateGlobalName(guestRandom, displayName),
      bot: false,
      kind: 'guest',
      playerId: null,
      clanIndex: -1,
      nickname: guestRandom.chance(0.3) ? displayName : null,
      joinedAt,
      leftAt: left
        ? guestRandom.int(joinedAt + HOUR, Math.max(joinedAt + HOUR, builder.now - HOUR))
        : null,
      roles: [guestRoleId],
      chattiness: Math.round(Math.exp(guestRandom.normal() * 0.8) * 1.5 * 100) / 100,
      staff: false,
    });
  }
  return {
    roles,
    everyoneRoleId,
    staffRoleId,
    memberRoleId,
    guestRoleId,
    botsRoleId,
    botRoleId,
    botUserIndex: botIndices[0] ?? 0,
    relayBotIndex: botIndices[1] ?? 0,
    eventsBotIndex: botIndices[2] ?? 0,
    carlBotIndex: botIndices[3] ?? 0,
  };
}
