import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './errors.js';
import {
  suggestLinks,
  type LinkAmbiguity,
  type LinkCandidateName,
  type LinkCandidatePlayer,
  type LinkCandidateUser,
  type LinkMatch,
  type LinkSuggestion,
} from './link-suggestions.js';
import {
  millisToSnowflake,
  normalizeRsn,
  snowflakeToBigInt,
  toMillis,
  type Instant,
  type Snowflake,
} from './values.js';

/**
 * How a Discord user came to be linked to a WOM player.
 *
 * - `manual`: the clan leader said so (`clanstats link`, or the links file). Always wins.
 * - `nickname`: an **automatic name match**: the user's server nickname, display name or username
 *   is exactly one of the player's current or former names under WOM's normalisation (see
 *   {@link suggestLinks}); made and unmade by {@link IdentityStore.refreshAutomaticLinks}.
 * - `relay`: reserved for links learnt from relayed clan chat; nothing writes it yet, and
 *   {@link IdentityStore.refreshAutomaticLinks} treats it as automatic.
 */
export type LinkSource = 'manual' | 'nickname' | 'relay';

/** A link between a Discord user and a WOM player. */
export interface IdentityLink {
  discordUserId: Snowflake;
  playerId: number;
  source: LinkSource;
  /** A person confirmed the link (manual links always are). */
  confirmed: boolean;
  createdAt: number;
  updatedAt: number;
}

/**
 * A clan leader's "not linked" mark: this Discord user is not that player, or (with `playerId`
 * `null`) is never to be linked automatically. Automatic links never override one.
 */
export interface IdentityBlock {
  /** The Discord user id. */
  discordUserId: Snowflake;
  /** The WOM player the user is not, or `null` for "no automatic link at all". */
  playerId: number | null;
  /** When the mark was made (epoch milliseconds). */
  createdAt: number;
}

/** A manual link, as {@link IdentityStore.replaceManualLinks} takes it. */
export interface ManualLinkInput {
  /** The Discord user id (the user need not be harvested yet). */
  discordUserId: Snowflake;
  /** The WOM player id (the player must be stored). */
  playerId: number;
}

/** A "not linked" mark, as {@link IdentityStore.replaceManualLinks} takes it. */
export interface IdentityBlockInput {
  /** The Discord user id. */
  discordUserId: Snowflake;
  /** The WOM player the user is not, or `null` for "never link this user automatically". */
  playerId: number | null;
}

/** How many rows a replace or refresh added, removed and left as they were. */
export interface ChangeCounts {
  /** Rows added. */
  added: number;
  /** Rows removed. */
  removed: number;
  /** Rows that were already right and were left untouched. */
  kept: number;
}

/** What {@link IdentityStore.replaceManualLinks} changed. */
export interface ReplaceManualLinksResult {
  /** Manual links. */
  links: ChangeCounts;
  /** "Not linked" marks. */
  blocks: ChangeCounts;
}

/** Why an unambiguous name match did not become an automatic link. */
export type SkipReason =
  /** Another Discord user's names match the same player too (an alt, a friend or an impersonator). */
  | 'contested'
  /** The clan leader marked this user as not this player, or as never linked automatically. */
  | 'blocked'
  /** The clan leader linked this player to someone by hand: manual links win. */
  | 'manual';

/** A name match that was not linked, and why. */
export interface SkippedSuggestion extends LinkSuggestion {
  /** Why it was not linked. */
  reason: SkipReason;
}

/** Options of {@link IdentityStore.linkCandidates}. */
export interface LinkCandidatesOptions {
  /**
   * The Discord server whose nicknames are used.
   * @defaultValue the most recently harvested server in the store
   */
  guildId?: Snowflake | undefined;
  /**
   * Every stored WOM player instead of only the current members of the clan (open membership
   * periods). The links file uses it so that a manual link to a member who left still resolves.
   * @defaultValue `false`
   */
  allPlayers?: boolean | undefined;
}

/** The inputs of {@link suggestLinks}, read from the store. */
export interface LinkCandidates {
  /** Every Discord user that is not a bot, with their nickname on the server. By id. */
  users: LinkCandidateUser[];
  /** The players, with their current name first, then former names. By player id. */
  players: LinkCandidatePlayer[];
}

/** Options of {@link IdentityStore.refreshAutomaticLinks}. */
export interface RefreshLinksOptions {
  /** The Discord server whose nicknames are matched; see {@link LinkCandidatesOptions.guildId}. */
  guildId?: Snowflake | undefined;
  /**
   * The time written into new links.
   * @defaultValue `Date.now()`
   */
  at?: Instant | undefined;
}

/** What {@link IdentityStore.refreshAutomaticLinks} did. */
export interface RefreshLinksResult extends ChangeCounts {
  /**
   * Users whose names point at several players: not linked. Users with a manual link or marked
   * "never link automatically" are left out.
   */
  ambiguous: LinkAmbiguity[];
  /** Unambiguous matches that were not linked, with the reason. */
  skipped: SkippedSuggestion[];
}

/** Options of {@link IdentityStore.unmatchedAuthors}. */
export interface UnmatchedAuthorsOptions {
  /** Count messages sent at or after this time. */
  since: Instant;
  /**
   * Count messages sent before this time.
   * @defaultValue now
   */
  until?: Instant | undefined;
  /** The Discord server whose nicknames are shown and matched; see {@link LinkCandidatesOptions.guildId}. */
  guildId?: Snowflake | undefined;
}

/** A player an unmatched author's names point at (an exact name match, never a substring). */
export interface UnmatchedCandidate extends LinkMatch {
  /** The player's current name. */
  currentName: string;
}

/** Why an active author has no link. */
export type UnmatchedReason = 'no_match' | 'ambiguous' | SkipReason | 'not_refreshed';

/** An active Discord author linked to no WOM player. */
export interface UnmatchedAuthor {
  /** The Discord user id. */
  userId: Snowflake;
  /** The unique username, or `null` when the user was never harvested. */
  username: string | null;
  /** The display name, when set. */
  globalName: string | null;
  /** The nickname on the server, when set. */
  nickname: string | null;
  /** Chat messages (types 0 and 19) in the range. */
  messages: number;
  /** When the last of them was sent (epoch milliseconds). */
  lastMessageAt: number;
  /**
   * The players the user's names match exactly, one per player, best first. Empty when none.
   * Shown as suggestions for the clan leader; never linked from here.
   */
  candidates: UnmatchedCandidate[];
  /**
   * Why there is no link: `no_match` (no name matches a member), `ambiguous` (names match several
   * members), `contested`, `blocked` or `manual` (see {@link SkipReason}), or `not_refreshed` (a
   * clean match that {@link IdentityStore.refreshAutomaticLinks} has not run for yet).
   */
  reason: UnmatchedReason;
}

interface LinkRow {
  discord_user_id: bigint;
  player_id: bigint;
  source: LinkSource;
  confirmed: bigint;
  created_at: bigint;
  updated_at: bigint;
}

interface BlockRow {
  discord_user_id: bigint;
  player_id: bigint | null;
  created_at: bigint;
}

interface UserRow {
  id: bigint;
  username: string;
  global_name: string | null;
  nickname: string | null;
}

interface PlayerNameJoinRow {
  id: number;
  display_name: string;
  name: string | null;
  normalized_name: string | null;
}

interface AuthorRow {
  author_id: bigint;
  messages: bigint;
  last_at: bigint;
}

const toLink = (row: LinkRow): IdentityLink => ({
  discordUserId: row.discord_user_id.toString(),
  playerId: Number(row.player_id),
  source: row.source,
  confirmed: row.confirmed === 1n,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

const pairKey = (discordUserId: Snowflake | bigint, playerId: number | null): string =>
  `${discordUserId.toString()}:${playerId === null ? '*' : String(playerId)}`;

function checkPlayerId(playerId: number, field: string): number {
  if (!Number.isSafeInteger(playerId) || playerId <= 0) {
    throw new StoreError('INVALID_INPUT', `${field} is not a WOM player id: ${String(playerId)}`);
  }
  return playerId;
}

/** Reads and writes Discord ↔ WOM links. Manual links always win over automatic ones. */
export class IdentityStore {
  readonly #db: BetterSqlite3.Database;
  readonly #statements;

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
    this.#statements = {
      manualFor: db.prepare<[bigint], { n: number }>(
        `SELECT count(*) AS n FROM identity_links WHERE discord_user_id = ? AND source = 'manual'`,
      ),
      dropAutomatic: db.prepare(
        `DELETE FROM identity_links WHERE discord_user_id = ? AND source <> 'manual'`,
      ),
      upsert:
        db.prepare(`INSERT INTO identity_links (discord_user_id, player_id, source, confirmed, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (discord_user_id, player_id) DO UPDATE SET source = excluded.source,
          confirmed = excluded.confirmed, updated_at = excluded.updated_at
        WHERE source IS NOT excluded.source OR confirmed IS NOT excluded.confirmed`),
      remove: db.prepare(`DELETE FROM identity_links WHERE discord_user_id = ? AND player_id = ?`),
      all: db
        .prepare<[], LinkRow>(`SELECT * FROM identity_links ORDER BY discord_user_id, player_id`)
        .safeIntegers(true),
      insertBlock: db.prepare(
        `INSERT INTO identity_link_blocks (discord_user_id, player_id, created_at) VALUES (?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      removeBlock: db.prepare(
        `DELETE FROM identity_link_blocks WHERE discord_user_id = ? AND player_id IS ?`,
      ),
      blocks: db
        .prepare<[], BlockRow>(
          `SELECT discord_user_id, player_id, created_at FROM identity_link_blocks
           ORDER BY discord_user_id, ifnull(player_id, -1)`,
        )
        .safeIntegers(true),
      playerExists: db.prepare<[number], { id: number }>(`SELECT id FROM wom_players WHERE id = ?`),
      users: db
        .prepare<[{ guild: bigint | null }], UserRow>(
          `SELECT u.id, u.username, u.global_name, m.nickname
           FROM discord_users u
           LEFT JOIN discord_members m ON m.user_id = u.id AND m.guild_id = coalesce(@guild,
             (SELECT id FROM discord_guilds ORDER BY fetched_at DESC, id LIMIT 1))
           WHERE u.is_bot = 0
           ORDER BY u.id`,
        )
        .safeIntegers(true),
      memberNames: db.prepare<[], PlayerNameJoinRow>(
        `SELECT p.id, p.display_name, n.display_name AS name, n.normalized_name
         FROM wom_players p LEFT JOIN wom_player_names n ON n.player_id = p.id
         WHERE p.id IN (SELECT player_id FROM wom_memberships WHERE left_at IS NULL)
         ORDER BY p.id, n.last_seen_at DESC, n.normalized_name`,
      ),
      allNames: db.prepare<[], PlayerNameJoinRow>(
        `SELECT p.id, p.display_name, n.display_name AS name, n.normalized_name
         FROM wom_players p LEFT JOIN wom_player_names n ON n.player_id = p.id
         ORDER BY p.id, n.last_seen_at DESC, n.normalized_name`,
      ),
      unmatched: db
        .prepare<[{ from: bigint; to: bigint }], AuthorRow>(
          `SELECT msg.author_id, count(*) AS messages, max(msg.created_at) AS last_at
           FROM discord_messages msg
           LEFT JOIN discord_users u ON u.id = msg.author_id
           WHERE msg.id >= @from AND msg.id < @to AND msg.is_bot = 0 AND msg.is_webhook = 0
             AND msg.type IN (0, 19) AND ifnull(u.is_bot, 0) = 0
             AND NOT EXISTS (SELECT 1 FROM identity_links l WHERE l.discord_user_id = msg.author_id)
             AND NOT EXISTS (SELECT 1 FROM identity_link_blocks b
               WHERE b.discord_user_id = msg.author_id AND b.player_id IS NULL)
           GROUP BY msg.author_id
           ORDER BY messages DESC, msg.author_id`,
        )
        .safeIntegers(true),
      userById: db
        .prepare<[bigint], { username: string; global_name: string | null }>(
          `SELECT username, global_name FROM discord_users WHERE id = ?`,
        )
        .safeIntegers(false),
    };
  }

  /**
   * Links a Discord user to a WOM player. A manual link replaces the user's automatic links; an
   * automatic link is ignored (returns `false`) when the user already has a manual one.
   */
  setLink(
    link: { discordUserId: Snowflake; playerId: number; source: LinkSource; confirmed?: boolean },
    at = Date.now(),
  ): boolean {
    const userId = snowflakeToBigInt(link.discordUserId, 'discordUserId');
    return this.#db.transaction(() => {
      if (link.source === 'manual') {
        this.#statements.dropAutomatic.run(userId);
      } else if ((this.#statements.manualFor.get(userId)?.n ?? 0) > 0) {
        return false;
      }
      const confirmed = link.source === 'manual' || link.confirmed === true ? 1 : 0;
      this.#statements.upsert.run(userId, link.playerId, link.source, confirmed, at, at);
      return true;
    })();
  }

  /** Removes a link; returns whether one existed. */
  removeLink(discordUserId: Snowflake, playerId: number): boolean {
    return (
      this.#statements.remove.run(snowflakeToBigInt(discordUserId, 'discordUserId'), playerId)
        .changes > 0
    );
  }

  /** Every link, by Discord user. */
  listLinks(): IdentityLink[] {
    return this.#statements.all.all().map(toLink);
  }

  /**
   * Marks a Discord user as not this player (or, with `playerId` `null`, as never to be linked
   * automatically). Takes effect at the next {@link IdentityStore.refreshAutomaticLinks}; manual
   * links are not affected. Returns `false` when the mark already existed.
   * @throws {@link StoreError} `INVALID_INPUT` for a malformed id or a player that is not stored.
   */
  blockLink(discordUserId: Snowflake, playerId: number | null, at: Instant = Date.now()): boolean {
    const userId = snowflakeToBigInt(discordUserId, 'discordUserId');
    if (playerId !== null) this.#assertPlayer(playerId, 'playerId');
    return this.#statements.insertBlock.run(userId, playerId, toMillis(at, 'at')).changes > 0;
  }

  /** Removes a "not linked" mark; returns whether it existed. */
  unblockLink(discordUserId: Snowflake, playerId: number | null): boolean {
    const userId = snowflakeToBigInt(discordUserId, 'discordUserId');
    return this.#statements.removeBlock.run(userId, playerId).changes > 0;
  }

  /** Every "not linked" mark, by Discord user, the user-wide (`playerId: null`) mark first. */
  listBlocks(): IdentityBlock[] {
    return this.#statements.blocks.all().map((row) => ({
      discordUserId: row.discord_user_id.toString(),
      playerId: row.player_id === null ? null : Number(row.player_id),
      createdAt: Number(row.created_at),
    }));
  }

  /**
   * Reads the inputs of {@link suggestLinks} from the store: every Discord user that is not a bot,
   * with the nickname they have on the server, and the clan's current members (open membership
   * periods in any stored group) with their current name first and every former name from WOM's
   * approved name changes.
   */
  linkCandidates(options: LinkCandidatesOptions = {}): LinkCandidates {
    const guild =
      options.guildId === undefined ? null : snowflakeToBigInt(options.guildId, 'guildId');
    const users = this.#statements.users.all({ guild }).map((row): LinkCandidateUser => ({
      id: row.id.toString(),
      username: row.username,
      globalName: row.global_name,
      nickname: row.nickname,
    }));
    const rows =
      options.allPlayers === true
        ? this.#statements.allNames.all()
        : this.#statements.memberNames.all();
    const players = new Map<number, { playerId: number; names: LinkCandidateName[] }>();
    for (const row of rows) {
      let player = players.get(row.id);
      if (player === undefined) {
        player = { playerId: row.id, names: [{ name: row.display_name, current: true }] };
        players.set(row.id, player);
      }
      if (row.name === null || row.normalized_name === null) continue;
      if (row.normalized_name === normalizeRsn(row.display_name)) continue;
      player.names.push({ name: row.name, current: false });
    }
    return { users, players: [...players.values()] };
  }

  /**
   * Recomputes the automatic links, in one transaction: every link that is not manual is replaced
   * by the unambiguous exact-name suggestions of {@link suggestLinks} over
   * {@link IdentityStore.linkCandidates}, stored with source `nickname` ("automatic name match").
   *
   * Users with a manual link, and users marked "never link automatically", get no automatic link
   * and claim no player. Any other match is not linked (and is listed in `skipped`) when the leader
   * marked the pair as not linked (`blocked`), when the player is linked by hand to someone
   * (`manual`: manual links win), or when another user matches the same player too (`contested`).
   * Links that stay the same are left untouched (their `createdAt` is kept). Running it twice in a
   * row changes nothing the second time.
   */
  refreshAutomaticLinks(options: RefreshLinksOptions = {}): RefreshLinksResult {
    const at = toMillis(options.at ?? Date.now(), 'at');
    return this.#db
      .transaction((): RefreshLinksResult => {
        const plan = this.#plan(options.guildId);
        const desired = new Map(
          plan.desired.map((suggestion) => [
            pairKey(suggestion.discordUserId, suggestion.playerId),
            suggestion,
          ]),
        );
        const counts: ChangeCounts = { added: 0, removed: 0, kept: 0 };
        for (const link of plan.links) {
          if (link.source === 'manual') continue;
          const key = pairKey(link.discordUserId, link.playerId);
          if (desired.has(key)) {
            desired.delete(key);
            counts.kept += 1;
          } else {
            this.#statements.remove.run(BigInt(link.discordUserId), link.playerId);
            counts.removed += 1;
          }
        }
        for (const suggestion of desired.values()) {
          this.#statements.upsert.run(
            BigInt(suggestion.discordUserId),
            suggestion.playerId,
            'nickname',
            0,
            at,
            at,
          );
          counts.added += 1;
        }
        return { ...counts, ambiguous: plan.ambiguous, skipped: plan.skipped };
      })
      .immediate();
  }

  /**
   * What the automatic links should be. Users with a manual link and users marked "never link
   * automatically" take no part (their names claim no player); a blocked pair claims nothing
   * either, so it does not make another user's match contested.
   */
  #plan(guildId: Snowflake | undefined): {
    candidates: LinkCandidates;
    links: IdentityLink[];
    desired: LinkSuggestion[];
    skipped: SkippedSuggestion[];
    ambiguous: LinkAmbiguity[];
  } {
    const candidates = this.linkCandidates({ guildId });
    const links = this.listLinks();
    const blocks = this.listBlocks();
    const manualUsers = new Set<string>();
    const manualPlayers = new Set<number>();
    for (const link of links) {
      if (link.source !== 'manual') continue;
      manualUsers.add(link.discordUserId);
      manualPlayers.add(link.playerId);
    }
    const blockedPairs = new Set(
      blocks.map((block) => pairKey(block.discordUserId, block.playerId)),
    );
    const excluded = new Set([
      ...manualUsers,
      ...blocks.filter((block) => block.playerId === null).map((block) => block.discordUserId),
    ]);
    const { suggestions, ambiguous } = suggestLinks(
      candidates.users.filter((user) => !excluded.has(user.id)),
      candidates.players,
    );
    const skipped: SkippedSuggestion[] = [];
    const open: LinkSuggestion[] = [];
    for (const suggestion of suggestions) {
      if (blockedPairs.has(pairKey(suggestion.discordUserId, suggestion.playerId))) {
        skipped.push({ ...suggestion, contested: false, reason: 'blocked' });
      } else open.push(suggestion);
    }
    const claims = new Map<number, number>();
    for (const suggestion of open) {
      claims.set(suggestion.playerId, (claims.get(suggestion.playerId) ?? 0) + 1);
    }
    const desired: LinkSuggestion[] = [];
    for (const suggestion of open) {
      const contested = (claims.get(suggestion.playerId) ?? 0) > 1;
      if (manualPlayers.has(suggestion.playerId)) {
        skipped.push({ ...suggestion, contested, reason: 'manual' });
      } else if (contested) {
        skipped.push({ ...suggestion, contested, reason: 'contested' });
      } else desired.push({ ...suggestion, contested });
    }
    return { candidates, links, desired, skipped, ambiguous };
  }

  /**
   * Makes the manual links and the "not linked" marks exactly `links` and `blocks`, in one
   * transaction (used to apply the clan leader's links file). Links and marks that stay are left
   * untouched; a manual link replaces the user's automatic links (as {@link IdentityStore.setLink}
   * does). Duplicates in the input are ignored.
   * @throws {@link StoreError} `INVALID_INPUT` for a malformed id or a player that is not stored;
   * nothing is written then.
   */
  replaceManualLinks(
    links: readonly ManualLinkInput[],
    blocks: readonly IdentityBlockInput[],
    at: Instant = Date.now(),
  ): ReplaceManualLinksResult {
    const now = toMillis(at, 'at');
    const wantedLinks = new Map<string, { user: bigint; playerId: number }>();
    for (const [index, link] of links.entries()) {
      const user = snowflakeToBigInt(link.discordUserId, `links[${index}].discordUserId`);
      checkPlayerId(link.playerId, `links[${index}].playerId`);
      wantedLinks.set(pairKey(user, link.playerId), { user, playerId: link.playerId });
    }
    const wantedBlocks = new Map<string, { user: bigint; playerId: number | null }>();
    for (const [index, block] of blocks.entries()) {
      const user = snowflakeToBigInt(block.discordUserId, `blocks[${index}].discordUserId`);
      if (block.playerId !== null) checkPlayerId(block.playerId, `blocks[${index}].playerId`);
      wantedBlocks.set(pairKey(user, block.playerId), { user, playerId: block.playerId });
    }
    return this.#db
      .transaction((): ReplaceManualLinksResult => {
        for (const [index, link] of links.entries()) {
          this.#assertPlayer(link.playerId, `links[${index}].playerId`);
        }
        for (const [index, block] of blocks.entries()) {
          if (block.playerId !== null)
            this.#assertPlayer(block.playerId, `blocks[${index}].playerId`);
        }
        const linkCounts: ChangeCounts = { added: 0, removed: 0, kept: 0 };
        for (const link of this.listLinks()) {
          if (link.source !== 'manual') continue;
          const key = pairKey(link.discordUserId, link.playerId);
          if (wantedLinks.has(key)) {
            wantedLinks.delete(key);
            linkCounts.kept += 1;
          } else {
            this.#statements.remove.run(BigInt(link.discordUserId), link.playerId);
            linkCounts.removed += 1;
          }
        }
        for (const { user, playerId } of wantedLinks.values()) {
          this.#statements.dropAutomatic.run(user);
          this.#statements.upsert.run(user, playerId, 'manual', 1, now, now);
          linkCounts.added += 1;
        }
        // A user with a kept manual link may have gained an automatic one through setLink: drop it.
        for (const link of this.listLinks()) {
          if (link.source === 'manual')
            this.#statements.dropAutomatic.run(BigInt(link.discordUserId));
        }

        const blockCounts: ChangeCounts = { added: 0, removed: 0, kept: 0 };
        for (const block of this.listBlocks()) {
          const key = pairKey(block.discordUserId, block.playerId);
          if (wantedBlocks.has(key)) {
            wantedBlocks.delete(key);
            blockCounts.kept += 1;
          } else {
            this.#statements.removeBlock.run(BigInt(block.discordUserId), block.playerId);
            blockCounts.removed += 1;
          }
        }
        for (const { user, playerId } of wantedBlocks.values()) {
          this.#statements.insertBlock.run(user, playerId, now);
          blockCounts.added += 1;
        }
        return { links: linkCounts, blocks: blockCounts };
      })
      .immediate();
  }

  /**
   * Discord authors with chat messages (types 0 and 19; bots and webhooks excluded) in a range who
   * are linked to no player by any source, most messages first. Users the leader marked as never
   * linked automatically are left out. Each comes with the players their names match exactly (the
   * rules of {@link suggestLinks}: never a substring) and why no link was made.
   */
  unmatchedAuthors(options: UnmatchedAuthorsOptions): UnmatchedAuthor[] {
    const from = snowflakeToBigInt(millisToSnowflake(options.since));
    const to = snowflakeToBigInt(millisToSnowflake(options.until ?? Date.now()));
    const authors = this.#statements.unmatched.all({ from, to });
    if (authors.length === 0) return [];
    const plan = this.#plan(options.guildId);
    const { users, players } = plan.candidates;
    const usersById = new Map(users.map((user) => [user.id, user]));
    const currentNames = new Map(
      players.map((player) => [player.playerId, player.names[0]?.name ?? '']),
    );
    const matchedByUser = new Map<string, { match: LinkMatch; reason: UnmatchedReason }>();
    for (const suggestion of plan.desired) {
      matchedByUser.set(suggestion.discordUserId, { match: suggestion, reason: 'not_refreshed' });
    }
    for (const suggestion of plan.skipped) {
      matchedByUser.set(suggestion.discordUserId, { match: suggestion, reason: suggestion.reason });
    }
    const ambiguousByUser = new Map(plan.ambiguous.map((entry) => [entry.discordUserId, entry]));
    const candidate = (match: LinkMatch): UnmatchedCandidate => ({
      playerId: match.playerId,
      matchedName: match.matchedName,
      via: match.via,
      text: match.text,
      former: match.former,
      currentName: currentNames.get(match.playerId) ?? match.matchedName,
    });

    return authors.map((row): UnmatchedAuthor => {
      const userId = row.author_id.toString();
      const user = usersById.get(userId);
      const stored = user === undefined ? this.#statements.userById.get(row.author_id) : undefined;
      let candidates: UnmatchedCandidate[] = [];
      let reason: UnmatchedReason = 'no_match';
      const matched = matchedByUser.get(userId);
      const ambiguity = ambiguousByUser.get(userId);
      if (matched !== undefined) {
        candidates = [candidate(matched.match)];
        reason = matched.reason;
      } else if (ambiguity !== undefined) {
        const seen = new Set<number>();
        for (const match of ambiguity.matches) {
          if (seen.has(match.playerId)) continue;
          seen.add(match.playerId);
          candidates.push(candidate(match));
        }
        reason = 'ambiguous';
      }
      return {
        userId,
        username: user?.username ?? stored?.username ?? null,
        globalName: user?.globalName ?? stored?.global_name ?? null,
        nickname: user?.nickname ?? null,
        messages: Number(row.messages),
        lastMessageAt: Number(row.last_at),
        candidates,
        reason,
      };
    });
  }

  #assertPlayer(playerId: number, field: string): void {
    checkPlayerId(playerId, field);
    if (this.#statements.playerExists.get(playerId) === undefined) {
      throw new StoreError(
        'INVALID_INPUT',
        `${field}: WOM player ${playerId} is not in the store (harvest the clan first)`,
      );
    }
  }
}
