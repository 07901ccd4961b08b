DROP TRIGGER discord_channel_days_delete;
DROP TRIGGER discord_channel_days_flags;
DROP TABLE discord_channel_days;
