import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandNames } from './command-line.js';
import { parseResultLine } from './protocol.js';
import {
  BIN_PATH,
  cliEnvironment,
  createTempFolder,
  runCli,
  STAGE_PATH,
  type TempFolder,
} from './test-harness.js';
import { spawnSync } from 'node:child_process';

let folder: TempFolder;
beforeEach(() => {
  folder = createTempFolder();
});
afterEach(() => {
  folder.remove();
});

describe('help and version', () => {
  it('prints the program help', async () => {
    for (const args of [['--help'], ['-h'], [], ['help']]) {
      const result = await runCli(args, { cwd: folder.path });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: clanstats <command> [options]');
      for (const command of CommandNames) expect(result.stdout).toContain(`  ${command} `);
    }
  });

  it.each(CommandNames)('prints help for "%s"', async (command) => {
    const result = await runCli([command, '--help'], { cwd: folder.path });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(`Usage: clanstats ${command} `)).toBe(true);
    expect(result.stdout).toContain('Global options:');
    expect(result.stdout).toContain('--env-file <path>');
    expect(result.stdout).toContain(`Examples:\n  clanstats ${command}`);
    // Help touches nothing.
    expect(existsSync(folder.file('app.log'))).toBe(false);
  });

  it('prints the version, also after the "--" pnpm passes through', async () => {
    const plain = await runCli(['--version'], { cwd: folder.path });
    expect(plain).toMatchObject({ code: 0, stdout: `${__PACKAGE_VERSION__}\n` });
    const separated = await runCli(['--', '--version'], { cwd: folder.path });
    expect(separated).toMatchObject({ code: 0, stdout: `${__PACKAGE_VERSION__}\n` });
    const help = await runCli(['--', 'migrate', '--help'], { cwd: folder.path });
    expect(help.stdout.startsWith('Usage: clanstats migrate')).toBe(true);
  });
});

describe('usage errors', () => {
  it.each([
    [
      ['frobnicate'],
      'USAGE: Unknown command "frobnicate". Commands: run, demo, harvest, report, export, migrate, backup, restore, optimize, purge-content, doctor, link, assets.',
    ],
    [
      ['migrate', '--force'],
      'USAGE: Unknown option --force for "clanstats migrate". See "clanstats migrate --help".',
    ],
    [['backup', 'extra'], 'USAGE: Too many arguments for "clanstats backup": extra.'],
    [['migrate', 'sideways'], 'USAGE: Unknown migrate action "sideways"; use up, down or status.'],
    [
      ['migrate', 'up', '--step', '2'],
      'USAGE: --step and --to only apply to "clanstats migrate down".',
    ],
    [
      ['migrate', 'down', '--step', '0'],
      "USAGE: --step must be a whole number of 1 or more, got '0'.",
    ],
    [
      ['migrate', 'down', '--step', '1', '--to', 'x'],
      'USAGE: Use either --step or --to, not both.',
    ],
    [['restore', 'file.db', '--latest'], 'USAGE: Give a backup file or --latest, not both.'],
    [['--frobnicate'], 'USAGE: Unknown option --frobnicate. See "clanstats --help".'],
  ])('clanstats %j', async (args, message) => {
    const result = await runCli(args, { cwd: folder.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('missing command', () => {
  it('says so, and shows the stack only with --verbose', async () => {
    const result = await runCli(['--verbose'], { cwd: folder.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('USAGE: Missing command. See "clanstats --help".');
    expect(result.stderr).toContain('    at ');
  });
});

describe('configuration errors', () => {
  it('names the setting and how to fix it', async () => {
    const result = await runCli(['harvest'], { cwd: folder.path, env: { WOM_GROUP_ID: 'abc' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "CONFIG_INVALID: WOM_GROUP_ID must be a positive whole number (the number in your group's WOM URL), got 'abc'",
    );
    // One line, no stack.
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain('    at ');
  });

  it('reads .env, and the environment wins over it', async () => {
    writeFileSync(folder.file('.env'), 'CLANSTATS_BACKUP_KEEP=zero\n');
    const fromFile = await runCli(['backup'], { cwd: folder.path });
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain(
      "CLANSTATS_BACKUP_KEEP must be a whole number of 1 or more, got 'zero'",
    );
    const fixedByEnvironment = await runCli(['restore'], {
      cwd: folder.path,
      env: { CLANSTATS_BACKUP_KEEP: '3' },
    });
    expect(fixedByEnvironment.code).toBe(0);
  });

  it('reads --env-file, and reports a missing one', async () => {
    writeFileSync(folder.file('clan.env'), 'CLANSTATS_TIMEZONE=Nowhere/Land\n');
    const result = await runCli(['report', '--env-file', 'clan.env'], { cwd: folder.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "CLANSTATS_TIMEZONE must be an IANA time zone such as UTC, Europe/London or America/New_York, got 'Nowhere/Land'",
    );
    // Node 20 itself scans every argument for --env-file and stops (exit 9) when the file is
    // missing, before the CLI runs; the CLI's own message is covered in settings.test.ts.
    const missing = await runCli(['migrate', '--env-file', 'missing.env'], { cwd: folder.path });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('missing.env');
  });

  it('reports an invalid clanstats.config.json with the JSON path, before touching the database', async () => {
    writeFileSync(
      folder.file('clanstats.config.json'),
      JSON.stringify({
        inactivity: { days: 0 },
        ranks: [{ role: 'guest', minTenureDays: 0, minScore: 0, colour: 'red' }],
      }),
    );
    const result = await runCli(['run'], { cwd: folder.path, env: { WOM_GROUP_ID: '1' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'clanstats.config.json: inactivity.days: must be 1 or more days, got number 0',
    );
    expect(result.stderr).toContain(
      'clanstats.config.json: ranks[0].colour: unknown key (allowed here: role, minTenureDays, minScore)',
    );
    expect(existsSync(folder.file('clan_data.db'))).toBe(false);
  });

  it('reports invalid JSON with its position', async () => {
    writeFileSync(folder.file('clanstats.config.json'), '{ "publicMode": yes }');
    const result = await runCli(['export'], { cwd: folder.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "clanstats.config.json is not valid JSON: expected a value, found 'yes' (strings need double quotes) at line 1, column 17 (position 16)",
    );
  });
});

describe('process isolation', () => {
  /**
   * What a built program loads when it starts: the static imports of its file and of the chunks
   * it imports (following `./chunk-*.js`), and the modules it may load later with `import()`.
   */
  function moduleGraph(entry: string): { files: string[]; packages: string[]; dynamic: string[] } {
    const files: string[] = [];
    const packages = new Set<string>();
    const dynamic = new Set<string>();
    const pending = [entry];
    while (pending.length > 0) {
      const file = pending.pop() ?? '';
      if (files.includes(file)) continue;
      files.push(file);
      const code = readFileSync(file, 'utf8');
      expect(code, file).not.toMatch(/\brequire\(/);
      for (const [, specifier = ''] of code.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)) {
        if (specifier.startsWith('./')) pending.push(join(dirname(file), specifier));
        else packages.add(specifier);
      }
      for (const [, specifier = ''] of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        dynamic.add(specifier);
      }
    }
    return { files, packages: [...packages].sort(), dynamic: [...dynamic].sort() };
  }

  it('the orchestrator imports no store and no SQLite', () => {
    const graph = moduleGraph(BIN_PATH);
    for (const file of graph.files) {
      const code = readFileSync(file, 'utf8');
      expect(code, file).not.toContain('@clanstats/store');
      expect(code, file).not.toContain('better-sqlite3');
    }
    for (const specifier of graph.packages) {
      expect(specifier).toMatch(
        /^(node:)?(path|util|fs|os|child_process|readline|url)$|^zod$|^consola$/,
      );
    }
    // Loaded on demand: the fakes by `demo`, the network clients by `doctor`, the icons by
    // `assets`; no database.
    expect(graph.dynamic).toEqual([
      '@clanstats/dashboard-gen',
      '@clanstats/discord-harvester',
      '@clanstats/testkit',
      '@clanstats/wom-client',
    ]);
  });

  it("the stage worker opens the database, and loads each stage's heavy packages only in that stage", () => {
    const graph = moduleGraph(STAGE_PATH);
    expect(graph.packages).toContain('@clanstats/store');
    // discord.js (through the harvester), exceljs (the report) and eta (the dashboard) cost
    // about a second to load; backup, migrate, restore and check do not need them.
    for (const heavy of [
      '@clanstats/discord-harvester',
      '@clanstats/wom-client',
      '@clanstats/xlsx-report',
      '@clanstats/dashboard-gen',
      '@clanstats/clan-model',
    ]) {
      expect(graph.packages).not.toContain(heavy);
    }
    expect(graph.dynamic.filter((specifier) => specifier.startsWith('./stage-')).length).toBe(4);
  });

  it('a stage prints exactly one result line, last, on stdout', () => {
    const child = spawnSync(process.execPath, [STAGE_PATH, 'migrate', 'status'], {
      cwd: folder.path,
      env: cliEnvironment({ CLANSTATS_DB: folder.file('clan_data.db') }),
      encoding: 'utf8',
    });
    expect(child.status).toBe(0);
    const lines = child.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = parseResultLine(lines[0] ?? '');
    expect(result).toMatchObject({
      protocol: 1,
      stage: 'migrate',
      status: 'ok',
      counts: { executed: 0 },
      details: { exists: false, executed: [] },
    });
    // status on a missing database does not create it.
    expect(existsSync(folder.file('clan_data.db'))).toBe(false);
  });

  it('the stage worker refuses an unknown stage', () => {
    const child = spawnSync(process.execPath, [STAGE_PATH, 'teleport'], {
      encoding: 'utf8',
      env: cliEnvironment(),
    });
    expect(child.status).toBe(2);
    expect(child.stderr).toContain('unknown stage "teleport"');
  });
});
