-- ClanStats schema v4: an index the clan model needs (measured; see packages/clan-model/bench).
--   * discord_messages_human_author: human chat messages (types 0 and 19, not bots or webhooks) by
--     author, in id (time) order, covering the question and answer flags. The clan model's per-author
--     counts read it in order instead of sorting every message of the year (1,000,000 messages:
--     1.0 s with a sort, 0.4 s with the index), and counts one member's messages since they joined
--     with a range read. Partial, so relay-bot and webhook traffic costs nothing.
--   * Cost: message ingest drops from ~330,000 to ~100,000 rows/s (every human message also goes
--     into this index); still far above what Discord's API delivers (~5,000 messages/s).

CREATE INDEX discord_messages_human_author
  ON discord_messages (author_id, id, is_question, answer_to_id)
  WHERE is_bot = 0 AND is_webhook = 0 AND type IN (0, 19);
