import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempFolder, runCli, type TempFolder } from './test-harness.js';

let folder: TempFolder;
beforeEach(() => {
  folder = createTempFolder();
});
afterEach(() => {
  folder.remove();
});

const discordToken = 'MTA5ODc2NTQzMjEwOTg3NjU0.Gx1y2z.secret-discord-token-abcdefghijklmn';
const womApiKey = 'wom-secret-api-key-0123';
const womGroupSecret = '111-222-333';
const webhookToken = 'hook-secret-token_aB3-cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4yZ5';
const webhookUrl = `https://discord.com/api/webhooks/123456789012345678/${webhookToken}`;

describe('secrets', () => {
  it('never reach app.log, the terminal or error messages', async () => {
    // One secret from .env, two from the environment.
    writeFileSync(folder.file('.env'), `DISCORD_TOKEN=${discordToken}\n`);
    const result = await runCli(['migrate', '--verbose'], {
      cwd: folder.path,
      env: {
        WOM_API_KEY: womApiKey,
        WOM_GROUP_SECRET: womGroupSecret,
        DISCORD_WEBHOOK_URL: webhookUrl,
        CLANSTATS_ENABLE_TEST_HOOKS: '1',
        CLANSTATS_TEST_ECHO_SECRETS: '1',
        CLANSTATS_TEST_CRASH: 'migrate:reject',
      },
    });
    expect(result.code).toBe(1);
    const log = readFileSync(folder.file('app.log'), 'utf8');
    for (const text of [log, result.output]) {
      expect(text).not.toContain(discordToken);
      expect(text).not.toContain('secret-discord-token');
      expect(text).not.toContain(womApiKey);
      expect(text).not.toContain(womGroupSecret);
      expect(text).not.toContain(webhookToken);
      expect(text).not.toContain('hook-secret-token');
      expect(text).toContain('test hook: DISCORD_WEBHOOK_URL is [redacted]');
      expect(text).toContain('test hook: webhook token [redacted]');
      expect(text).toContain('test hook: request POST [redacted]?wait=true');
      expect(text).toContain('test hook: DISCORD_TOKEN is [redacted]');
      expect(text).toContain('test hook: WOM_API_KEY is [redacted]');
      expect(text).toContain('test hook: WOM_GROUP_SECRET is [redacted]');
      expect(text).toContain('Authorization: Bot [redacted]');
      expect(text).toContain('{"x-api-key":"[redacted]"}');
      expect(text).toContain('hit an unexpected error (token [redacted])');
    }
    // The error line itself, on the terminal.
    expect(result.stderr).toContain(
      '✖ [migrate] STAGE_FAILED: Stage "migrate" failed: Unexpected error: test hook: migrate hit an unexpected error (token [redacted])',
    );
    // One line per event: the multi-line message stays on one line in app.log.
    expect(log).toMatch(
      /ERROR \[migrate\] test hook: multi-line message\\nsecond line with token \[redacted\]\n/,
    );
    for (const line of log.trimEnd().split('\n')) {
      expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [A-Z]+ +/);
    }
  });
});
