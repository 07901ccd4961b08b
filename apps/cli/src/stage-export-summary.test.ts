/**
 * The weekly summary post of `clanstats export`, end to end: the built CLI against the fake Wise
 * Old Man and the fake Discord server (its Execute Webhook endpoint), on a real database.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ClanDataV1 } from '@clanstats/clan-model';
import { openStore, type SummaryPost } from '@clanstats/store';
import {
  createSyntheticClan,
  createSyntheticDiscord,
  startFakeDiscordServer,
  startFakeWomServer,
  type FakeDiscordServer,
  type FakeWomServer,
  type SyntheticDiscord,
} from '@clanstats/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMarkdown, formatCount, safeName } from './summary-post.js';
import { createTempFolder, runCli, type CliResult, type TempFolder } from './test-harness.js';

const DISCORD_TOKEN = 'Sekrit.summary-post_Token-9a1c';
const clan = createSyntheticClan({ seed: 31, members: 14, formerMembers: 3, days: 45 });
const AS_OF = clan.now;
const DAY = 86_400_000;
const at = (offsetMs: number): string => new Date(Date.parse(AS_OF) + offsetMs).toISOString();

// Untrusted names: every current member gets one that means something in Discord markdown.
const HOSTILE = ['**@everyone**', '[click](http://x)', '`tick`', '||spoil||', '# Head', '<@1>'];
clan.members.forEach((member, index) => {
  (member.player as { displayName: string }).displayName =
    `${HOSTILE[index % HOSTILE.length] ?? ''}${index}`;
});

let wom: FakeWomServer;
let discordServer: FakeDiscordServer;
let discord: SyntheticDiscord;
let folder: TempFolder;
/** Everything every CLI run printed, to look for the token in. */
const printed: string[] = [];

interface PostedEmbed {
  title: string;
  description: string;
  fields: Array<{ name: string; value: string }>;
  footer: { text: string };
}

function webhook(): { id: string; token: string; url: string; channelId: string } {
  const first = discordServer.webhooks[0];
  if (first === undefined) throw new Error('the fake has no webhook');
  return first;
}

function settings(extra: Record<string, string> = {}): Record<string, string> {
  return {
    WOM_BASE_URL: wom.url,
    WOM_GROUP_ID: String(clan.group.id),
    DISCORD_API_URL: discordServer.url,
    DISCORD_TOKEN: DISCORD_TOKEN,
    DISCORD_GUILD_ID: discord.guild.id,
    CLANSTATS_TIMEZONE: 'Europe/Amsterdam',
    CLANSTATS_OUT_DIR: folder.file('out'),
    DISCORD_WEBHOOK_URL: webhook().url,
    ...extra,
  };
}

async function cli(args: string[], env: Record<string, string> = settings()): Promise<CliResult> {
  const result = await runCli(args, { cwd: folder.path, env });
  printed.push(result.stdout, result.stderr);
  return result;
}

function embedOf(index: number): PostedEmbed {
  const post = discordServer.webhookPosts[index];
  const body = post?.body as { embeds?: PostedEmbed[] } | undefined;
  const embed = body?.embeds?.[0];
  if (embed === undefined) throw new Error(`no embed in post ${index}`);
  return embed;
}

function field(embed: PostedEmbed, prefix: string): { name: string; value: string } | undefined {
  return embed.fields.find((candidate) => candidate.name.startsWith(prefix));
}

function clanData(): ClanDataV1 {
  return JSON.parse(readFileSync(folder.file('out/clan_data.json'), 'utf8')) as ClanDataV1;
}

function latestPost(): SummaryPost | undefined {
  const store = openStore(folder.file('clan_data.db'), { readonly: true });
  try {
    return store.summaryPosts.latest('weekly');
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  wom = await startFakeWomServer({ clan, rateLimit: false });
  discord = createSyntheticDiscord(clan);
  discordServer = await startFakeDiscordServer({
    clan,
    discord,
    tokens: [DISCORD_TOKEN],
    rateLimit: false,
  });
  folder = createTempFolder('clanstats-summary-post-');
  expect((await cli(['migrate'])).code).toBe(0);
  const harvest = await cli(['harvest', '--as-of', AS_OF]);
  expect(harvest.code, harvest.output).toBe(0);
});
afterAll(async () => {
  await wom.close();
  await discordServer.close();
  folder.remove();
});

describe('clanstats export: the weekly summary', () => {
  it('posts once, after the outputs, with the real top gainer and the counts of clan_data.json', async () => {
    const exported = await cli(['export', '--as-of', AS_OF]);
    expect(exported.code, exported.output).toBe(0);
    expect(discordServer.webhookPosts).toHaveLength(1);
    const post = discordServer.webhookPosts[0];
    expect(exported.output).toContain(
      `Posted the weekly summary to Discord (message ${post?.messageId ?? '?'})`,
    );
    expect(exported.output.indexOf('clan_dashboard.html')).toBeLessThan(
      exported.output.indexOf('Posted the weekly summary'),
    );
    expect(post?.channelId).toBe(webhook().channelId);
    // Mentions are suppressed whatever the names say.
    expect((post?.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });

    const data = clanData();
    const embed = embedOf(0);
    expect(embed.title).toBe(`Weekly summary: ${escapeMarkdown(data.group.name)}`);
    expect(embed.footer.text).toMatch(/^ClanStats · as of 1 Nov 2026, 01:00 Europe\/Amsterdam$/);
    const gainers = data.members
      .filter((member) => (member.windows['7d'].xp ?? 0) > 0)
      .sort((left, right) => (right.windows['7d'].xp ?? 0) - (left.windows['7d'].xp ?? 0));
    const top = gainers[0];
    expect(top).toBeDefined();
    expect(field(embed, 'Top gainers')?.value.split('\n')[0]).toBe(
      `1. ${safeName(top?.displayName ?? '')} — ${formatCount(top?.windows['7d'].xp ?? 0)} XP`,
    );
    expect(field(embed, 'Top gainers')?.value.split('\n')).toHaveLength(
      Math.min(5, gainers.length),
    );
    const count = (status: string): number =>
      data.members.filter((member) => member.status === status).length;
    expect(field(embed, 'Inactivity')?.value).toBe(
      `${count('inactive')} inactive, ${count('potentially_inactive')} potentially inactive (of ${data.members.length} members)`,
    );
    const since = Date.parse(AS_OF) - 7 * DAY;
    const inWeek = (type: string): number =>
      new Set(
        data.events
          .filter(
            (event) =>
              event.type === type &&
              Date.parse(event.at) >= since &&
              Date.parse(event.at) <= Date.parse(AS_OF),
          )
          .map((event) => event.playerId),
      ).size;
    expect(field(embed, 'Joined')?.name).toBe(`Joined (${inWeek('joined')})`);
    expect(field(embed, 'Left')?.name).toBe(`Left (${inWeek('left')})`);

    expect(latestPost()).toMatchObject({
      kind: 'weekly',
      asOf: Date.parse(AS_OF),
      messageId: post?.messageId,
      channelId: post?.channelId,
    });
  });

  it('escapes the hostile member names: they show as typed and ping nobody', () => {
    const text = JSON.stringify(discordServer.webhookPosts[0]?.body);
    for (const hostile of ['**@everyone**', '[click](http://x)', '`tick`', '||spoil||', '<@1>']) {
      expect(text).not.toContain(JSON.stringify(hostile).slice(1, -1));
    }
    expect(field(embedOf(0), 'Top gainers')?.value).toMatch(/\\/);
  });

  it('does not post again for the same as-of time, nor 6 days 22 hours later', async () => {
    const again = await cli(['export', '--as-of', AS_OF]);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('The weekly summary is not due');
    const sixDays = await cli(['export', '--as-of', at(6 * DAY + 22 * 3_600_000)]);
    expect(sixDays.code, sixDays.output).toBe(0);
    expect(discordServer.webhookPosts).toHaveLength(1);
  });

  it('--post-summary posts now, and so does an export 7 days later', async () => {
    const forced = await cli(['export', '--as-of', AS_OF, '--post-summary']);
    expect(forced.code, forced.output).toBe(0);
    expect(discordServer.webhookPosts).toHaveLength(2);
    const week = await cli(['export', '--as-of', at(7 * DAY)]);
    expect(week.code, week.output).toBe(0);
    expect(discordServer.webhookPosts).toHaveLength(3);
    expect(latestPost()?.asOf).toBe(Date.parse(AS_OF) + 7 * DAY);
    expect(embedOf(2).footer.text).toContain('8 Nov 2026');
  });

  it('--public does not change the post', async () => {
    const exported = await cli(['export', '--as-of', at(14 * DAY), '--public']);
    expect(exported.code, exported.output).toBe(0);
    expect(discordServer.webhookPosts).toHaveLength(4);
    expect(field(embedOf(3), 'Inactivity')?.value).toMatch(/^\d+ inactive, \d+ potentially/);
  });
});

describe('clanstats export: a failed post never loses the outputs', () => {
  const failures: Array<{
    name: string;
    env: () => Record<string, string>;
    setup?: () => void;
    code: string;
    status?: number;
  }> = [
    {
      name: 'a wrong token (401)',
      env: () => {
        const { token, url } = webhook();
        const wrong = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
        return settings({ DISCORD_WEBHOOK_URL: url.replace(token, wrong) });
      },
      code: 'WEBHOOK_UNAUTHORIZED',
      status: 401,
    },
    {
      name: 'an unknown webhook (404)',
      env: () => {
        const { id, url } = webhook();
        return settings({ DISCORD_WEBHOOK_URL: url.replace(id, '1234567890123456789') });
      },
      code: 'WEBHOOK_NOT_FOUND',
      status: 404,
    },
    {
      name: 'a storm of 429s',
      env: () => settings(),
      setup: () => {
        discordServer.injectFault({
          kind: 'rate-limit-storm',
          times: 20,
          retryAfterSeconds: 0.05,
          path: /\/webhooks\//,
        });
      },
      code: 'RATE_LIMITED',
      status: 429,
    },
    {
      name: 'a server error on every attempt (500)',
      env: () => settings(),
      setup: () => {
        discordServer.injectFault({ kind: 'status', status: 500, times: 20, path: /\/webhooks\// });
      },
      code: 'SERVER_ERROR',
      status: 500,
    },
  ];

  // Every failure is for the same as-of time, a week after the last post: each leaves it due.
  const asOf = at(21 * DAY);
  for (const failure of failures) {
    it(`${failure.name}: exit 0, the outputs written, a warning naming DISCORD_WEBHOOK_URL, and the post still due`, async () => {
      const posts = discordServer.webhookPosts.length;
      failure.setup?.();
      let exported: CliResult;
      try {
        exported = await cli(['export', '--as-of', asOf], failure.env());
      } finally {
        discordServer.clearFaults();
      }
      expect(exported.code, exported.output).toBe(0);
      expect(discordServer.webhookPosts).toHaveLength(posts);
      expect(clanData().asOf).toBe(asOf);
      expect(existsSync(folder.file('out/clan_dashboard.html'))).toBe(true);
      expect(exported.output).toContain(
        `Could not post the weekly summary to DISCORD_WEBHOOK_URL: ${failure.code} (HTTP ${failure.status ?? '?'})`,
      );
      expect(exported.output).toContain('the next export tries again');
      expect(exported.output).not.toContain('/webhooks/');
      expect(latestPost()?.asOf).toBeLessThan(Date.parse(asOf));
    });
  }

  it('after the failures, the next export posts the summary that was due', async () => {
    const posts = discordServer.webhookPosts.length;
    const retried = await cli(['export', '--as-of', asOf]);
    expect(retried.code, retried.output).toBe(0);
    expect(discordServer.webhookPosts).toHaveLength(posts + 1);
    expect(latestPost()?.asOf).toBe(Date.parse(asOf));
  });

  it('an invalid DISCORD_WEBHOOK_URL is CONFIG_INVALID before any request, without showing it', async () => {
    const requests = discordServer.requests.length;
    const secretish =
      'https://example.com/api/webhooks/123456789012345678/not-a-discord-host-token';
    const invalid = await cli(
      ['export', '--as-of', AS_OF],
      settings({ DISCORD_WEBHOOK_URL: secretish }),
    );
    expect(invalid.code).toBe(2);
    expect(invalid.output).toContain('CONFIG_INVALID');
    expect(invalid.output).toContain('DISCORD_WEBHOOK_URL is not a Discord webhook URL');
    expect(invalid.output).toContain('Edit Channel → Integrations → Webhooks → New Webhook');
    expect(invalid.output).not.toContain('not-a-discord-host-token');
    const plainHttp = await cli(
      ['run', '--skip-discord'],
      settings({
        DISCORD_WEBHOOK_URL: 'http://discord.com/api/webhooks/123456789012345678/plain-http-token',
      }),
    );
    expect(plainHttp.code).toBe(2);
    expect(plainHttp.output).toContain('only https is allowed');
    expect(plainHttp.output).not.toContain('plain-http-token');
    expect(plainHttp.output).not.toContain('Stage 1/');
    expect(discordServer.requests.length).toBe(requests);
  });

  it('doctor shows whether DISCORD_WEBHOOK_URL is set and valid, never its value', async () => {
    const valid = await cli(['doctor']);
    expect(valid.output).toContain('✔ DISCORD_WEBHOOK_URL is set: a Discord webhook URL');
    const invalid = await cli(
      ['doctor'],
      settings({ DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/12/short-token-value' }),
    );
    expect(invalid.code).toBe(7);
    expect(invalid.output).toContain('✖ DISCORD_WEBHOOK_URL is not a Discord webhook URL');
    expect(invalid.output).not.toContain('short-token-value');
    const unset = await cli(['doctor'], settings({ DISCORD_WEBHOOK_URL: '' }));
    expect(unset.output).toContain('DISCORD_WEBHOOK_URL is not set (optional)');
  });
});

describe('the webhook token', () => {
  it('appears in no artefact: app.log, stdout, stderr, clan_data.json, the dashboard, the database', () => {
    const { token, url } = webhook();
    expect(printed.length).toBeGreaterThan(10);
    const artefacts: Array<[string, string]> = printed.map((text, index) => [
      `output ${index}`,
      text,
    ]);
    for (const name of readdirSync(folder.path)) {
      if (name.startsWith('app.log') || name.startsWith('clan_data.db')) {
        artefacts.push([name, readFileSync(folder.file(name), 'latin1')]);
      }
    }
    for (const name of readdirSync(folder.file('out'))) {
      artefacts.push([`out/${name}`, readFileSync(folder.file(`out/${name}`), 'latin1')]);
    }
    expect(artefacts.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'app.log',
        'clan_data.db',
        'out/clan_data.json',
        'out/clan_dashboard.html',
      ]),
    );
    for (const [name, text] of artefacts) {
      expect(text.includes(token), name).toBe(false);
      expect(text.includes(url), name).toBe(false);
    }
  });
});
