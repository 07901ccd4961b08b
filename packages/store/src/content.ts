/**
 * Message text: the `content` columns of `discord_messages` and `discord_relay_lines`, filled only
 * when the clan opted in to storing it. Counting it, and removing it for good. Works on any schema
 * ClanStats wrote (a backup may predate the migration that added a table).
 */
import type BetterSqlite3 from 'better-sqlite3';

/** Rows that hold message text, per table. */
export interface StoredContentCounts {
  /** Discord messages with text (`discord_messages.content`). */
  messages: number;
  /** Relayed clan-chat lines with text (`discord_relay_lines.content`). */
  relayLines: number;
}

const contentTables = {
  messages: 'discord_messages',
  relayLines: 'discord_relay_lines',
} as const satisfies Record<keyof StoredContentCounts, string>;

type ContentKey = keyof StoredContentCounts;

function hasContentColumn(db: BetterSqlite3.Database, table: string): boolean {
  const columns = db.pragma(`table_info(${table})`) as Array<{ name: string }>;
  return columns.some((column) => column.name === 'content');
}

function forEachTable(
  db: BetterSqlite3.Database,
  body: (table: string) => number,
): StoredContentCounts {
  const counts: StoredContentCounts = { messages: 0, relayLines: 0 };
  for (const [key, table] of Object.entries(contentTables) as Array<[ContentKey, string]>) {
    if (hasContentColumn(db, table)) counts[key] = body(table);
  }
  return counts;
}

/** How many messages and relay lines hold text. */
export function countStoredContent(db: BetterSqlite3.Database): StoredContentCounts {
  return forEachTable(
    db,
    (table) =>
      db
        .prepare<[], number>(`SELECT count(*) FROM ${table} WHERE content IS NOT NULL`)
        .pluck()
        .get() ?? 0,
  );
}

/**
 * Sets every stored text to `NULL`, in one transaction, with `secure_delete` on so SQLite zeroes
 * the freed bytes. Returns the rows cleared.
 */
export function purgeStoredContent(db: BetterSqlite3.Database): StoredContentCounts {
  const secureDelete = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    return db
      .transaction(() =>
        forEachTable(
          db,
          (table) =>
            db.prepare(`UPDATE ${table} SET content = NULL WHERE content IS NOT NULL`).run()
              .changes,
        ),
      )
      .immediate();
  } finally {
    db.pragma(`secure_delete = ${secureDelete}`);
  }
}
