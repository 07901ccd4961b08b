// Hostile text through the whole pipeline: WOM display names, Discord nicknames and global names, the group's
// name carrying markup, `</script>`, quotes, bidi and zero-width characters, a 4-byte
// emoji, line breaks, a 300-character name and spreadsheet formulas, served by the fakes to a real
// `clanstats run`. The log stays one line per event, the dashboard shows them as text and the
// workbook stores them as text.
import { readFileSync, readdirSync } from 'node:fs';
import { createSyntheticClan, HOSTILE_NAMES, type SyntheticClan } from '@clanstats/testkit';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRunFixture, type RunFixture } from './run-fixture.js';
import type { CliResult, TempFolder } from './test-harness.js';

const DAY = 86_400_000;
const T = Math.floor((Date.now() - 2 * DAY) / 3_600_000) * 3_600_000;
/** The testkit's hostile names, plus line and paragraph breaks (which no real service allows). */
const NAMES: readonly string[] = [
  ...HOSTILE_NAMES,
  'Line\r\nBreak<b>',
  'Carriage\rReturn',
  'Sep\u2028Line\u2029Para',
];
/** The name of a never-updated member (the harvest logs it) and the group's name (logged too). */
const UNTRACKED_NAME = 'Untracked\r\n</script><i>x</i>\u2028y';
const GROUP_NAME = 'Clan <b>"&\'</b>\r\n\u2029=1+1';
const LINE_START = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [A-Z]+ +/;

/** A clan whose first current members carry the hostile names, on WOM and on Discord. */
function hostileClan(): SyntheticClan {
  const clan = createSyntheticClan({
    seed: 11,
    members: NAMES.length + 4,
    formerMembers: 2,
    days: 14,
    now: new Date(T).toISOString(),
  });
  NAMES.forEach((name, index) => {
    const member = clan.members[index + 1];
    if (member === undefined) return;
    (member.player as { displayName: string }).displayName = name;
    if (member.discord !== null) {
      const identity = member.discord as { nickname: string | null; globalName: string | null };
      identity.nickname = name;
      identity.globalName = NAMES[(index + 1) % NAMES.length] ?? null;
    }
  });
  const untracked = clan.members.find(
    (member) => member.profile === 'untracked' && member.membership.leftAt === null,
  );
  if (untracked !== undefined) {
    (untracked.player as { displayName: string }).displayName = UNTRACKED_NAME;
  }
  (clan.group as { name: string }).name = GROUP_NAME;
  return clan;
}

let fixture: RunFixture;
let folder: TempFolder;
let result: CliResult;

beforeAll(async () => {
  fixture = await startRunFixture({
    prefix: 'clanstats-hostile-',
    clan: hostileClan(),
    discord: {},
    runArgs: ['--verbose'],
  });
  ({ base: folder, baseRun: result } = fixture);
}, 60_000);

afterAll(async () => {
  await fixture.close();
});

describe('hostile names', () => {
  it('go through a whole run', () => {
    expect(result.code, result.output).toBe(0);
  });

  it('keep app.log and the terminal at one line per event', () => {
    const logs = readdirSync(folder.path).filter((name) => name.startsWith('app.log'));
    const log = logs.map((name) => readFileSync(folder.file(name), 'utf8')).join('');
    for (const line of log.split('\n').slice(0, -1)) expect(line).toMatch(LINE_START);
    expect(log).not.toMatch(/[\r\u2028\u2029]/);
    // The names are there, their breaks escaped.
    expect(log).toContain('Untracked\\r\\n</script><i>x</i>\\u2028y (WOM player');
    expect(log).toContain('Wise Old Man: Clan <b>"&\'</b>\\r\\n\\u2029=1+1, ');
    // Terminal lines: no raw carriage return (it would overwrite the line) or Unicode separators.
    expect(result.output).not.toMatch(/[\r\u2028\u2029]/);
  });

  it('show as text on the dashboard', () => {
    const html = readFileSync(folder.file('out/clan_dashboard.html'), 'utf8');
    // Some of them are on the page (in the data), none of them as markup.
    expect(html).toContain('Dragon');
    for (const name of [...NAMES, UNTRACKED_NAME, GROUP_NAME]) {
      if (/[<>"]/.test(name)) expect(html).not.toContain(name);
    }
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<svg onload');
    expect(html).not.toContain('<b>');
    // The only script elements are the page's own two.
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
  });

  it('are text cells in the workbook, never formulas', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(folder.file('out/clan_report_summary_merged.xlsx'));
    const found = new Set<string>();
    let formulas = 0;
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) => {
        row.eachCell((cell) => {
          if (cell.type === ExcelJS.ValueType.Formula) formulas += 1;
          const value = cell.value;
          if (typeof value === 'string' && NAMES.includes(value)) {
            expect(cell.type, `${sheet.name}!${cell.address}`).toBe(ExcelJS.ValueType.String);
            found.add(value);
          }
        });
      });
    }
    expect(formulas).toBe(0);
    // Every formula-like name is in the workbook, as text.
    for (const name of NAMES.filter((text) => /^[=+\-@]/.test(text))) {
      expect(found, name).toContain(name);
    }
  });
});
