-- ClanStats schema v3: what the harvest stage and the clan model add.
--   * wom_window_gains: Wise Old Man's own gains of every member over the report windows (7, 30,
--     90 and 365 days ending at the harvest's as-of time). The clan model uses them when the
--     store has no local snapshot at a window's start (a new install), so the first report shows
--     full figures. Replaced at each harvest: one row per player, window and metric, not a history.
--   * identity_link_blocks: "this Discord user is not that player" (or, with player_id NULL, "never
--     link this user automatically"), set by the clan leader; automatic links never override it.

CREATE TABLE wom_window_gains (
  player_id   INTEGER NOT NULL REFERENCES wom_players (id) ON DELETE CASCADE,
  window_days INTEGER NOT NULL,                       -- 7, 30, 90, 365
  metric_id   INTEGER NOT NULL REFERENCES wom_metrics (id),
  range_start INTEGER NOT NULL,                       -- requested start: range_end - window_days × 24 h
  range_end   INTEGER NOT NULL,                       -- requested end: the harvest's as-of time
  start_at    INTEGER NOT NULL,                       -- the member's first WOM snapshot in the range
  end_at      INTEGER NOT NULL,                       -- the member's last WOM snapshot in the range
  start_value NUMERIC NOT NULL,                       -- -1: unranked at the start, as WOM reports it
  end_value   NUMERIC NOT NULL,
  gained      NUMERIC NOT NULL,                       -- WOM's delta (never negative)
  run_id      INTEGER REFERENCES harvest_runs (id) ON DELETE SET NULL,
  PRIMARY KEY (player_id, window_days, metric_id)
) WITHOUT ROWID;

CREATE TABLE identity_link_blocks (
  id              INTEGER PRIMARY KEY,
  discord_user_id INTEGER NOT NULL,                   -- snowflake
  player_id       INTEGER REFERENCES wom_players (id) ON DELETE CASCADE, -- NULL: any player
  created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX identity_link_blocks_pair
  ON identity_link_blocks (discord_user_id, ifnull(player_id, -1));
