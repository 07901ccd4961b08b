DROP TABLE discord_relay_lines;
ALTER TABLE discord_channels DROP COLUMN owner_id;
ALTER TABLE discord_messages DROP COLUMN answer_to_id;
