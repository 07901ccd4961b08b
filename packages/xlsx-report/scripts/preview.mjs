// Renders a sample report, converts it with LibreOffice headless (as an office suite opens it) and
// renders the first PDF page to docs/summary.png. Fails when soffice or pdftoppm is missing, when
// the conversion reports an error, or when no PDF comes out.
// Usage: pnpm --filter @clanstats/xlsx-report preview   (needs a prior build; Debian: libreoffice-calc poppler-utils)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPORT_FILE_NAME, writeClanReport } from '../dist/index.js';
import { createSyntheticClanData } from '@clanstats/testkit';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const output = join(packageDir, 'docs', 'summary.png');
const NAMES = [
  'Zezima',
  'Lynx Titan',
  'Sir Gowi',
  'Iron Hyger',
  'B0aty',
  'Woox',
  'Framed',
  'Skiddler',
  'Mmorpg',
  'Torvesta',
  'Settled',
  'Rhys',
  'Faux',
  'Dino',
  'Odablock',
  'Verf',
  'Muts',
  'Coxie',
  'Sparc Mac',
  'Solo Mission',
  'A Friend',
  'Jed',
  'Purpp',
  'Alfie',
  'Mika',
  'Limpwurt',
  'Slayermusiq1',
  'Fantasy',
  'Ditterbitter',
  'Shiddy',
];

function run(command, args, what) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 180_000 });
  if (result.error?.code === 'ENOENT') {
    throw new Error(
      `${command} not found: install ${what} (Debian: apt-get install --no-install-recommends libreoffice-calc poppler-utils)`,
    );
  }
  if (result.error) throw result.error;
  const output = `${result.stdout}\n${result.stderr}`.trim();
  if (result.status !== 0) throw new Error(`${command} exited with ${result.status}:\n${output}`);
  return output;
}

const work = mkdtempSync(join(tmpdir(), 'xlsx-report-preview-'));
try {
  const data = createSyntheticClanData({ members: 30, seed: 3, hostileNames: false });
  data.group.name = 'Nevr Lucky';
  data.members.forEach((member, index) => {
    member.displayName = NAMES[index] ?? member.displayName;
  });
  data.members[4].displayName = '=HYPERLINK("http://x","y")';
  const report = await writeClanReport(data, { path: join(work, REPORT_FILE_NAME) });
  console.log(`wrote ${report.path} (${report.bytes} bytes; sheets: ${report.sheets.join(', ')})`);

  const profile = pathToFileURL(join(work, 'lo-profile')).href;
  const converted = run(
    'soffice',
    [
      `-env:UserInstallation=${profile}`,
      '--headless',
      '--convert-to',
      'pdf',
      '--outdir',
      work,
      report.path,
    ],
    'LibreOffice',
  );
  console.log(converted);
  // LibreOffice prints "Error: source file could not be loaded" and the like; javaldx is noise.
  const problems = converted
    .split('\n')
    .filter((line) => !/javaldx/.test(line))
    .join('\n');
  if (/error|failed|repair|corrupt/i.test(problems))
    throw new Error(`LibreOffice reported a problem:\n${converted}`);
  const pdf = join(work, REPORT_FILE_NAME.replace(/\.xlsx$/, '.pdf'));
  if (!existsSync(pdf)) throw new Error(`LibreOffice produced no PDF:\n${converted}`);

  run(
    'pdftoppm',
    ['-png', '-r', '80', '-f', '1', '-l', '1', pdf, join(work, 'page')],
    'poppler-utils',
  );
  const page = readdirSync(work).find((name) => /^page-0*1\.png$/.test(name));
  if (page === undefined) throw new Error('pdftoppm produced no PNG');
  mkdirSync(dirname(output), { recursive: true });
  copyFileSync(join(work, page), output);
  console.log(`preview: ${output}`);
} catch (error) {
  console.error(`preview failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
