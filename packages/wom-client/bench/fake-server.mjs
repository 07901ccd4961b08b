// The benchmark's fake Wise Old Man server, in a process of its own so that serving (building
// and serializing 500-row responses) does not compete with the client under test for one event
// loop. Started by harvest.bench.mjs through `fork`; talks over the IPC channel:
//   parent → { options }            child → { url }
//   parent → 'stats'                child → { stats: { requests, rateLimited } }
//   parent → 'close'                child exits
import { createSyntheticClan, startFakeWomServer } from '@clanstats/testkit';

process.once('message', async ({ clan: clanOptions, ...options }) => {
  const server = await startFakeWomServer({ ...options, clan: createSyntheticClan(clanOptions) });
  process.on('message', async (message) => {
    if (message === 'stats') {
      process.send({
        stats: { requests: server.stats.requests, rateLimited: server.stats.rateLimited },
      });
    } else if (message === 'close') {
      await server.close();
      process.disconnect();
    }
  });
  process.send({ url: server.url });
});
