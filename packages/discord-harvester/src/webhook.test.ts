// Webhook posts over real HTTP against the fake Discord server's Execute Webhook: every outcome,
// and the token in no error, field or cause.
import { inspect } from 'node:util';
import type { FakeDiscordServer, FakeDiscordWebhook } from '@clanstats/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DiscordHarvesterError,
  checkWebhookMessage,
  isDiscordHarvesterError,
  parseWebhookUrl,
  postWebhookMessage,
  type DiscordHarvesterErrorCode,
  type WebhookMessage,
} from './index.js';
import { collect, harvesterFor, startServer } from './test-helpers.js';

let server: FakeDiscordServer;
let hook: FakeDiscordWebhook;
/** Every error seen, to grep for the token at the end. */
const errors: unknown[] = [];

beforeAll(async () => {
  server = await startServer();
  const first = server.webhooks[0];
  if (first === undefined) throw new Error('no webhook');
  hook = first;
});
afterEach(() => {
  server.clearFaults();
  server.setIntents({ messageContent: true });
});
afterAll(async () => {
  await server.close();
});

/** Everything an error carries (message, stack, fields) down its cause chain. */
function dump(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    parts.push(JSON.stringify(current, Object.getOwnPropertyNames(current)));
    parts.push(inspect(current, { depth: 6, showHidden: true }));
    if (isDiscordHarvesterError(current)) parts.push(JSON.stringify(current.toJSON()));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

async function failure(promise: Promise<unknown>): Promise<DiscordHarvesterError> {
  try {
    await promise;
  } catch (error) {
    errors.push(error);
    if (!(error instanceof DiscordHarvesterError)) throw error;
    return error;
  }
  throw new Error('expected a failure');
}

function thrown(action: () => unknown): DiscordHarvesterError {
  try {
    action();
  } catch (error) {
    errors.push(error);
    if (!(error instanceof DiscordHarvesterError)) throw error;
    return error;
  }
  throw new Error('expected a failure');
}

describe('postWebhookMessage', () => {
  it('posts, resolves to the message id, and the post is in the channel as a webhook message', async () => {
    const before = server.webhookPosts.length;
    const posted = await postWebhookMessage(hook.url, {
      content: 'Weekly summary: 3 new 99s',
      embeds: [
        {
          title: 'Week 44',
          description: 'Top gainer: Iron Fally',
          color: 0x3498db,
          timestamp: '2026-11-01T00:00:00Z',
          fields: [{ name: 'XP', value: '12.3M', inline: true }],
          footer: { text: 'ClanStats' },
        },
      ],
    });
    expect(posted.channelId).toBe(hook.channelId);
    expect(posted.id).toMatch(/^\d{17,20}$/);
    const record = server.webhookPosts[before];
    expect(record?.messageId).toBe(posted.id);
    expect(record?.query.get('wait')).toBe('true');
    expect(record?.body).toEqual({
      content: 'Weekly summary: 3 new 99s',
      embeds: [
        {
          title: 'Week 44',
          description: 'Top gainer: Iron Fally',
          color: 0x3498db,
          timestamp: '2026-11-01T00:00:00.000Z',
          fields: [{ name: 'XP', value: '12.3M', inline: true }],
          footer: { text: 'ClanStats' },
        },
      ],
      allowed_mentions: { parse: [] },
    });
    const request = server.requests.at(-1);
    expect(request?.headers['user-agent']).toMatch(/@clanstats\/discord-harvester\//);
    expect(request?.authorized).toBe(false);

    const { harvester } = harvesterFor(server);
    const run = await collect(harvester.harvest({ channelIds: [hook.channelId] }));
    const messages = run.pages.flatMap((page) => page.messages);
    expect(messages.find((message) => message.id === posted.id)).toMatchObject({
      authorId: hook.id,
      isWebhook: true,
      isBot: true,
      mentionCount: 0,
    });
  });

  it('suppresses mentions by default: a player named @everyone pings nobody', async () => {
    const member = server.discord.users.find((user) => !user.bot && user.leftAt === null);
    const content = `Top gainer: @everyone <@${member?.id ?? ''}>`;
    const quiet = await postWebhookMessage(hook.url, { content });
    const loud = await postWebhookMessage(hook.url, { content, suppressMentions: false });
    expect(server.webhookPosts.at(-1)?.body).not.toHaveProperty('allowed_mentions');
    const response = await fetch(`${server.url}/v10/channels/${hook.channelId}/messages?limit=2`, {
      headers: { Authorization: 'Bot MTEzNTc5.SECRET-clanstats-test-token.x9Yq' },
    });
    const [newest, older] = (await response.json()) as Array<{
      id: string;
      mention_everyone: boolean;
      mentions: unknown[];
    }>;
    expect(older).toMatchObject({ id: quiet.id, mention_everyone: false, mentions: [] });
    expect(newest).toMatchObject({ id: loud.id, mention_everyone: true });
    expect(newest?.mentions).toHaveLength(1);
  });

  it('sends the username and avatar overrides and a User-Agent suffix', async () => {
    await postWebhookMessage(
      hook.url,
      { content: 'x', username: 'Clan Summary', avatarUrl: 'https://example.com/a.png' },
      { userAgentSuffix: 'clanstats-cli/1.0.0' },
    );
    expect(server.webhookPosts.at(-1)?.body).toMatchObject({
      username: 'Clan Summary',
      avatar_url: 'https://example.com/a.png',
    });
    expect(server.requests.at(-1)?.headers['user-agent']).toMatch(/ clanstats-cli\/1\.0\.0$/);
  });

  it('maps an unknown webhook to WEBHOOK_NOT_FOUND and a wrong token to WEBHOOK_UNAUTHORIZED', async () => {
    const missing = await failure(
      postWebhookMessage(`${server.url}/webhooks/123456789012345678/${hook.token}`, {
        content: 'x',
      }),
    );
    expect(missing).toMatchObject({
      code: 'WEBHOOK_NOT_FOUND',
      status: 404,
      discordCode: 10015,
      url: `${server.url}/webhooks/123456789012345678/***`,
      route: 'POST /webhooks/:id/:token',
    });
    const wrong = await failure(
      postWebhookMessage(`${server.url}/webhooks/${hook.id}/Wrong-Token_123`, { content: 'x' }),
    );
    expect(wrong).toMatchObject({ code: 'WEBHOOK_UNAUTHORIZED', status: 401, discordCode: 50027 });
    expect(dump(wrong)).not.toContain('Wrong-Token_123');
  });

  it('maps Discord 400s to INVALID_REQUEST with the field paths', async () => {
    // Past the local check (it does not know this rule), Discord answers 50035.
    const invalid = await failure(
      postWebhookMessage(hook.url, {
        content: 'x',
        embeds: [{ title: 'x', timestamp: 'not a date' }],
      }).catch((error: unknown) => {
        throw error;
      }),
    );
    // The local check catches the timestamp first.
    expect(invalid).toMatchObject({ code: 'INVALID_REQUEST', field: 'embeds[0].timestamp' });
    expect(invalid.status).toBeUndefined();

    server.injectFault({
      kind: 'status',
      status: 400,
      path: /\/webhooks\//,
      body: JSON.stringify({
        message: 'Invalid Form Body',
        code: 50035,
        errors: {
          embeds: { 0: { title: { _errors: [{ code: 'X', message: 'Bad.' }] } } },
          avatar_url: { _errors: [{ code: 'Y', message: 'Bad URL.' }] },
        },
      }),
    });
    const refused = await failure(postWebhookMessage(hook.url, { content: 'x' }));
    expect(refused).toMatchObject({
      code: 'INVALID_REQUEST',
      status: 400,
      discordCode: 50035,
      field: 'embeds[0].title, avatarUrl',
    });
    expect(refused.message).toContain('Invalid Form Body');

    server.injectFault({
      kind: 'status',
      status: 400,
      path: /\/webhooks\//,
      body: JSON.stringify({ message: 'Cannot send an empty message', code: 50006 }),
    });
    expect(await failure(postWebhookMessage(hook.url, { content: 'x' }))).toMatchObject({
      code: 'INVALID_REQUEST',
      discordCode: 50006,
      field: 'content',
    });
  });

  it('checks the message locally before any request', async () => {
    const before = server.stats.requests;
    const cases: Array<[WebhookMessage, string]> = [
      [{}, 'content'],
      [{ content: '', embeds: [] }, 'content'],
      [{ content: 'x'.repeat(2001) }, 'content'],
      [{ content: 'x', username: 'y'.repeat(81) }, 'username'],
      [{ content: 'x', username: 'Discord bot' }, 'username'],
      [{ embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, 'embeds'],
      [{ embeds: [{ title: 't'.repeat(257) }] }, 'embeds[0].title'],
      [{ embeds: [{ description: 'd'.repeat(4097) }] }, 'embeds[0].description'],
      [
        { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] },
        'embeds[0].fields',
      ],
      [{ embeds: [{ fields: [{ name: '', value: 'v' }] }] }, 'embeds[0].fields[0].name'],
      [
        { embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] },
        'embeds[0].fields[0].value',
      ],
      [{ embeds: [{ footer: { text: 'f'.repeat(2049) } }] }, 'embeds[0].footer.text'],
      [{ embeds: [{ color: 0x1000000 }] }, 'embeds[0].color'],
      [{ embeds: [{ title: 'x', url: 'ftp://x' }] }, 'embeds[0].url'],
      [{ embeds: [0, 1].map(() => ({ description: 'd'.repeat(3001) })) }, 'embeds'],
      [{ content: 'x', avatarUrl: 'nope' }, 'avatarUrl'],
    ];
    for (const [message, field] of cases) {
      expect(
        thrown(() => {
          checkWebhookMessage(message);
        }),
      ).toMatchObject({
        code: 'INVALID_REQUEST',
        field,
      });
      expect(await failure(postWebhookMessage(hook.url, message))).toMatchObject({
        code: 'INVALID_REQUEST',
        field,
      });
    }
    // Several problems: every field named.
    const many = thrown(() => {
      checkWebhookMessage({ content: 'x'.repeat(2001), embeds: [{ title: 't'.repeat(300) }] });
    });
    expect(many.field).toBe('content, embeds[0].title');
    expect(many.message).toContain('embeds[0].title is 300 characters long; Discord allows 256');
    // Limits count code points, as Discord does; exactly at the limits passes.
    expect(() => {
      checkWebhookMessage({
        content: '😀'.repeat(2000),
        embeds: [
          { description: 'd'.repeat(4096) },
          { title: 't'.repeat(256), description: 'd'.repeat(1648) },
        ],
      });
    }).not.toThrow();
    expect(server.stats.requests).toBe(before);
  });

  it('waits out a 429 (Retry-After) and posts', async () => {
    server.injectFault({
      kind: 'rate-limit-storm',
      times: 1,
      retryAfterSeconds: 0.3,
      path: /\/webhooks\//,
    });
    const waits: Array<{ retryAfterMs: number; global: boolean }> = [];
    const started = Date.now();
    const posted = await postWebhookMessage(
      hook.url,
      { content: 'after a 429' },
      { onRateLimit: (info) => waits.push(info) },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(posted.id).toMatch(/^\d+$/);
    expect(waits).toEqual([{ retryAfterMs: 300, global: false }]);
    expect(server.requests.slice(-2).map((request) => request.status)).toEqual([429, 200]);
  });

  it('fails with RATE_LIMITED when 429s keep coming, or the wait is too long', async () => {
    server.injectFault({
      kind: 'rate-limit-storm',
      times: 10,
      retryAfterSeconds: 0.05,
      path: /\/webhooks\//,
    });
    const storm = await failure(postWebhookMessage(hook.url, { content: 'x' }));
    expect(storm).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfter: 50 });
    server.clearFaults();
    server.injectFault({
      kind: 'rate-limit-storm',
      times: 1,
      retryAfterSeconds: 3600,
      path: /\/webhooks\//,
    });
    const long = await failure(postWebhookMessage(hook.url, { content: 'x' }));
    expect(long).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 3_600_000 });
  });

  it('keeps to the per-webhook bucket (5 per 2 s) without failing', async () => {
    const limited = await startServer({ rateLimit: {} });
    try {
      const url = limited.webhooks[0]?.url ?? '';
      const waits: number[] = [];
      for (let post = 0; post < 6; post++)
        await postWebhookMessage(
          url,
          { content: `#${post}` },
          { onRateLimit: (info) => waits.push(info.retryAfterMs) },
        );
      expect(limited.webhookPosts).toHaveLength(6);
      expect(waits.length).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });

  it('retries 5xx responses, then succeeds', async () => {
    server.injectFault({ kind: 'status', status: 500, path: /\/webhooks\//, times: 2 });
    const posted = await postWebhookMessage(hook.url, { content: 'after two 500s' });
    expect(posted.id).toMatch(/^\d+$/);
    expect(server.requests.slice(-3).map((request) => request.status)).toEqual([500, 500, 200]);
    server.injectFault({ kind: 'html', status: 502, path: /\/webhooks\//, times: 2 });
    const failed = await failure(postWebhookMessage(hook.url, { content: 'x' }, { retries: 1 }));
    expect(failed).toMatchObject({ code: 'SERVER_ERROR', status: 502 });
  });

  it('maps timeouts, resets and refused connections to TIMEOUT and NETWORK', async () => {
    server.injectFault({ kind: 'delay', ms: 2000, path: /\/webhooks\//, times: 2 });
    const slow = await failure(
      postWebhookMessage(hook.url, { content: 'x' }, { timeoutMs: 100, retries: 1 }),
    );
    expect(slow).toMatchObject({ code: 'TIMEOUT' });
    server.injectFault({ kind: 'reset', path: /\/webhooks\//, times: 1 });
    expect((await postWebhookMessage(hook.url, { content: 'after a reset' })).id).toMatch(/^\d+$/);
    const closed = await startServer();
    const url = closed.webhooks[0]?.url ?? '';
    await closed.close();
    expect(await failure(postWebhookMessage(url, { content: 'x' }, { retries: 0 }))).toMatchObject({
      code: 'NETWORK',
    });
  });

  it('maps a non-JSON answer to INVALID_RESPONSE and other 4xx to HTTP_ERROR', async () => {
    server.injectFault({ kind: 'html', status: 200, path: /\/webhooks\// });
    expect(await failure(postWebhookMessage(hook.url, { content: 'x' }))).toMatchObject({
      code: 'INVALID_RESPONSE',
    });
    server.injectFault({ kind: 'status', status: 403, path: /\/webhooks\// });
    expect(await failure(postWebhookMessage(hook.url, { content: 'x' }))).toMatchObject({
      code: 'HTTP_ERROR',
      status: 403,
    });
  });

  it('aborts with ABORTED, before or during the post', async () => {
    const before = server.stats.requests;
    expect(
      await failure(
        postWebhookMessage(hook.url, { content: 'x' }, { signal: AbortSignal.abort() }),
      ),
    ).toMatchObject({ code: 'ABORTED' });
    expect(server.stats.requests).toBe(before);
    server.injectFault({ kind: 'delay', ms: 2000, path: /\/webhooks\// });
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 100);
    const started = Date.now();
    expect(
      await failure(postWebhookMessage(hook.url, { content: 'x' }, { signal: controller.signal })),
    ).toMatchObject({ code: 'ABORTED' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('rejects bad options with INVALID_OPTIONS', async () => {
    expect(
      await failure(postWebhookMessage(hook.url, { content: 'x' }, { timeoutMs: 0 })),
    ).toMatchObject({ code: 'INVALID_OPTIONS', field: 'timeoutMs' });
    expect(
      await failure(postWebhookMessage(hook.url, { content: 'x' }, { retries: -1 })),
    ).toMatchObject({ code: 'INVALID_OPTIONS', field: 'retries' });
  });
});

describe('parseWebhookUrl', () => {
  const id = '123456789012345678';
  const token = 'AbC-dEf_123.token'.replace('.', '');
  it.each([
    [`https://discord.com/api/webhooks/${id}/${token}`, 'https://discord.com/api'],
    [`https://discordapp.com/api/webhooks/${id}/${token}`, 'https://discordapp.com/api'],
    [`https://ptb.discord.com/api/webhooks/${id}/${token}`, 'https://ptb.discord.com/api'],
    [`https://canary.discord.com/api/webhooks/${id}/${token}/`, 'https://canary.discord.com/api'],
    [`https://discord.com/api/v10/webhooks/${id}/${token}`, 'https://discord.com/api'],
    [`https://discord.com/api/v9/webhooks/${id}/${token}?wait=true`, 'https://discord.com/api'],
    [`  https://DISCORD.com/api/webhooks/${id}/${token}  `, 'https://discord.com/api'],
    [`http://127.0.0.1:4321/api/webhooks/${id}/${token}`, 'http://127.0.0.1:4321/api'],
    [`http://localhost:4321/api/v10/webhooks/${id}/${token}`, 'http://localhost:4321/api'],
    [`http://[::1]:4321/api/webhooks/${id}/${token}`, 'http://[::1]:4321/api'],
  ])('accepts %s', (url, apiBase) => {
    expect(parseWebhookUrl(url)).toEqual({ id, token, apiBase });
  });

  it.each([
    [''],
    ['not a url'],
    [`http://discord.com/api/webhooks/${id}/${token}`],
    [`https://discord.com.evil.example/api/webhooks/${id}/${token}`],
    [`https://example.com/api/webhooks/${id}/${token}`],
    [`https://discord.com:8443/api/webhooks/${id}/${token}`],
    [`http://192.168.1.2/api/webhooks/${id}/${token}`],
    [`https://user:pass@discord.com/api/webhooks/${id}/${token}`],
    [`https://discord.com/api/webhooks/${id}`],
    [`https://discord.com/api/webhooks/abc/${token}`],
    [`https://discord.com/api/webhooks/${id}/${token}/slack`],
    [`https://discord.com/webhooks/${id}/${token}`],
    [`https://discord.com/api/channels/${id}/${token}`],
  ])('rejects %j with INVALID_WEBHOOK_URL, never showing the token', (url) => {
    const error = thrown(() => parseWebhookUrl(url));
    expect(error).toMatchObject({ code: 'INVALID_WEBHOOK_URL', field: 'url' });
    expect(dump(error)).not.toContain(token);
  });
});

describe('the token', () => {
  it('appears in no error, field or cause', async () => {
    // A few more failures with the real token in the URL.
    server.injectFault({
      kind: 'rate-limit-storm',
      times: 10,
      retryAfterSeconds: 0.01,
      path: /\/webhooks\//,
    });
    errors.push(
      await failure(postWebhookMessage(hook.url, { content: 'x' })).catch(
        (error: unknown) => error,
      ),
    );
    server.clearFaults();
    server.injectFault({ kind: 'reset', path: /\/webhooks\//, times: 2 });
    errors.push(
      await failure(postWebhookMessage(hook.url, { content: 'x' }, { retries: 1 })).catch(
        (error: unknown) => error,
      ),
    );
    server.injectFault({ kind: 'truncated-json', path: /\/webhooks\// });
    errors.push(
      await failure(postWebhookMessage(hook.url, { content: 'x' })).catch(
        (error: unknown) => error,
      ),
    );
    const codes = new Set<DiscordHarvesterErrorCode>();
    for (const error of errors) {
      if (isDiscordHarvesterError(error)) codes.add(error.code);
      const text = dump(error);
      expect(text).not.toContain(hook.token);
    }
    expect([...codes].sort()).toEqual(
      [
        'ABORTED',
        'HTTP_ERROR',
        'INVALID_OPTIONS',
        'INVALID_REQUEST',
        'INVALID_RESPONSE',
        'INVALID_WEBHOOK_URL',
        'NETWORK',
        'RATE_LIMITED',
        'SERVER_ERROR',
        'TIMEOUT',
        'WEBHOOK_NOT_FOUND',
        'WEBHOOK_UNAUTHORIZED',
      ].sort(),
    );
  });
});
