// `clanstats demo`: the real CLI starts the fakes itself and runs the whole pipeline in a folder.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempFolder, runCli, type CliResult, type TempFolder } from './test-harness.js';

describe('clanstats demo', { timeout: 180_000 }, () => {
  let folder: TempFolder;
  let result: CliResult;

  beforeAll(async () => {
    folder = createTempFolder('clanstats-demo-');
    // A real LOCAL_DRIVE_PATH of the user's must not receive the made-up clan.
    mkdirSync(folder.file('drive'));
    result = await runCli(['demo', '--dir', 'my-demo', '--members', '20'], {
      cwd: folder.path,
      env: { LOCAL_DRIVE_PATH: folder.file('drive'), DISCORD_TOKEN: 'users-own-token' },
    });
  });
  afterAll(() => {
    folder.remove();
  });

  it('runs the whole pipeline against the fakes and says where everything is', () => {
    if (result.code !== 0) throw new Error(result.output);
    const dir = folder.file('my-demo');
    for (const stage of ['backup', 'migrate', 'harvest', 'report', 'export']) {
      expect(result.output).toContain(`: ${stage}`);
    }
    expect(result.stdout).toContain('✔ Demo finished in');
    expect(result.stdout).toContain(`Dashboard:  file://${dir}/out/clan_dashboard.html`);
    expect(result.stdout).toContain(`Report:     ${dir}/out/clan_report_summary_merged.xlsx`);
    for (const file of [
      'out/clan_dashboard.html',
      'out/clan_data.json',
      'out/clan_report_summary_merged.xlsx',
      'clanstats.db',
      'app.log',
      'clanstats.config.json',
    ]) {
      expect(existsSync(`${dir}/${file}`), file).toBe(true);
    }
    const data = JSON.parse(readFileSync(`${dir}/out/clan_data.json`, 'utf8')) as {
      members: unknown[];
    };
    expect(data.members).toHaveLength(20);
    // The run used the fakes and the demo's own settings, not the user's.
    const log = readFileSync(`${dir}/app.log`, 'utf8');
    expect(log).toContain('started clanstats run');
    expect(log).toMatch(/Discord: \d+ messages in \d+ channels/);
    expect(result.output).not.toContain('users-own-token');
    expect(existsSync(folder.file('drive/clan_dashboard.html'))).toBe(false);
  });

  it('starts afresh in its own folder, and refuses a folder it did not make', async () => {
    const other = folder.file('not-a-demo');
    mkdirSync(other);
    writeFileSync(`${other}/notes.txt`, 'mine');
    const refused = await runCli(['demo', '--dir', 'not-a-demo'], { cwd: folder.path });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not a ClanStats demo folder');
    expect(readFileSync(`${other}/notes.txt`, 'utf8')).toBe('mine');

    const bad = await runCli(['demo', '--members', 'lots'], { cwd: folder.path });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--members must be a whole number from 10 to 2000');
  });
});
