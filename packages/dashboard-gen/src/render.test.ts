import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClanDataV1 } from '@clanstats/clan-model';
import { createSyntheticClanData, HOSTILE_NAMES } from '@clanstats/testkit';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  DASHBOARD_FILE_NAME,
  deployFiles,
  isDashboardError,
  renderDashboard,
  scriptSafeJson,
  toViewModel,
  writeDashboard,
  type DashboardData,
} from './index.js';

let folder: string | undefined;
afterEach(() => {
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});
const temporaryFolder = (): string => {
  folder = mkdtempSync(join(tmpdir(), 'dashboard-render-'));
  return folder;
};

const data = (members = 40): DashboardData => createSyntheticClanData({ members, seed: 3 });

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

async function rejected(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('DashboardData', () => {
  it('accepts a clan_data.json v1 object as it is', () => {
    // Checked by `tsc` (pnpm typecheck): fails when clan-model changes a field the page reads.
    expectTypeOf<ClanDataV1>().toExtend<DashboardData>();
  });
});

describe('scriptSafeJson', () => {
  it('cannot close its script element or open a comment, and round-trips', () => {
    const value = { name: '</script><script>alert(1)</script><!--', line: '\u2028&\u2029' };
    const text = scriptSafeJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('renderDashboard', () => {
  it('inlines everything: no external script, style, image or font, and a strict CSP', () => {
    const html = renderDashboard(data(), { icons: { zulrah: 'data:image/svg+xml,%3Csvg%3E' } });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(/i);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('escapes hostile names everywhere they appear in the markup', () => {
    const source = data();
    const hostile = HOSTILE_NAMES[0] ?? '';
    const html = renderDashboard({ ...source, group: { id: 1, name: hostile } });
    expect(html).not.toContain(hostile);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // The only script end tags are the two of our own elements.
    expect(html.match(/<\/script/gi)).toHaveLength(2);
  });

  it('names the field when the data is not usable', () => {
    const source = data(3);
    const error = caught(() => renderDashboard({ ...source, timezone: 'Mars/Olympus' }));
    expect(isDashboardError(error) && error.code).toBe('INVALID_DATA');
    expect(isDashboardError(error) && error.field).toBe('timezone');
    const broken = structuredClone(source) as unknown as { members: Array<{ joinedAt: string }> };
    if (broken.members[1] !== undefined) broken.members[1].joinedAt = 'yesterday';
    const second = caught(() => renderDashboard(broken as unknown as DashboardData));
    expect(isDashboardError(second) && second.field).toBe('members[1].joinedAt');
    const third = caught(() => renderDashboard(source, { public: 'yes' as unknown as boolean }));
    expect(isDashboardError(third) && third.code).toBe('INVALID_OPTIONS');
  });

  it('keeps a 500-member page under 1.5 MB', () => {
    const html = renderDashboard(data(500));
    expect(Buffer.byteLength(html)).toBeLessThan(1.5 * 1024 * 1024);
  });
});

describe('toViewModel', () => {
  it('keeps unknown gains unknown and never invents a zero', () => {
    const source = data(60);
    const model = toViewModel(source, { public: false, icons: {} });
    source.members.forEach((member, index) => {
      const view = model.members[index];
      expect(view?.stats['30d'][0]).toBe(member.windows['30d'].xp);
      expect(view?.skills['30d'] === null).toBe((member.windows['30d'].xpBySkill ?? null) === null);
    });
  });

  it('public mode drops per-member Discord figures but keeps clan totals', () => {
    const source = data(20);
    const model = toViewModel(source, { public: true, icons: {} });
    expect(model.totals['30d'].messages).toBe(source.totals['30d'].messages);
    for (const member of model.members) {
      expect(member.stats['30d']).toHaveLength(4);
      expect(member.discord).toBeUndefined();
      expect(member.status).toBeUndefined();
    }
    expect(model.rankUps).toBeUndefined();
    expect(model.coverage.unmatchedDiscord).toBe(0);
  });
});

describe('writeDashboard', () => {
  it('writes atomically and leaves no temporary file', async () => {
    const target = join(temporaryFolder(), 'out', DASHBOARD_FILE_NAME);
    const result = await writeDashboard(data(5), { path: target });
    expect(result.path).toBe(target);
    expect(readFileSync(target).length).toBe(result.bytes);
    expect(readdirSync(join(folder ?? '', 'out'))).toEqual([DASHBOARD_FILE_NAME]);
  });

  it('fails with WRITE_FAILED and keeps the previous page when the folder cannot be made', async () => {
    const base = temporaryFolder();
    writeFileSync(join(base, 'file'), 'not a folder');
    const error = await rejected(() =>
      writeDashboard(data(5), { path: join(base, 'file', DASHBOARD_FILE_NAME) }),
    );
    expect(isDashboardError(error) && error.code).toBe('WRITE_FAILED');
    expect(['ENOTDIR', 'EEXIST']).toContain(isDashboardError(error) && error.syscallCode);
  });
});

describe('deployFiles', () => {
  it('copies into a new folder, replaces its own files and never deletes anything else', async () => {
    const base = temporaryFolder();
    const page = join(base, DASHBOARD_FILE_NAME);
    const json = join(base, 'clan_data.json');
    writeFileSync(page, '<p>new</p>');
    writeFileSync(json, '{}');
    const drive = join(base, 'drive', 'clan');
    mkdirSync(drive, { recursive: true });
    writeFileSync(join(drive, 'notes.txt'), 'keep me');
    writeFileSync(join(drive, DASHBOARD_FILE_NAME), '<p>old</p>');
    const result = await deployFiles({ files: [page, json], to: drive });
    expect(result.files.map((file) => file.to)).toEqual([
      join(drive, DASHBOARD_FILE_NAME),
      join(drive, 'clan_data.json'),
    ]);
    expect(readFileSync(join(drive, DASHBOARD_FILE_NAME), 'utf8')).toBe('<p>new</p>');
    expect(readFileSync(join(drive, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(drive).sort()).toEqual(
      ['clan_data.json', DASHBOARD_FILE_NAME, 'notes.txt'].sort(),
    );
    const created = await deployFiles({ files: [page], to: join(base, 'new', 'folder') });
    expect(created.files).toHaveLength(1);
  });

  it('fails with DEPLOY_FAILED naming the folder when it cannot be written', async () => {
    const base = temporaryFolder();
    writeFileSync(join(base, 'page.html'), 'x');
    writeFileSync(join(base, 'blocker'), 'a file where the folder should be');
    const error = await rejected(() =>
      deployFiles({ files: [join(base, 'page.html')], to: join(base, 'blocker', 'drive') }),
    );
    expect(isDashboardError(error) && error.code).toBe('DEPLOY_FAILED');
    expect(isDashboardError(error) && error.message).toContain(join(base, 'blocker', 'drive'));
    expect(isDashboardError(error) && error.syscallCode).toBe('ENOTDIR');
  });
});
