-- ClanStats schema v7: summaries posted to Discord.
--   * summary_posts: one row per summary Discord accepted (a webhook post answered with the created
--     message). The export stage posts the weekly summary when the latest 'weekly' row's as_of is
--     at least 7 days (less 1 hour) before the run's as-of time, so a schedule of several exports a
--     day posts once a week, and an export run again for the same as-of time does not post twice.
--     A post that fails is not recorded: the next export tries again.
--   * The webhook URL (it holds the webhook's token) is never stored; only what Discord returned.

CREATE TABLE summary_posts (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL,                        -- 'weekly'
  as_of      INTEGER NOT NULL,                        -- the as-of time the summary describes
  posted_at  INTEGER NOT NULL,                        -- when Discord accepted the post
  message_id INTEGER NOT NULL,                        -- snowflake of the created message
  channel_id INTEGER NOT NULL                         -- snowflake of its channel (or thread)
);
CREATE INDEX summary_posts_kind_as_of ON summary_posts (kind, as_of);
