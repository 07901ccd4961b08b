// The benchmark's fake Discord server, in a process of its own so that generating and serving
// history does not compete with the client under test for one event loop (and so that the client's
// memory is measured alone). Started by harvest.bench.mjs through `fork`; talks over IPC:
//   parent → { clan, scale, rateLimit }   child → { url, channels, totalMessages }
//   parent → 'stats'                      child → { stats: { requests, rateLimited } }
//   parent → 'reset'                      child → { reset: true }  (zeroes the counters)
//   parent → 'close'                      child exits
import {
  createSyntheticClan,
  createSyntheticDiscord,
  startFakeDiscordServer,
} from '@clanstats/testkit';

process.once('message', async ({ clan: clanOptions, scale, rateLimit }) => {
  const clan = createSyntheticClan(clanOptions);
  const discord = createSyntheticDiscord(clan, { scale });
  const server = await startFakeDiscordServer({ clan, discord, rateLimit });
  process.on('message', async (message) => {
    if (message === 'stats') {
      process.send({
        stats: { requests: server.stats.requests, rateLimited: server.stats.rateLimited },
      });
    } else if (message === 'reset') {
      server.stats.reset();
      process.send({ reset: true });
    } else if (message === 'close') {
      await server.close();
      process.disconnect();
    }
  });
  process.send({
    url: server.url,
    guildId: discord.guild.id,
    totalMessages: discord.totalMessages,
    // Messages per readable channel and thread: the floor depends on the largest one.
    counts: discord.channels
      .filter((channel) => channel.access === 'ok' && channel.messageCount > 0)
      .map((channel) => channel.messageCount),
  });
});
