import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import {
  CORE_SETTINGS,
  inspectSettings,
  loadEnvironment,
  misspelledSettings,
  readSettings,
  SettingDefinitions,
} from './settings.js';
import { createTempFolder, type TempFolder } from './test-harness.js';

let folder: TempFolder;
beforeEach(() => {
  folder = createTempFolder();
});
afterEach(() => {
  folder.remove();
});

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('readSettings', () => {
  it('applies the documented defaults and resolves paths against the working folder', () => {
    const settings = readSettings({}, folder.path);
    expect(settings).toMatchObject({
      womBaseUrl: 'https://api.wiseoldman.net/v2',
      discordApiUrl: 'https://discord.com/api',
      databasePath: folder.file('clan_data.db'),
      outDir: folder.file('out'),
      timezone: 'UTC',
      logLevel: 3,
      backupKeep: 10,
      httpTimeoutMs: 10_000,
      stageTimeoutMs: 6 * 3_600_000,
      womGroupId: undefined,
      discordToken: undefined,
    });
  });

  it('names the setting and how to fix it', () => {
    const error = configError(() =>
      readSettings({ WOM_GROUP_ID: 'abc' }, folder.path, {
        validate: ['WOM_GROUP_ID'],
        require: [],
      }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.issues.map((issue) => issue.setting)).toEqual(['WOM_GROUP_ID']);
    expect(error.message).toBe(
      "WOM_GROUP_ID must be a positive whole number (the number in your group's WOM URL), got 'abc'",
    );
  });

  it('reads CLANSTATS_STAGE_TIMEOUT as a duration from 1s to 7d', () => {
    const read = (value: string): number =>
      readSettings({ CLANSTATS_STAGE_TIMEOUT: value }, folder.path).stageTimeoutMs;
    expect(read('90s')).toBe(90_000);
    expect(read('1h30m')).toBe(5_400_000);
    expect(read('7d')).toBe(7 * 86_400_000);
    for (const bad of ['6', '0s', '8d', '1.5h', 'forever']) {
      expect(configError(() => read(bad)).message).toBe(
        `CLANSTATS_STAGE_TIMEOUT must be a duration from 1s to 7d such as 90s, 30m, 6h or 1h30m, got '${bad}'`,
      );
    }
    const [inspection] = inspectSettings({ CLANSTATS_STAGE_TIMEOUT: '90m' }, folder.path).filter(
      (entry) => entry.definition.name === 'CLANSTATS_STAGE_TIMEOUT',
    );
    expect(inspection).toMatchObject({ status: 'set', display: '1h30m' });
  });

  it('lists every problem at once', () => {
    const error = configError(() =>
      readSettings(
        {
          CLANSTATS_TIMEZONE: 'Mars/Olympus_Mons',
          CLANSTATS_BACKUP_KEEP: '0',
          DISCORD_GUILD_ID: '12',
          WOM_BASE_URL: 'ftp://example.com',
        },
        folder.path,
        {
          validate: [
            'CLANSTATS_TIMEZONE',
            'CLANSTATS_BACKUP_KEEP',
            'DISCORD_GUILD_ID',
            'WOM_BASE_URL',
          ],
          require: ['DISCORD_TOKEN'],
        },
      ),
    );
    expect(error.issues.map((issue) => issue.setting).sort()).toEqual([
      'CLANSTATS_BACKUP_KEEP',
      'CLANSTATS_TIMEZONE',
      'DISCORD_GUILD_ID',
      'DISCORD_TOKEN',
      'WOM_BASE_URL',
    ]);
    expect(error.message).toContain(
      "CLANSTATS_TIMEZONE must be an IANA time zone such as UTC, Europe/London or America/New_York, got 'Mars/Olympus_Mons'",
    );
    expect(error.message).toContain('DISCORD_TOKEN is not set:');
    expect(error.message).toContain(
      "CLANSTATS_BACKUP_KEEP must be a whole number of 1 or more, got '0'",
    );
  });

  it('only validates what the command needs', () => {
    // migrate needs no tokens: a broken WOM_GROUP_ID must not stop it.
    const settings = readSettings(
      { WOM_GROUP_ID: 'abc', CLANSTATS_TIMEZONE: 'nowhere' },
      folder.path,
      {
        validate: CORE_SETTINGS,
        require: [],
      },
    );
    expect(settings.womGroupId).toBeUndefined();
    expect(settings.timezone).toBe('UTC');
  });

  it('never echoes a secret value in an error', () => {
    const secret = 'Bot abc.def.ghi-very-secret';
    const error = configError(() =>
      readSettings({ DISCORD_TOKEN: secret, WOM_API_KEY: 'has a space' }, folder.path, {
        validate: ['DISCORD_TOKEN', 'WOM_API_KEY'],
        require: [],
      }),
    );
    expect(error.message).toContain(
      'DISCORD_TOKEN must be the bare bot token; remove the "Bot " prefix',
    );
    expect(error.message).toContain(
      'WOM_API_KEY must be a single word without spaces, got a value of 11 characters',
    );
    expect(error.message).not.toContain('very-secret');
    expect(error.message).not.toContain('has a space');
  });

  it('accepts log level names and numbers', () => {
    expect(readSettings({ CLANSTATS_LOG_LEVEL: 'debug' }, folder.path).logLevel).toBe(4);
    expect(readSettings({ CLANSTATS_LOG_LEVEL: '0' }, folder.path).logLevel).toBe(0);
    const error = configError(() => readSettings({ CLANSTATS_LOG_LEVEL: 'loud' }, folder.path));
    expect(error.message).toMatch(/^CLANSTATS_LOG_LEVEL must be a number from 0/);
  });

  it('treats empty values as unset and strips trailing slashes from URLs', () => {
    const settings = readSettings(
      { WOM_GROUP_ID: '', WOM_BASE_URL: 'http://127.0.0.1:8080/v2/', CLANSTATS_DB: '' },
      folder.path,
      { validate: ['WOM_GROUP_ID', 'WOM_BASE_URL'], require: [] },
    );
    expect(settings.womGroupId).toBeUndefined();
    expect(settings.womBaseUrl).toBe('http://127.0.0.1:8080/v2');
    expect(settings.databasePath).toBe(folder.file('clan_data.db'));
  });

  it('documents every setting once', () => {
    const names = SettingDefinitions.map((definition) => definition.name);
    expect(new Set(names).size).toBe(names.length);
    expect(
      SettingDefinitions.filter((definition) => definition.secret).map(
        (definition) => definition.name,
      ),
    ).toEqual(['WOM_API_KEY', 'WOM_GROUP_SECRET', 'DISCORD_TOKEN', 'DISCORD_WEBHOOK_URL']);
  });
});

describe('inspectSettings', () => {
  it('redacts secrets and reports each setting on its own', () => {
    const inspections = inspectSettings(
      { DISCORD_TOKEN: 'token-value-123', WOM_GROUP_ID: 'x' },
      folder.path,
    );
    const byName = new Map(
      inspections.map((inspection) => [inspection.definition.name, inspection]),
    );
    expect(byName.get('DISCORD_TOKEN')).toMatchObject({ status: 'set', display: '[redacted]' });
    expect(byName.get('WOM_GROUP_ID')?.status).toBe('invalid');
    expect(byName.get('DISCORD_GUILD_ID')?.status).toBe('missing');
    expect(byName.get('CLANSTATS_TIMEZONE')).toMatchObject({ status: 'default', display: 'UTC' });
  });
});

describe('loadEnvironment', () => {
  it('reads .env from the working folder; the environment wins; process.env is untouched', () => {
    writeFileSync(
      folder.file('.env'),
      '# settings\nWOM_GROUP_ID=111\nCLANSTATS_TIMEZONE="Europe/London"\nDISCORD_GUILD_ID=123456789012345678\n',
    );
    const environment = { WOM_GROUP_ID: '222', DISCORD_GUILD_ID: '' };
    const before = { ...process.env };
    const loaded = loadEnvironment({ cwd: folder.path, env: environment });
    expect(loaded.envFile).toBe(folder.file('.env'));
    expect(loaded.env.WOM_GROUP_ID).toBe('222');
    expect(loaded.env.CLANSTATS_TIMEZONE).toBe('Europe/London');
    // An empty variable does not hide the file's value.
    expect(loaded.env.DISCORD_GUILD_ID).toBe('123456789012345678');
    expect(process.env).toEqual(before);
    expect(environment).toEqual({ WOM_GROUP_ID: '222', DISCORD_GUILD_ID: '' });
  });

  it('works without a .env file', () => {
    const loaded = loadEnvironment({ cwd: folder.path, env: { A: '1' } });
    expect(loaded).toEqual({ env: { A: '1' }, envFile: undefined });
  });

  it('reads --env-file and reports a missing one', () => {
    writeFileSync(folder.file('clan.env'), 'WOM_GROUP_ID=5\n');
    expect(
      loadEnvironment({ cwd: folder.path, env: {}, envFile: 'clan.env' }).env.WOM_GROUP_ID,
    ).toBe('5');
    const error = configError(() =>
      loadEnvironment({ cwd: folder.path, env: {}, envFile: 'nope.env' }),
    );
    expect(error.issues[0]?.setting).toBe('--env-file');
    expect(error.message).toContain('--env-file nope.env: the file does not exist');
  });
});

describe('mistyped settings and time zone abbreviations', () => {
  it('names a variable one or two typos away from a setting, or in another case', () => {
    const issues = misspelledSettings({
      CLANSTATS_TIMEZON: 'Europe/London',
      wom_group_id: '5',
      DISCROD_TOKEN: 'secret-value',
      // Not typos: another program's, a setting's own variant, empty, far from any setting.
      PATH: '/usr/bin',
      DISCORD_TOKEN_OLD: 'x',
      CLANSTATS_BACKUP_KEPE: '',
      CLANSTATS_ENABLE_TEST_HOOKS: '1',
      WOM_GROUP_ID: '5',
    });
    expect(issues.map((issue) => issue.setting)).toEqual([
      'CLANSTATS_TIMEZON',
      'wom_group_id',
      'DISCROD_TOKEN',
    ]);
    expect(issues[2]?.message).toBe(
      'DISCROD_TOKEN is not a setting, so it is ignored: did you mean DISCORD_TOKEN? Rename it (in the environment or in .env)',
    );
    expect(JSON.stringify(issues)).not.toContain('secret-value');
    // Lenient reads (doctor, the log level) do not fail over them.
    expect(() =>
      readSettings({ wom_group_id: '5' }, folder.path, { validate: [], require: [] }),
    ).not.toThrow();
  });

  it('refuses abbreviations, which the time zone database reads its own way', () => {
    for (const [abbreviation, zone] of [
      ['BST', 'Asia/Dhaka'],
      ['IST', 'Asia/Calcutta'],
      ['EST', 'America/Panama'],
    ]) {
      expect(
        configError(() =>
          readSettings({ CLANSTATS_TIMEZONE: abbreviation }, folder.path, {
            validate: ['CLANSTATS_TIMEZONE'],
            require: [],
          }),
        ).message,
      ).toContain(`not an abbreviation ('${abbreviation}' would mean ${zone})`);
    }
    for (const zone of [
      'UTC',
      'GMT',
      'Europe/London',
      'Etc/GMT+5',
      'America/Argentina/Buenos_Aires',
    ]) {
      expect(
        readSettings({ CLANSTATS_TIMEZONE: zone }, folder.path, {
          validate: ['CLANSTATS_TIMEZONE'],
          require: [],
        }).timezone,
      ).toBe(zone);
    }
  });
});
