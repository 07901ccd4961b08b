-- ClanStats schema v5: a per-channel, per-UTC-day rollup of human chat messages for the clan model.
--   * discord_channel_days: for each channel (or thread) and UTC day (send time in epoch ms
--     / 86,400,000, floored), how many human messages it holds (types 0 and 19, not bots or
--     webhooks), and how many were questions and answers. The clan model's per-channel window
--     counts add whole days from here and read only the partial days at a window's edges from
--     discord_messages by id range, so they stay exact without sorting a year of messages.
--   * Maintained like discord_author_days (migration 0004) by DiscordWriter.insertMessages, in the
--     same transaction: one upsert per channel and day per call (a page of one channel usually
--     spans one or two days). The triggers follow edits of the question/answer flags and deletes.
--   * Backfilled below from the messages already stored.

CREATE TABLE discord_channel_days (
  channel_id INTEGER NOT NULL,                       -- discord_channels.id
  day        INTEGER NOT NULL,                       -- UTC day number: created_at / 86,400,000
  messages   INTEGER NOT NULL,
  questions  INTEGER NOT NULL,                       -- is_question = 1
  answers    INTEGER NOT NULL,                       -- answer_to_id IS NOT NULL
  PRIMARY KEY (channel_id, day)
) WITHOUT ROWID;

INSERT INTO discord_channel_days (channel_id, day, messages, questions, answers)
SELECT channel_id, created_at / 86400000, count(*), sum(is_question = 1), sum(answer_to_id IS NOT NULL)
FROM discord_messages
WHERE is_bot = 0 AND is_webhook = 0 AND type IN (0, 19)
GROUP BY channel_id, created_at / 86400000;

CREATE TRIGGER discord_channel_days_flags
AFTER UPDATE OF is_question, answer_to_id ON discord_messages
WHEN new.is_bot = 0 AND new.is_webhook = 0 AND new.type IN (0, 19)
  AND (old.is_question IS NOT new.is_question OR old.answer_to_id IS NOT new.answer_to_id)
BEGIN
  UPDATE discord_channel_days
  SET questions = questions + (new.is_question = 1) - (old.is_question = 1),
    answers = answers + (new.answer_to_id IS NOT NULL) - (old.answer_to_id IS NOT NULL)
  WHERE channel_id = new.channel_id AND day = new.created_at / 86400000;
END;

CREATE TRIGGER discord_channel_days_delete
AFTER DELETE ON discord_messages
WHEN old.is_bot = 0 AND old.is_webhook = 0 AND old.type IN (0, 19)
BEGIN
  UPDATE discord_channel_days
  SET messages = messages - 1,
    questions = questions - (old.is_question = 1),
    answers = answers - (old.answer_to_id IS NOT NULL)
  WHERE channel_id = old.channel_id AND day = old.created_at / 86400000;
  DELETE FROM discord_channel_days
  WHERE channel_id = old.channel_id AND day = old.created_at / 86400000 AND messages <= 0;
END;
