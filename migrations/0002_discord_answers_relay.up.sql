-- ClanStats schema v2: what the Discord harvester adds.
--   * discord_messages.answer_to_id: the question a message answers (a reply to someone else's
--     question, or a message by someone else in a thread or forum post opened by a question).
--   * discord_channels.owner_id: who opened a thread or forum post.
--   * discord_relay_lines: in-game clan chat relayed into Discord by a bot. One row per chat line,
--     attributed to the RuneScape name (RSN) in the line, not to the bot that posted it.

ALTER TABLE discord_messages ADD COLUMN answer_to_id INTEGER;   -- discord_messages.id (no FK)

ALTER TABLE discord_channels ADD COLUMN owner_id INTEGER;      -- discord_users.id (threads only)

CREATE TABLE discord_relay_lines (
  message_id     INTEGER NOT NULL,                    -- discord_messages.id of the bot's message
  line           INTEGER NOT NULL,                    -- 0-based line of that message
  rsn            TEXT    NOT NULL,                    -- the name as written in the line
  normalized_rsn TEXT    NOT NULL,                    -- WOM's standardized form: lowercase, '-', '_' as spaces
  -- The send time is the message's: derived from its snowflake, never stored twice.
  created_at     INTEGER GENERATED ALWAYS AS ((message_id >> 22) + 1420070400000) VIRTUAL,
  is_question    INTEGER NOT NULL DEFAULT 0,
  content        TEXT,                                -- only when the clan opted in to storing text
  PRIMARY KEY (message_id, line)
) WITHOUT ROWID;
CREATE INDEX discord_relay_lines_rsn ON discord_relay_lines (normalized_rsn, message_id);
