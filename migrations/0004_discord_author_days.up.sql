-- ClanStats schema v4: a per-author, per-UTC-day rollup of human chat messages for the clan model.
--   * discord_author_days: for each author and UTC day (day number = send time in epoch ms
--     / 86,400,000, floored), how many human messages they sent (types 0 and 19, not bots or
--     webhooks), how many were questions (is_question = 1) and answers (answer_to_id set), and the
--     first and last message id of that day. The clan model adds whole days from here and counts
--     only the partial days at a window's edges from discord_messages, by id range, so its
--     per-author window counts stay exact (1,000,000 messages: see packages/clan-model/bench).
--   * Maintained by the store's message writer (DiscordWriter.insertMessages): it sums the rows it
--     actually inserted per (author, day) and upserts each pair once per call, in the same
--     transaction. Re-harvested messages are not counted twice. The two triggers keep the rollup
--     right when an edit changes is_question or answer_to_id, or a message is deleted (no code path
--     deletes messages today). The writer never changes a message's author, type or bot/webhook
--     flags.
--   * Replaces a partial covering index of human messages by author (never released) that cut
--     message ingest from ~330,000 to ~100,000 rows/s; the rollup costs one upsert per author and
--     day per write call instead of one index entry per message.
--   * Backfilled below from the messages already stored.

CREATE TABLE discord_author_days (
  author_id INTEGER NOT NULL,                        -- discord_users.id
  day       INTEGER NOT NULL,                        -- UTC day number: created_at / 86,400,000
  messages  INTEGER NOT NULL,
  questions INTEGER NOT NULL,                        -- is_question = 1
  answers   INTEGER NOT NULL,                        -- answer_to_id IS NOT NULL
  first_id  INTEGER NOT NULL,                        -- discord_messages.id, first of the day
  last_id   INTEGER NOT NULL,                        -- discord_messages.id, last of the day
  PRIMARY KEY (author_id, day)
) WITHOUT ROWID;

INSERT INTO discord_author_days (author_id, day, messages, questions, answers, first_id, last_id)
SELECT author_id, created_at / 86400000, count(*), sum(is_question = 1), sum(answer_to_id IS NOT NULL),
  min(id), max(id)
FROM discord_messages
WHERE is_bot = 0 AND is_webhook = 0 AND type IN (0, 19)
GROUP BY author_id, created_at / 86400000;

-- An edit that turns a human message into a question or an answer, or back.
CREATE TRIGGER discord_author_days_flags
AFTER UPDATE OF is_question, answer_to_id ON discord_messages
WHEN new.is_bot = 0 AND new.is_webhook = 0 AND new.type IN (0, 19)
  AND (old.is_question IS NOT new.is_question OR old.answer_to_id IS NOT new.answer_to_id)
BEGIN
  UPDATE discord_author_days
  SET questions = questions + (new.is_question = 1) - (old.is_question = 1),
    answers = answers + (new.answer_to_id IS NOT NULL) - (old.answer_to_id IS NOT NULL)
  WHERE author_id = new.author_id AND day = new.created_at / 86400000;
END;

-- A deleted human message: take it out of its day, and drop the day when it was the last one.
CREATE TRIGGER discord_author_days_delete
AFTER DELETE ON discord_messages
WHEN old.is_bot = 0 AND old.is_webhook = 0 AND old.type IN (0, 19)
BEGIN
  UPDATE discord_author_days
  SET messages = messages - 1,
    questions = questions - (old.is_question = 1),
    answers = answers - (old.answer_to_id IS NOT NULL),
    first_id = CASE WHEN first_id = old.id THEN coalesce((SELECT min(id) FROM discord_messages
      WHERE id > old.id AND id <= last_id AND author_id = old.author_id
        AND is_bot = 0 AND is_webhook = 0 AND type IN (0, 19)), first_id) ELSE first_id END,
    last_id = CASE WHEN last_id = old.id THEN coalesce((SELECT max(id) FROM discord_messages
      WHERE id < old.id AND id >= first_id AND author_id = old.author_id
        AND is_bot = 0 AND is_webhook = 0 AND type IN (0, 19)), last_id) ELSE last_id END
  WHERE author_id = old.author_id AND day = old.created_at / 86400000;
  DELETE FROM discord_author_days
  WHERE author_id = old.author_id AND day = old.created_at / 86400000 AND messages <= 0;
END;
