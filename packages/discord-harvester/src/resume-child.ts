// A harvest in a process of its own, writing pages and checkpoints to a real SQLite store, for
// resume.test.ts (which bundles it with esbuild, runs it, and kills it with SIGKILL mid-run).
// Reads its settings from RESUME_CHILD_CONFIG; prints one line per page written.
import { openStore } from '@clanstats/store';
import { DiscordHarvester } from './harvester.js';

interface ChildConfig {
  api: string;
  token: string;
  guildId: string;
  db: string;
}

const config = JSON.parse(process.env.RESUME_CHILD_CONFIG ?? '{}') as ChildConfig;
const store = openStore(config.db);
await store.migrations.up();
const harvester = new DiscordHarvester({
  token: config.token,
  guildId: config.guildId,
  api: config.api,
  concurrency: 4,
});
for await (const item of harvester.harvest({ checkpoints: store.discord })) {
  if (item.type === 'guild') store.discord.upsertGuild(item.guild);
  else if (item.type === 'channels') store.discord.upsertChannels(item.channels);
  else if (item.type === 'messages') {
    store.discord.writePage(item);
    process.stdout.write(`page ${item.messages.length}\n`);
  }
}
store.close();
process.stdout.write('done\n');
