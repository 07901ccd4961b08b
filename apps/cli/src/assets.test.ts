import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempFolder, runCli, type TempFolder } from './test-harness.js';

/** A real 1 × 1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>Own</title></svg>';

let folder: TempFolder;
beforeEach(() => {
  folder = createTempFolder();
  mkdirSync(folder.file('images'));
});
afterEach(() => {
  folder.remove();
});

describe('clanstats assets --from <dir>', () => {
  it('installs the images named after a metric into ./assets/custom and says what it skipped', async () => {
    writeFileSync(folder.file('images/Zulrah.png'), PNG);
    writeFileSync(folder.file('images/Chambers of Xeric.png'), PNG);
    writeFileSync(folder.file('images/TzKal-Zuk.svg'), SVG);
    writeFileSync(folder.file('images/dragon.png'), PNG);
    writeFileSync(folder.file('images/vorkath.png'), 'not an image');
    writeFileSync(folder.file('images/notes.txt'), 'hello');
    const result = await runCli(['assets', '--from', 'images'], { cwd: folder.path });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✔ [assets] Zulrah.png → Zulrah (zulrah)');
    expect(result.stdout).toContain(
      '✔ [assets] Chambers of Xeric.png → Chambers of Xeric (chambers_of_xeric)',
    );
    expect(result.stdout).toContain('✔ [assets] TzKal-Zuk.svg → TzKal-Zuk (tzkal_zuk)');
    expect(result.stderr).toContain(
      '[assets] Skipped dragon.png: no metric named "dragon"; did you mean King Black Dragon (king_black_dragon)?',
    );
    expect(result.stderr).toContain(
      '[assets] Skipped vorkath.png: not a PNG/JPEG/GIF/WEBP/SVG image',
    );
    expect(result.stderr).toContain('[assets] Skipped notes.txt: not an image file');
    expect(result.stdout).toContain(
      `✔ [assets] Installed 3 images into ${['assets', 'custom'].join('/')}; skipped 3 files.`,
    );
    expect(readdirSync(folder.file('assets/custom')).sort()).toEqual([
      'chambers_of_xeric.png',
      'tzkal_zuk.svg',
      'zulrah.png',
    ]);
    expect(readFileSync(folder.file('assets/custom/zulrah.png'))).toEqual(PNG);
    // Logged to app.log as well.
    expect(readFileSync(folder.file('app.log'), 'utf8')).toContain('Zulrah.png → Zulrah');

    const listing = await runCli(['assets'], { cwd: folder.path });
    expect(listing.code).toBe(0);
    expect(listing.stdout).toContain(`Custom images in ${['assets', 'custom'].join('/')}:`);
    expect(listing.stdout).toMatch(/ {2}Chambers of Xeric +chambers_of_xeric\.png\n/);
    expect(listing.stdout).toMatch(/ {2}TzKal-Zuk +tzkal_zuk\.svg\n/);
    expect(listing.stdout).toContain(
      '3 of 113 metrics have a custom image; the others use the built-in icons.',
    );
  });

  it('installs into CLANSTATS_ASSETS_DIR, replacing the older image of a metric', async () => {
    mkdirSync(folder.file('clan-images'));
    writeFileSync(folder.file('clan-images/zulrah.svg'), SVG);
    writeFileSync(folder.file('clan-images/keep.txt'), 'mine');
    writeFileSync(folder.file('images/zulrah.png'), PNG);
    const env = { CLANSTATS_ASSETS_DIR: folder.file('clan-images') };
    const result = await runCli(['assets', '--from', folder.file('images')], {
      cwd: folder.path,
      env,
    });
    expect(result.code).toBe(0);
    expect(readdirSync(folder.file('clan-images')).sort()).toEqual(['keep.txt', 'zulrah.png']);
    expect(existsSync(folder.file('assets'))).toBe(false);
    const listing = await runCli(['assets'], { cwd: folder.path, env });
    expect(listing.stdout).toContain('? keep.txt  (not used: not named <metric>.');
    expect(listing.stdout).toContain('1 of 113 metrics have a custom image');
  });

  it('fails with a clear message when nothing could be installed', async () => {
    writeFileSync(folder.file('images/dragon.png'), PNG);
    const result = await runCli(['assets', '--from', 'images'], { cwd: folder.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Skipped dragon.png: no metric named "dragon"');
    expect(result.stderr).toContain(
      'CONFIG_INVALID: No images installed: none of the 1 file in images could be used (see the reasons above).',
    );
    expect(existsSync(folder.file('assets'))).toBe(false);

    mkdirSync(folder.file('empty'));
    const empty = await runCli(['assets', '--from', 'empty'], { cwd: folder.path });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('CONFIG_INVALID: No images installed: empty is empty.');
  });

  it('fails with a clear message when the folder cannot be read', async () => {
    const result = await runCli(['assets', '--from', 'missing'], { cwd: folder.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `CONFIG_INVALID: --from missing: Cannot read the image folder ${folder.file('missing')}: it does not exist`,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('fails when CLANSTATS_ASSETS_DIR cannot be written', async () => {
    writeFileSync(folder.file('images/zulrah.png'), PNG);
    writeFileSync(folder.file('blocker'), '');
    const result = await runCli(['assets', '--from', 'images'], {
      cwd: folder.path,
      env: { CLANSTATS_ASSETS_DIR: folder.file('blocker/custom') },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CONFIG_INVALID: Cannot create the icon folder');
    expect(result.stderr).toContain('check that CLANSTATS_ASSETS_DIR');
  });
});

describe('clanstats assets', () => {
  it('says when there are no custom images yet', async () => {
    const result = await runCli(['assets'], { cwd: folder.path });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `No custom images in ${['assets', 'custom'].join('/')}; the dashboard uses the built-in icons for all 113 bosses, skills and activities.`,
    );
    expect(result.stdout).toContain('Install your own with "clanstats assets --from <dir>".');
  });

  it('rejects extra arguments', async () => {
    const result = await runCli(['assets', 'images'], { cwd: folder.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('USAGE: Too many arguments for "clanstats assets": images.');
  });
});
