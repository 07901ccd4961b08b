import type BetterSqlite3 from 'better-sqlite3';
import { snowflakeToBigInt, type Snowflake } from './values.js';

/** How a Discord user came to be linked to a WOM player. */
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

interface LinkRow {
  discord_user_id: bigint;
  player_id: bigint;
  source: LinkSource;
  confirmed: bigint;
  created_at: bigint;
  updated_at: bigint;
}

const toLink = (row: LinkRow): IdentityLink => ({
  discordUserId: row.discord_user_id.toString(),
  playerId: Number(row.player_id),
  source: row.source,
  confirmed: row.confirmed === 1n,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

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
}
