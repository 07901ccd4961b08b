-- ClanStats schema v1.
-- Conventions:
--   * Every row is keyed by a stable id, never by a name: WOM player/group ids, Discord snowflakes.
--   * Discord snowflakes are stored as INTEGER (64-bit), so that ORDER BY id is time order; the
--     typed API exposes them as decimal strings.
--   * Every *_at column is a UTC instant in Unix epoch milliseconds (INTEGER).
--   * Booleans are INTEGER 0/1.
--   * The two bulk fact tables (wom_snapshot_values, discord_messages) declare no FOREIGN KEY
--     constraints: checking them costs about 40% of ingest time (measured in the store benchmark).
--     The store's writers only insert them inside the transaction that writes their parents.

-- ---------------------------------------------------------------- harvest runs
CREATE TABLE harvest_runs (
  id               INTEGER PRIMARY KEY,
  command          TEXT    NOT NULL,                    -- 'run', 'harvest', ...
  started_at       INTEGER NOT NULL,
  finished_at      INTEGER,
  status           TEXT    NOT NULL DEFAULT 'running'
                   CHECK (status IN ('running', 'ok', 'partial', 'failed')),
  wom_requests     INTEGER NOT NULL DEFAULT 0,
  discord_requests INTEGER NOT NULL DEFAULT 0,
  rate_limited     INTEGER NOT NULL DEFAULT 0,          -- 429 responses seen
  error_code       TEXT,
  error_message    TEXT,
  details          TEXT                                 -- JSON: per-stage durations and counts
);

CREATE TABLE harvest_run_problems (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER NOT NULL REFERENCES harvest_runs (id) ON DELETE CASCADE,
  source     TEXT    NOT NULL CHECK (source IN ('wom', 'discord', 'report', 'export', 'other')),
  scope      TEXT,                                      -- e.g. a channel id or a player id
  code       TEXT    NOT NULL,
  message    TEXT    NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX harvest_run_problems_run ON harvest_run_problems (run_id);

-- ---------------------------------------------------------------- Wise Old Man
CREATE TABLE wom_groups (
  id           INTEGER PRIMARY KEY,                     -- WOM group id
  name         TEXT    NOT NULL,
  clan_chat    TEXT,
  description  TEXT,
  homeworld    INTEGER,
  verified     INTEGER NOT NULL DEFAULT 0,
  patron       INTEGER NOT NULL DEFAULT 0,
  member_count INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER,
  updated_at   INTEGER,
  fetched_at   INTEGER NOT NULL
);

CREATE TABLE wom_players (
  id               INTEGER PRIMARY KEY,                 -- WOM player id
  username         TEXT    NOT NULL,                    -- WOM's standardized form (lowercase)
  display_name     TEXT    NOT NULL,
  type             TEXT    NOT NULL DEFAULT 'unknown',  -- unknown|regular|ironman|hardcore|ultimate
  build            TEXT    NOT NULL DEFAULT 'main',
  status           TEXT    NOT NULL DEFAULT 'active',
  country          TEXT,
  exp              INTEGER,
  ehp              REAL,
  ehb              REAL,
  registered_at    INTEGER,
  updated_at       INTEGER,                             -- last WOM update
  last_changed_at  INTEGER,                             -- "last progressed"
  last_imported_at INTEGER,
  fetched_at       INTEGER NOT NULL
);
CREATE INDEX wom_players_username ON wom_players (username);

-- Every name a player has been seen under: current, former (name changes), as first seen.
CREATE TABLE wom_player_names (
  player_id       INTEGER NOT NULL REFERENCES wom_players (id) ON DELETE CASCADE,
  normalized_name TEXT    NOT NULL,                     -- lowercase; '-', '_' and spaces as one space
  display_name    TEXT    NOT NULL,
  source          TEXT    NOT NULL CHECK (source IN ('player', 'name_change')),
  first_seen_at   INTEGER NOT NULL,
  last_seen_at    INTEGER NOT NULL,
  PRIMARY KEY (player_id, normalized_name)
) WITHOUT ROWID;
CREATE INDEX wom_player_names_name ON wom_player_names (normalized_name);

-- Membership periods. A leaver keeps their rows (left_at set); a returning member opens a new period.
CREATE TABLE wom_memberships (
  id         INTEGER PRIMARY KEY,
  group_id   INTEGER NOT NULL REFERENCES wom_groups (id) ON DELETE CASCADE,
  player_id  INTEGER NOT NULL REFERENCES wom_players (id),
  role       TEXT    NOT NULL,
  joined_at  INTEGER NOT NULL,
  left_at    INTEGER,
  updated_at INTEGER NOT NULL,
  CHECK (left_at IS NULL OR left_at >= joined_at)
);
CREATE UNIQUE INDEX wom_memberships_open ON wom_memberships (group_id, player_id) WHERE left_at IS NULL;
CREATE INDEX wom_memberships_player ON wom_memberships (player_id, joined_at);

CREATE TABLE wom_name_changes (
  id          INTEGER PRIMARY KEY,                      -- WOM name change id
  player_id   INTEGER NOT NULL REFERENCES wom_players (id),
  old_name    TEXT    NOT NULL,
  new_name    TEXT    NOT NULL,
  status      TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
  resolved_at INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER
);
CREATE INDEX wom_name_changes_player ON wom_name_changes (player_id, created_at);

-- The group activity feed: joins, leaves and role changes. WOM gives no id; the row is its own key.
CREATE TABLE wom_group_activity (
  group_id      INTEGER NOT NULL REFERENCES wom_groups (id) ON DELETE CASCADE,
  player_id     INTEGER NOT NULL,
  type          TEXT    NOT NULL CHECK (type IN ('joined', 'left', 'changed_role')),
  role          TEXT,
  previous_role TEXT,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (group_id, created_at, player_id, type)
) WITHOUT ROWID;

-- Metric names are data, not columns: a metric WOM adds later is a new row, not a migration.
CREATE TABLE wom_metrics (
  id       INTEGER PRIMARY KEY,
  name     TEXT    NOT NULL UNIQUE,
  category TEXT    NOT NULL CHECK (category IN ('skill', 'boss', 'activity', 'computed'))
);

CREATE TABLE wom_snapshots (
  id          INTEGER PRIMARY KEY,
  player_id   INTEGER NOT NULL REFERENCES wom_players (id),
  taken_at    INTEGER NOT NULL,                         -- WOM snapshot createdAt
  imported_at INTEGER,
  run_id      INTEGER REFERENCES harvest_runs (id) ON DELETE SET NULL,
  UNIQUE (player_id, taken_at)
);
CREATE INDEX wom_snapshots_taken ON wom_snapshots (taken_at);

-- One row per snapshot and metric. value: experience (skill), kills (boss), score (activity) or
-- value (computed: ehp, ehb); -1 means unranked, as WOM reports it. level: skills only.
CREATE TABLE wom_snapshot_values (
  snapshot_id INTEGER NOT NULL,                         -- wom_snapshots.id (no FK: see the header)
  metric_id   INTEGER NOT NULL,                         -- wom_metrics.id
  value       NUMERIC NOT NULL,
  rank        INTEGER NOT NULL,
  level       INTEGER,
  PRIMARY KEY (snapshot_id, metric_id)
) WITHOUT ROWID;

CREATE TRIGGER wom_snapshots_delete_values AFTER DELETE ON wom_snapshots
BEGIN
  DELETE FROM wom_snapshot_values WHERE snapshot_id = OLD.id;
END;

-- ---------------------------------------------------------------- Discord
CREATE TABLE discord_guilds (
  id         INTEGER PRIMARY KEY,                       -- snowflake
  name       TEXT    NOT NULL,
  fetched_at INTEGER NOT NULL
);

-- Channels and threads (threads are channels with a parent).
CREATE TABLE discord_channels (
  id                INTEGER PRIMARY KEY,                -- snowflake
  guild_id          INTEGER NOT NULL REFERENCES discord_guilds (id) ON DELETE CASCADE,
  parent_id         INTEGER,                            -- category, or a thread's parent channel
  type              INTEGER NOT NULL,                   -- Discord channel type
  name              TEXT    NOT NULL,
  is_thread         INTEGER NOT NULL DEFAULT 0,
  archived          INTEGER NOT NULL DEFAULT 0,
  archive_timestamp INTEGER,
  last_message_id   INTEGER,
  fetched_at        INTEGER NOT NULL
);
CREATE INDEX discord_channels_guild ON discord_channels (guild_id, parent_id);

CREATE TABLE discord_users (
  id          INTEGER PRIMARY KEY,                      -- snowflake
  username    TEXT    NOT NULL,
  global_name TEXT,                                     -- display name
  is_bot      INTEGER NOT NULL DEFAULT 0,
  updated_at  INTEGER NOT NULL
);

-- Guild membership and nickname (needs the Server Members intent, or is filled from authors seen).
CREATE TABLE discord_members (
  guild_id   INTEGER NOT NULL REFERENCES discord_guilds (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES discord_users (id),
  nickname   TEXT,
  joined_at  INTEGER,
  roles      TEXT,                                      -- JSON array of role snowflakes
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;

-- Messages. Content is stored only when the clan opts in; otherwise NULL. relay_rsn is the
-- in-game name of a clan-chat line relayed into Discord by a bot.
CREATE TABLE discord_messages (
  id               INTEGER PRIMARY KEY,                 -- snowflake: time-ordered
  channel_id       INTEGER NOT NULL,                    -- discord_channels.id (no FK: see the header)
  author_id        INTEGER NOT NULL,                    -- discord_users.id
  -- The send time is encoded in the snowflake: derived, never stored twice.
  created_at       INTEGER GENERATED ALWAYS AS ((id >> 22) + 1420070400000) VIRTUAL,
  edited_at        INTEGER,
  type             INTEGER NOT NULL DEFAULT 0,
  reply_to_id      INTEGER,
  in_thread        INTEGER NOT NULL DEFAULT 0,
  is_bot           INTEGER NOT NULL DEFAULT 0,
  is_webhook       INTEGER NOT NULL DEFAULT 0,
  mention_count    INTEGER NOT NULL DEFAULT 0,
  attachment_count INTEGER NOT NULL DEFAULT 0,
  is_question      INTEGER NOT NULL DEFAULT 0,
  relay_rsn        TEXT,
  content          TEXT
);

-- Per-channel harvest checkpoints, written in the same transaction as the messages they cover.
CREATE TABLE discord_checkpoints (
  channel_id     INTEGER PRIMARY KEY,
  newest_id      INTEGER,                               -- high-water mark for incremental runs
  oldest_id      INTEGER,                               -- backfill cursor (paging backwards)
  backfill_done  INTEGER NOT NULL DEFAULT 0,
  backfill_since INTEGER,                               -- the backfill start date, if any
  updated_at     INTEGER NOT NULL
);

-- ---------------------------------------------------------------- identity
CREATE TABLE identity_links (
  discord_user_id INTEGER NOT NULL,                     -- snowflake (the user may not be harvested yet)
  player_id       INTEGER NOT NULL REFERENCES wom_players (id) ON DELETE CASCADE,
  source          TEXT    NOT NULL CHECK (source IN ('manual', 'nickname', 'relay')),
  confirmed       INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (discord_user_id, player_id)
) WITHOUT ROWID;
CREATE INDEX identity_links_player ON identity_links (player_id);
