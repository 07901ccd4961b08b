import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDashboardError, type DashboardError } from './errors.js';
import { ICON_EXTENSIONS, installIcons, loadIcons } from './icons.js';
import { METRIC_INFO } from './metrics.js';

const ASSET_DIR = fileURLToPath(new URL('../../../assets/icons/', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.url));

/** A real 1 × 1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([1, 0, 1, 0, 0, 0, 0])]);
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([26, 0, 0, 0]),
  Buffer.from('WEBPVP8L'),
  Buffer.alloc(8),
]);
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>Own</title></svg>';

const SVG_PREFIX = 'data:image/svg+xml,';

function decodeSvg(uri: string | undefined): string {
  expect(uri?.startsWith(SVG_PREFIX)).toBe(true);
  return decodeURIComponent((uri ?? '').slice(SVG_PREFIX.length));
}

async function rejectionOf(promise: Promise<unknown>): Promise<DashboardError> {
  try {
    await promise;
  } catch (error) {
    if (isDashboardError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

let folder: string;
let from: string;
let to: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'clanstats-icons-'));
  from = join(folder, 'from');
  to = join(folder, 'to');
  mkdirSync(from);
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('the built-in icons', () => {
  it('are one SVG per metric in assets/icons, and nothing else', () => {
    const files = readdirSync(ASSET_DIR).sort();
    expect(files).toEqual(
      Object.keys(METRIC_INFO)
        .map((metric) => `${metric}.svg`)
        .sort(),
    );
  });

  it('are small, self-contained, titled and drawn on a 32 × 32 grid', () => {
    let total = 0;
    for (const info of Object.values(METRIC_INFO)) {
      const svg = readFileSync(join(ASSET_DIR, `${info.metric}.svg`), 'utf8');
      total += Buffer.byteLength(svg);
      expect(Buffer.byteLength(svg), info.metric).toBeLessThan(1536);
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 32 32"/);
      const title = info.name.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      expect(svg).toContain(`<title>${title}</title>`);
      expect(svg).not.toMatch(
        /<script|on[a-z]+=|href|@font-face|@import|url\(|<image|<foreignObject/i,
      );
      for (const [, family] of svg.matchAll(/font-family="([^"]*)"/g)) {
        expect(family).toBe('sans-serif');
      }
    }
    expect(total).toBeLessThan(120 * 1024);
  });

  it('are what the generator draws (run "pnpm --filter @clanstats/dashboard-gen icons" after changing it)', () => {
    const result = spawnSync(process.execPath, ['scripts/generate-icons.mjs', '--check'], {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('loadIcons', () => {
  it('gives every metric its built-in icon as an SVG data URI', async () => {
    const icons = await loadIcons();
    expect(Object.keys(icons).sort()).toEqual(Object.keys(METRIC_INFO).sort());
    for (const [metric, uri] of Object.entries(icons)) {
      expect(uri).not.toMatch(/[\n\r\t"#<>]/);
      expect(decodeSvg(uri)).toBe(readFileSync(join(ASSET_DIR, `${metric}.svg`), 'utf8'));
    }
    expect(Object.isFrozen(icons)).toBe(true);
  });

  it("uses the clan's own images in place of the built-in ones", async () => {
    writeFileSync(join(from, 'zulrah.png'), PNG);
    writeFileSync(join(from, 'Attack.SVG'), SVG);
    writeFileSync(join(from, 'vorkath.jpg'), JPEG);
    writeFileSync(join(from, 'nex.gif'), GIF);
    writeFileSync(join(from, 'obor.webp'), WEBP);
    writeFileSync(join(from, 'dragon.png'), PNG); // no such metric: ignored
    writeFileSync(join(from, 'notes.txt'), 'hello'); // not an image name: ignored
    mkdirSync(join(from, 'mimic.png')); // a folder: ignored
    const builtIn = await loadIcons();
    const icons = await loadIcons({ overrideDir: from });
    expect(icons.zulrah).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    expect(icons.vorkath).toBe(`data:image/jpeg;base64,${JPEG.toString('base64')}`);
    expect(icons.nex).toBe(`data:image/gif;base64,${GIF.toString('base64')}`);
    expect(icons.obor).toBe(`data:image/webp;base64,${WEBP.toString('base64')}`);
    expect(decodeSvg(icons.attack)).toBe(SVG);
    expect(icons.mimic).toBe(builtIn.mimic);
    expect(icons.tzkal_zuk).toBe(builtIn.tzkal_zuk);
    expect(Object.keys(icons)).toHaveLength(113);
  });

  it('prefers .svg, then .png… when a metric has several images', async () => {
    writeFileSync(join(from, 'zulrah.png'), PNG);
    writeFileSync(join(from, 'zulrah.svg'), SVG);
    writeFileSync(join(from, 'zulrah.gif'), GIF);
    expect(decodeSvg((await loadIcons({ overrideDir: from })).zulrah)).toBe(SVG);
  });

  it('treats a missing folder as no overrides', async () => {
    expect(await loadIcons({ overrideDir: join(folder, 'missing') })).toEqual(await loadIcons());
  });

  it('rejects an image whose content is not an image, and a folder that is a file', async () => {
    writeFileSync(join(from, 'zulrah.png'), 'not really a PNG');
    const error = await rejectionOf(loadIcons({ overrideDir: from }));
    expect(error).toMatchObject({ code: 'ICON_INVALID', path: join(from, 'zulrah.png') });
    expect(error.message).toContain('is not a PNG/JPEG/GIF/WEBP/SVG image');
    const file = join(folder, 'file');
    writeFileSync(file, '');
    expect(await rejectionOf(loadIcons({ overrideDir: file }))).toMatchObject({
      code: 'ICON_INVALID',
      path: file,
      syscallCode: 'ENOTDIR',
    });
  });

  it('percent-encodes only what an SVG data URI needs', async () => {
    const svg =
      '<?xml version="1.0"?>\n<!-- 100% -->\n<svg xmlns="http://www.w3.org/2000/svg">\n\t<title>Kree\'Arra & Zuk ★</title><path fill="#fff" d="M0 0h1v1z"/></svg>';
    writeFileSync(join(from, 'kreearra.svg'), `\uFEFF${svg}`);
    const uri = (await loadIcons({ overrideDir: from })).kreearra ?? '';
    expect(decodeSvg(uri)).toBe(svg);
    expect(uri).toContain(
      '<title>'.replace('<', '%3C').replace('>', '%3E') + "Kree'Arra & Zuk %E2%98%85",
    );
    expect(uri).toContain('M0 0h1v1z');
    expect(uri).toContain('%23fff');
    expect(uri).not.toMatch(/[\n\t"#<>]/);
  });
});

describe('installIcons', () => {
  it('installs images named after a metric or its display name, in any case and spelling', async () => {
    writeFileSync(join(from, 'Chambers of Xeric.png'), PNG);
    writeFileSync(join(from, 'TzKal-Zuk.png'), PNG);
    writeFileSync(join(from, "KREE'ARRA.WEBP"), WEBP);
    writeFileSync(join(from, 'Chambers of Xeric: Challenge Mode.svg'), SVG);
    writeFileSync(join(from, 'the corrupted gauntlet.gif'), GIF);
    writeFileSync(join(from, 'Clue Scrolls (All).jpeg'), JPEG);
    writeFileSync(join(from, 'runecraft.jpg'), JPEG);
    writeFileSync(join(from, 'EHP.svg'), SVG);
    const result = await installIcons({ from, to });
    expect(result.skipped).toEqual([]);
    expect(result.installed).toEqual(
      expect.arrayContaining([
        { metric: 'chambers_of_xeric', file: 'Chambers of Xeric.png', bytes: PNG.length },
        { metric: 'tzkal_zuk', file: 'TzKal-Zuk.png', bytes: PNG.length },
        { metric: 'kreearra', file: "KREE'ARRA.WEBP", bytes: WEBP.length },
        {
          metric: 'chambers_of_xeric_challenge_mode',
          file: 'Chambers of Xeric: Challenge Mode.svg',
          bytes: SVG.length,
        },
        { metric: 'the_corrupted_gauntlet', file: 'the corrupted gauntlet.gif', bytes: GIF.length },
        { metric: 'clue_scrolls_all', file: 'Clue Scrolls (All).jpeg', bytes: JPEG.length },
        { metric: 'runecrafting', file: 'runecraft.jpg', bytes: JPEG.length },
        { metric: 'ehp', file: 'EHP.svg', bytes: SVG.length },
      ]),
    );
    expect(result.installed).toHaveLength(8);
    expect(readdirSync(to).sort()).toEqual([
      'chambers_of_xeric.png',
      'chambers_of_xeric_challenge_mode.svg',
      'clue_scrolls_all.jpeg',
      'ehp.svg',
      'kreearra.webp',
      'runecrafting.jpg',
      'the_corrupted_gauntlet.gif',
      'tzkal_zuk.png',
    ]);
    expect(readFileSync(join(to, 'tzkal_zuk.png'))).toEqual(PNG);
    // What was installed is what loadIcons uses.
    const icons = await loadIcons({ overrideDir: to });
    expect(icons.tzkal_zuk).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    expect(decodeSvg(icons.ehp)).toBe(SVG);
  });

  it('checks the content, not just the extension', async () => {
    writeFileSync(join(from, 'zulrah.png'), 'this text mentions GIF89a but is no image');
    writeFileSync(join(from, 'vorkath.png'), JPEG); // a JPEG named .png
    writeFileSync(join(from, 'obor.svg'), '<html><body>not an svg</body></html>');
    writeFileSync(join(from, 'nex.webp'), Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(8)]));
    const result = await installIcons({ from, to });
    expect(result.installed).toEqual([
      { metric: 'vorkath', file: 'vorkath.png', bytes: JPEG.length },
    ]);
    expect(readdirSync(to)).toEqual(['vorkath.jpg']);
    expect(result.skipped.map(({ file }) => file)).toEqual(['nex.webp', 'obor.svg', 'zulrah.png']);
    for (const { reason } of result.skipped) {
      expect(reason).toMatch(/^not a PNG\/JPEG\/GIF\/WEBP\/SVG image/);
    }
  });

  it('skips unknown names with a suggestion, other files, folders, duplicates and large images', async () => {
    writeFileSync(join(from, 'dragon.png'), PNG);
    writeFileSync(join(from, 'zulra.png'), PNG);
    writeFileSync(join(from, 'qqqqqqqq.png'), PNG);
    writeFileSync(join(from, 'readme.txt'), 'hi');
    mkdirSync(join(from, 'nested'));
    writeFileSync(join(from, 'nested', 'zulrah.png'), PNG);
    writeFileSync(join(from, 'vorkath.png'), PNG);
    writeFileSync(join(from, 'Vorkath.svg'), SVG);
    writeFileSync(join(from, 'nex.png'), Buffer.concat([PNG, Buffer.alloc(300 * 1024)]));
    const result = await installIcons({ from, to });
    expect(result.installed).toEqual([
      { metric: 'vorkath', file: 'Vorkath.svg', bytes: SVG.length },
    ]);
    const reasons = Object.fromEntries(result.skipped.map(({ file, reason }) => [file, reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      'dragon.png',
      'nested',
      'nex.png',
      'qqqqqqqq.png',
      'readme.txt',
      'vorkath.png',
      'zulra.png',
    ]);
    expect(reasons['dragon.png']).toBe(
      'no metric named "dragon"; did you mean King Black Dragon (king_black_dragon)?',
    );
    expect(reasons['zulra.png']).toBe('no metric named "zulra"; did you mean Zulrah (zulrah)?');
    expect(reasons['qqqqqqqq.png']).toMatch(/^no metric named "qqqqqqqq"; name the file after/);
    expect(reasons['readme.txt']).toMatch(/^not an image file/);
    expect(reasons.nested).toMatch(/^a folder/);
    expect(reasons['vorkath.png']).toBe(
      'Vorkath.svg is already the image for Vorkath (vorkath); keep only one',
    );
    expect(reasons['nex.png']).toMatch(/^too large \(300 KB > 256 KB\)/);
    const small = await installIcons({ from, to: join(folder, 'small'), maxBytes: 50 });
    expect(small.skipped.find(({ file }) => file === 'Vorkath.svg')?.reason).toBe(
      `too large (${SVG.length} bytes > 50 bytes); make the image smaller (64 × 64 pixels is plenty)`,
    );
  });

  it('replaces an older image of the same metric, never anything else, and leaves no temporary files', async () => {
    mkdirSync(to);
    writeFileSync(join(to, 'zulrah.svg'), SVG);
    writeFileSync(join(to, 'zulrah.jpeg'), JPEG);
    writeFileSync(join(to, 'vorkath.png'), PNG);
    writeFileSync(join(to, 'zulrah-old.png'), PNG);
    writeFileSync(join(to, 'notes.txt'), 'keep me');
    writeFileSync(join(from, 'Zulrah.png'), PNG);
    writeFileSync(join(from, 'vorkath.png'), GIF); // a GIF named .png
    const result = await installIcons({ from, to });
    expect(result.installed.map(({ metric }) => metric)).toEqual(['zulrah', 'vorkath']);
    expect(readdirSync(to).sort()).toEqual([
      'notes.txt',
      'vorkath.gif',
      'zulrah-old.png',
      'zulrah.png',
    ]);
    expect(readFileSync(join(to, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(readFileSync(join(to, 'zulrah.png'))).toEqual(PNG);
  });

  it('creates the target folder, and only when there is something to install', async () => {
    const nested = join(folder, 'a', 'b', 'custom');
    writeFileSync(join(from, 'notes.txt'), 'hi');
    expect(await installIcons({ from, to: nested })).toMatchObject({ installed: [] });
    expect(() => readdirSync(nested)).toThrow();
    writeFileSync(join(from, 'zulrah.png'), PNG);
    await installIcons({ from, to: nested });
    expect(readdirSync(nested)).toEqual(['zulrah.png']);
  });

  it('fails with ICON_INVALID when the source folder cannot be read', async () => {
    const missing = join(folder, 'missing');
    const error = await rejectionOf(installIcons({ from: missing, to }));
    expect(error).toMatchObject({ code: 'ICON_INVALID', path: missing, syscallCode: 'ENOENT' });
    expect(error.message).toBe(`Cannot read the image folder ${missing}: it does not exist`);
  });

  it('fails with WRITE_FAILED when the target cannot be written', async () => {
    writeFileSync(join(from, 'zulrah.png'), PNG);
    const blocker = join(folder, 'blocker');
    writeFileSync(blocker, '');
    const error = await rejectionOf(installIcons({ from, to: join(blocker, 'custom') }));
    expect(error).toMatchObject({ code: 'WRITE_FAILED', path: join(blocker, 'custom') });
    expect(error.syscallCode).toMatch(/^(ENOTDIR|EEXIST)$/);
  });

  it('rejects a bad maxBytes', async () => {
    expect(await rejectionOf(installIcons({ from, to, maxBytes: 0 }))).toMatchObject({
      code: 'INVALID_OPTIONS',
      field: 'maxBytes',
    });
  });

  it('accepts every extension of ICON_EXTENSIONS', () => {
    expect(ICON_EXTENSIONS).toEqual(['.svg', '.png', '.jpg', '.jpeg', '.webp', '.gif']);
  });
});
