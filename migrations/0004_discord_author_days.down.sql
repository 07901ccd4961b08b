DROP TRIGGER discord_author_days_delete;
DROP TRIGGER discord_author_days_flags;
DROP TABLE discord_author_days;
