import { StoreError } from './errors.js';
import { checkSnowflake, normalizeRsn, type Snowflake } from './values.js';

/**
 * Which Discord name a link suggestion came from, in the order they are tried: the server
 * nickname, then the account's display name (`global_name`), then the unique username.
 */
export type LinkVia = 'nickname' | 'global_name' | 'username';

/** A Discord server member, as {@link suggestLinks} reads it. */
export interface LinkCandidateUser {
  /** The Discord user id (a snowflake). */
  id: Snowflake;
  /** The unique Discord username, e.g. `mike_1990`. */
  username: string;
  /** The account's display name, or `null` when the user has not set one. */
  globalName: string | null;
  /** The nickname on this server, or `null` when the member has none. */
  nickname: string | null;
}

/** One of a player's names, as {@link suggestLinks} reads it. */
export interface LinkCandidateName {
  /** The name as WOM spells it (display name or username); normalised before matching. */
  name: string;
  /** `true` for the player's current name, `false` for a name they had before a name change. */
  current: boolean;
}

/** A WOM player, with every name they are known by, as {@link suggestLinks} reads it. */
export interface LinkCandidatePlayer {
  /** The WOM player id: stable across name changes. */
  playerId: number;
  /** The current name and any former names. */
  names: readonly LinkCandidateName[];
}

/** One piece of evidence: a Discord name whose text (or a part of it) is one of a player's names. */
export interface LinkMatch {
  /** The WOM player id the text names. */
  playerId: number;
  /** The player's name that matched, spelled as it was passed in {@link LinkCandidatePlayer.names}. */
  matchedName: string;
  /** Which of the user's Discord names matched. */
  via: LinkVia;
  /** That Discord name in full, e.g. `[PvM] Sir Gowi | Mike`. */
  text: string;
  /** `true` when {@link LinkMatch.matchedName} is a former name of the player, not the current one. */
  former: boolean;
}

/** An automatic link proposal: one Discord user whose names point at exactly one WOM player. */
export interface LinkSuggestion extends LinkMatch {
  /** The Discord user id. */
  discordUserId: Snowflake;
  /**
   * `true` when other Discord users are suggested for the same player too (an alt account, an
   * impersonator, or a friend wearing the name): every such suggestion is kept, and all are marked.
   */
  contested: boolean;
}

/** A Discord user whose names point at more than one WOM player: no link is suggested. */
export interface LinkAmbiguity {
  /** The Discord user id. */
  discordUserId: Snowflake;
  /** Every player the user's names point at, ascending; always two or more. */
  playerIds: number[];
  /** The first Discord name (in the order tried) at which the user's names point at two players. */
  via: LinkVia;
  /** That Discord name in full. */
  text: string;
  /** All the evidence, in the order tried, then by player id: one entry per Discord name and player. */
  matches: LinkMatch[];
}

/** What {@link suggestLinks} returns. */
export interface LinkSuggestions {
  /** Users whose names point at exactly one player, by Discord user id (numerically), then player id. */
  suggestions: LinkSuggestion[];
  /** Users whose names point at several players, by Discord user id (numerically). */
  ambiguous: LinkAmbiguity[];
}

/** A valid RSN after {@link normalizeRsn}: 1–12 lowercase letters, digits and spaces (WOM's rule). */
const VALID_NORMALIZED_RSN = /^[a-z0-9 ]{1,12}$/;

/**
 * Where clan nicknames put a break between the RSN and anything else: `|`, `/`, brackets of every
 * kind, a `-` with whitespace on both sides, `•`, `·`, `~`, and emoji (with their joiners and
 * variation selectors). A `-` inside a word (`Sir-Gowi`) is part of the name.
 */
const NAME_SEPARATORS = /\s+-\s+|\u200d|\ufe0f|[|/()[\]{}•·~\p{Extended_Pictographic}]/u;

/** The texts to try for one Discord name: the whole text, then its parts, distinct and non-empty. */
function nameParts(text: string): string[] {
  const parts = [text, ...text.split(NAME_SEPARATORS)].map((part) => part.trim());
  return [...new Set(parts.filter((part) => part !== ''))];
}

interface IndexedName {
  name: string;
  current: boolean;
}

/** Normalised name ⇒ player id ⇒ the player's name with that key (a current one if any). */
function indexPlayers(
  players: readonly LinkCandidatePlayer[],
): Map<string, Map<number, IndexedName>> {
  const index = new Map<string, Map<number, IndexedName>>();
  const seen = new Set<number>();
  for (const player of players) {
    if (!Number.isSafeInteger(player.playerId) || player.playerId <= 0) {
      throw new StoreError(
        'INVALID_INPUT',
        `playerId is not a WOM player id: ${String(player.playerId)}`,
      );
    }
    if (seen.has(player.playerId)) {
      throw new StoreError('INVALID_INPUT', `playerId ${player.playerId} is listed twice`);
    }
    seen.add(player.playerId);
    for (const { name, current } of player.names) {
      const key = normalizeRsn(name);
      if (!VALID_NORMALIZED_RSN.test(key)) continue;
      let byPlayer = index.get(key);
      if (byPlayer === undefined) {
        byPlayer = new Map();
        index.set(key, byPlayer);
      }
      const existing = byPlayer.get(player.playerId);
      if (existing === undefined || (!existing.current && current)) {
        byPlayer.set(player.playerId, { name, current });
      }
    }
  }
  return index;
}

/** The matches of one Discord name: one per player, a current name preferred, by player id. */
function matchText(
  via: LinkVia,
  text: string,
  index: Map<string, Map<number, IndexedName>>,
): LinkMatch[] {
  const byPlayer = new Map<number, LinkMatch>();
  for (const part of nameParts(text)) {
    const key = normalizeRsn(part);
    if (!VALID_NORMALIZED_RSN.test(key)) continue;
    const hits = index.get(key);
    if (hits === undefined) continue;
    for (const [playerId, hit] of hits) {
      const existing = byPlayer.get(playerId);
      if (existing === undefined || (existing.former && hit.current)) {
        byPlayer.set(playerId, {
          playerId,
          matchedName: hit.name,
          via,
          text,
          former: !hit.current,
        });
      }
    }
  }
  return [...byPlayer.values()].sort((left, right) => left.playerId - right.playerId);
}

function compareIds(left: bigint, right: bigint): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Proposes links between Discord users and WOM players from their names alone. Pure: it reads
 * nothing, writes nothing and never prints; the caller shows the result as *suggestions* for a clan
 * leader to confirm, since a name is no proof of who owns an account.
 *
 * The rules, chosen to be predictable rather than clever:
 *
 * 1. **Names tried.** The server nickname, then `globalName`, then `username`; a `null` or empty
 *    name is skipped.
 * 2. **Parts.** Each name is tried whole, then split into parts on `|`, `/`, `(` `)`, `[` `]`,
 *    `{` `}`, a `-` with whitespace on both sides, `•`, `·`, `~` and emoji, so `Sir Gowi | Mike`,
 *    `Mike (Sir Gowi)`, `[PvM] Sir Gowi` and `Sir Gowi 🐉` all contain `Sir Gowi`.
 * 3. **Exact match only.** A part is normalised with {@link normalizeRsn} (WOM's rule: `-`, `_` and
 *    whitespace are spaces, trimmed, case-insensitive) and must then be a valid RSN (1–12 of
 *    `a-z`, `0-9` and space). It matches a player when it *equals* one of the player's current or
 *    former names normalised the same way. Never a substring, prefix or fuzzy match: `bob` does not
 *    match `bobby`.
 * 4. **One player or nothing.** When all the user's names together point at exactly one player,
 *    the user gets one suggestion: from the first name (in the order above) that matched, with a
 *    current name preferred over a former one of the same player. When they point at two or more
 *    players, whether within one name (`Zezima | Lynx Titan`) or across names (nickname `Zezima`,
 *    username `lynx_titan`), or because a name is one player's current name and another's former
 *    name, the user gets no suggestion and an {@link LinkAmbiguity} instead.
 * 5. **Contested players.** When several users are suggested for the same player, every suggestion
 *    is kept and marked `contested: true`.
 * 6. **Order.** Suggestions by Discord user id (numerically), then player id; ambiguities by Discord
 *    user id. The order of the inputs does not change the output.
 *
 * @param users - The Discord server members to link.
 * @param players - The WOM players they may be, with current and former names.
 * @returns The suggestions and the ambiguous users.
 * @throws {@link StoreError} `INVALID_INPUT` when a user id is not a snowflake, a player id is not
 * a positive safe integer, or a user or player is listed twice.
 *
 * @example
 * ```ts
 * const { suggestions, ambiguous } = suggestLinks(
 *   [{ id: '81440962496172032', username: 'mike_1990', globalName: 'Mike', nickname: 'Mike | Sir Gowi' }],
 *   [{ playerId: 1135, names: [{ name: 'Sir Gowi', current: true }] }],
 * );
 * // suggestions: [{ discordUserId: '81440962496172032', playerId: 1135, matchedName: 'Sir Gowi',
 * //   via: 'nickname', text: 'Mike | Sir Gowi', former: false, contested: false }]
 * ```
 */
export function suggestLinks(
  users: readonly LinkCandidateUser[],
  players: readonly LinkCandidatePlayer[],
): LinkSuggestions {
  const index = indexPlayers(players);

  const ordered = users.map((user) => ({
    user,
    order: BigInt(checkSnowflake(user.id, 'discord user id')),
  }));
  ordered.sort((left, right) => compareIds(left.order, right.order));
  for (let position = 1; position < ordered.length; position += 1) {
    if (ordered[position - 1]?.order === ordered[position]?.order) {
      throw new StoreError(
        'INVALID_INPUT',
        `discord user id ${ordered[position]?.user.id ?? ''} is listed twice`,
      );
    }
  }

  const suggestions: LinkSuggestion[] = [];
  const ambiguous: LinkAmbiguity[] = [];
  for (const { user } of ordered) {
    const texts: Array<[LinkVia, string | null]> = [
      ['nickname', user.nickname],
      ['global_name', user.globalName],
      ['username', user.username],
    ];
    const matches: LinkMatch[] = [];
    const playerIds = new Set<number>();
    let conflict: { via: LinkVia; text: string } | undefined;
    for (const [via, text] of texts) {
      if (text === null || text.trim() === '') continue;
      for (const match of matchText(via, text, index)) {
        matches.push(match);
        playerIds.add(match.playerId);
        if (playerIds.size > 1) conflict ??= { via, text };
      }
    }
    const [first] = matches;
    if (first === undefined) continue;
    if (conflict === undefined) {
      suggestions.push({ discordUserId: user.id, ...first, contested: false });
    } else {
      ambiguous.push({
        discordUserId: user.id,
        playerIds: [...playerIds].sort((left, right) => left - right),
        ...conflict,
        matches,
      });
    }
  }

  const claims = new Map<number, number>();
  for (const suggestion of suggestions) {
    claims.set(suggestion.playerId, (claims.get(suggestion.playerId) ?? 0) + 1);
  }
  for (const suggestion of suggestions) {
    suggestion.contested = (claims.get(suggestion.playerId) ?? 0) > 1;
  }
  return { suggestions, ambiguous };
}
