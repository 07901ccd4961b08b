// One side of the Discord harvest benchmark, in a process of its own so that its memory is
// measured alone. Forked by harvest.bench.mjs; receives { mode, url, guildId, token, ... } and
// answers with one result object:
//   mode 'naive'        the obvious discord.js loop: list the channels and active threads, then
//                       page each one back with `before`, one channel after another.
//   mode 'harvester'    DiscordHarvester.harvest() from nothing (a full backfill), then the same
//                       harvester again from the checkpoints it produced (nothing new).
import { REST, Routes } from 'discord.js';
import { DiscordHarvester } from '../dist/index.js';

const MB = 1024 * 1024;
const rss = () => process.memoryUsage().rss / MB;

/** Samples RSS when the message count crosses each tenth of the expected total. */
function memoryProbe(expected) {
  const samples = [];
  let next = 1;
  return {
    samples,
    observe(count) {
      while (next <= 10 && count >= (expected * next) / 10) {
        samples.push({ fraction: next / 10, rssMb: rss() });
        next += 1;
      }
    },
  };
}

async function naive({ url, guildId, token, deadlineMs, expected }) {
  const rest = new REST({ api: url, version: '10' }).setToken(token);
  const started = performance.now();
  const deadline = started + deadlineMs;
  const probe = memoryProbe(expected);
  let messages = 0;
  let channelsDone = 0;
  let timedOut = false;
  const channels = await rest.get(Routes.guildChannels(guildId));
  const { threads } = await rest.get(Routes.guildActiveThreads(guildId));
  const readable = [...channels, ...threads].filter((channel) =>
    [0, 2, 5, 10, 11, 12, 13].includes(channel.type),
  );
  outer: for (const channel of readable) {
    let before;
    for (;;) {
      if (performance.now() > deadline) {
        timedOut = true;
        break outer;
      }
      const query = new URLSearchParams({ limit: '100' });
      if (before !== undefined) query.set('before', before);
      let page;
      try {
        page = await rest.get(Routes.channelMessages(channel.id), { query });
      } catch {
        break; // no access: next channel
      }
      messages += page.length;
      probe.observe(messages);
      if (page.length < 100) break;
      before = page.at(-1).id;
    }
    if (!timedOut) channelsDone += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    messages,
    seconds,
    timedOut,
    channelsDone,
    channelsFound: readable.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    samples: probe.samples,
  };
}

async function harvester({ url, guildId, token, expected, concurrency }) {
  const checkpoints = new Map();
  const probe = memoryProbe(expected);
  const options = { token, guildId, api: url };
  if (concurrency !== undefined) options.concurrency = concurrency;
  const started = performance.now();
  let messages = 0;
  let pages = 0;
  let channels = 0;
  let skipped = 0;
  const full = new DiscordHarvester(options).harvest();
  for await (const item of full) {
    if (item.type === 'messages') {
      messages += item.messages.length;
      pages += 1;
      checkpoints.set(item.checkpoint.channelId, item.checkpoint);
      probe.observe(messages);
    } else if (item.type === 'channel-done') {
      channels += 1;
    } else if (item.type === 'channel-skipped') {
      skipped += 1;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.send({ phase: 'full-done' });
  await new Promise((resolve) => process.once('message', resolve)); // the parent read the counters

  // Again, from the checkpoints, with nothing new on the server.
  const againStarted = performance.now();
  let againMessages = 0;
  let upToDate = 0;
  const again = new DiscordHarvester(options).harvest({
    checkpoints: { getCheckpoint: (channelId) => checkpoints.get(channelId) },
  });
  for await (const item of again) {
    if (item.type === 'messages') againMessages += item.messages.length;
    else if (item.type === 'channel-done' && item.upToDate) upToDate += 1;
  }
  return {
    messages,
    pages,
    channels,
    skipped,
    seconds,
    peakRssMb,
    samples: probe.samples,
    stats: full.stats,
    again: {
      messages: againMessages,
      upToDate,
      seconds: (performance.now() - againStarted) / 1000,
    },
  };
}

process.once('message', async (task) => {
  const result = task.mode === 'naive' ? await naive(task) : await harvester(task);
  process.send({ result });
  process.disconnect();
});
