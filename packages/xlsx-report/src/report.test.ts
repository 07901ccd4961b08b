import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { HOSTILE, smallClan } from './__fixtures__/small-clan.js';
import { isXlsxReportError, renderClanReport, type ReportData } from './index.js';

const SHEETS = [
  'Summary',
  'Skills',
  'Bosses',
  'Discord',
  'Inactivity',
  'Rank-ups',
  'Roster changes',
  'Unlinked Discord',
  'About',
];

interface Opened {
  workbook: ExcelJS.Workbook;
  zip: JSZip;
  xml: (name: string) => Promise<string>;
  sheetXml: (sheet: string) => Promise<string>;
}

async function open(buffer: Buffer): Promise<Opened> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  const zip = await JSZip.loadAsync(buffer);
  const xml = async (name: string): Promise<string> => {
    const file = zip.file(name);
    if (file === null) throw new Error(`${name} is missing`);
    return file.async('string');
  };
  const sheetXml = async (sheet: string): Promise<string> => {
    const index = SHEETS.indexOf(sheet) + 1;
    return xml(`xl/worksheets/sheet${index}.xml`);
  };
  return { workbook, zip, xml, sheetXml };
}

function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = workbook.getWorksheet(name);
  if (found === undefined) throw new Error(`no sheet ${name}`);
  return found;
}

function headers(worksheet: ExcelJS.Worksheet, row = 1): string[] {
  const values = worksheet.getRow(row).values as unknown[];
  return values.slice(1).map(String);
}

/** The row values of the member named `name` in a sheet whose first column holds names. */
function rowOf(worksheet: ExcelJS.Worksheet, name: string, headerRow = 1): Record<string, unknown> {
  const names = headers(worksheet, headerRow);
  for (let row = headerRow + 1; row <= worksheet.rowCount; row += 1) {
    if (worksheet.getCell(row, 1).value === name) {
      return Object.fromEntries(
        names.map((header, index) => [header, worksheet.getCell(row, index + 1).value]),
      );
    }
  }
  throw new Error(`no row for ${name}`);
}

const MODES = [
  { mode: 'in-memory Workbook', streaming: false },
  { mode: 'streaming WorkbookWriter', streaming: true },
] as const;

describe.each(MODES)('renderClanReport ($mode)', ({ streaming }) => {
  const rendered = renderClanReport(smallClan(), { streaming });

  it('writes the sheets in order, Summary first', async () => {
    const { workbook, xml } = await open(await rendered);
    expect(workbook.worksheets.map((worksheet) => worksheet.name)).toEqual(SHEETS);
    expect(await xml('xl/workbook.xml')).toMatch(/<sheets><sheet sheetId="1" name="Summary"/);
  });

  it('has the Summary headers exactly', async () => {
    const { workbook } = await open(await rendered);
    const names = headers(sheet(workbook, 'Summary'));
    for (const required of [
      'Name',
      'Role',
      'Status',
      'Score',
      'XP 7d',
      'XP 30d',
      'Messages 7d',
      'Messages 30d',
      'Boss kills 7d',
      'Boss kills 30d',
    ])
      // prettier-ignore
      expect(names).toContain(required);
    expect(names[0]).toBe('Name');
    expect([names[6], names[29]]).toEqual(['Messages 7d', 'Boss kills 365d']); // columns G, AD
    for (const window of ['7d', '30d', '90d', '365d'])
      for (const metric of ['Messages', 'Clan chat', 'XP', 'EHP', 'EHB', 'Boss kills'])
        expect(names).toContain(`${metric} ${window}`);
  });

  it('writes the known figures of a member, sorted by score', async () => {
    const { workbook } = await open(await rendered);
    const summary = sheet(workbook, 'Summary');
    expect(summary.getCell('A2').value).toBe('Zezima');
    expect(summary.getCell('A3').value).toBe(HOSTILE[2]); // score 42
    const zezima = rowOf(summary, 'Zezima');
    expect(zezima).toMatchObject({
      Role: 'recruit',
      Status: 'Active',
      Score: 120.5,
      'Suggested rank': 'sergeant',
      'Tenure (days)': 303,
      'XP 7d': 1_234_567,
      'XP 30d': 5_000_000,
      'EHP 7d': 3.25,
      'Messages 7d': 5,
      'Messages 30d': 20,
      'Clan chat 30d': 30,
      'Boss kills 7d': 12,
      'Boss kills 30d': 40,
      'Total XP': 150_000_000,
      'Messages since joining': 310,
      Discord: 'Zez',
      'Former names': 'Zezima Old',
    });
    // 2026-03-30T22:30Z is 00:30 on 31 March in Amsterdam (CEST); joined 2025-06-01T22:30Z is 2 June.
    expect(zezima['Last active']).toEqual(new Date(Date.UTC(2026, 2, 31, 0, 30)));
    expect(zezima.Joined).toEqual(new Date(Date.UTC(2025, 5, 2)));
    expect(zezima['Days since active']).toBe(0);
    // Unknown gains stay empty rather than 0.
    const noBaseline = rowOf(summary, HOSTILE[2]);
    expect(noBaseline['XP 365d']).toBeNull();
    expect(noBaseline['XP 90d']).toBe(0);
  });

  it.runIf(!streaming)('makes the Summary an Excel Table with autofilter', async () => {
    const { xml } = await open(await rendered);
    const table = await xml('xl/tables/table1.xml');
    expect(table).toMatch(/name="Summary"/);
    const ref = /<table [^>]*ref="([A-Z]+\d+:[A-Z]+\d+)"/.exec(table)?.[1];
    expect(ref).toMatch(/^A1:[A-Z]+5$/);
    expect(table).toContain(`<autoFilter ref="${ref ?? ''}"`);
    expect(table).toContain('<tableColumn id="1" name="Name"');
  });

  it.runIf(streaming)('gives each sheet an autoFilter instead of an Excel Table', async () => {
    const { sheetXml, zip } = await open(await rendered);
    expect(Object.keys(zip.files).filter((file) => file.startsWith('xl/tables/'))).toEqual([]);
    expect(await sheetXml('Summary')).toMatch(/<autoFilter ref="A1:[A-Z]+5"\/>/);
    // The first table of a sheet with several (Discord: members, then channels).
    expect(await sheetXml('Discord')).toMatch(/<autoFilter ref="A2:M6"\/>/);
    expect(await sheetXml('Skills')).toMatch(/<autoFilter ref="A3:E7"\/>/);
    // Headers are bold cells; widths are fitted before the first row is written.
    const { workbook } = await open(await rendered);
    const summary = sheet(workbook, 'Summary');
    expect(summary.getCell('A1').font).toMatchObject({ bold: true });
    expect(summary.getColumn(1).width).toBeGreaterThan(8);
  });

  it('freezes the header row and the name column', async () => {
    const { sheetXml, workbook } = await open(await rendered);
    expect(await sheetXml('Summary')).toMatch(
      /<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"\/>/,
    );
    expect(sheet(workbook, 'Summary').views[0]).toMatchObject({
      state: 'frozen',
      xSplit: 1,
      ySplit: 1,
    });
  });

  it('adds real conditional-format rules on the Summary', async () => {
    const { sheetXml } = await open(await rendered);
    const xml = await sheetXml('Summary');
    const blocks = [
      ...xml.matchAll(
        /<conditionalFormatting sqref="([^"]+)">([\s\S]*?)<\/conditionalFormatting>/g,
      ),
    ];
    const byRule = (type: string): string[] =>
      blocks
        .filter((block) => (block[2] ?? '').includes(`type="${type}"`))
        .map((block) => block[1] ?? '');
    expect(byRule('colorScale').length).toBe(24);
    expect(byRule('dataBar')).toEqual(['D2:D5']);
    expect(byRule('cellIs')).toEqual(['C2:C5']);
    const expressions = blocks.filter((block) => (block[2] ?? '').includes('type="expression"'));
    const formulas = expressions.flatMap((block) =>
      [...(block[2] ?? '').matchAll(/<formula>([^<]*)<\/formula>/g)].map((match) => match[1]),
    );
    expect(formulas).toContain('AND(ISNUMBER(G2),G2=0)');
    expect(formulas).toContain('$C2=&quot;Inactive&quot;');
    const zero = expressions.find((block) => (block[2] ?? '').includes('ISNUMBER(G2)'));
    expect(zero?.[1]).toBe('G2:AD5'); // Messages 7d … Boss kills 365d
    const inactiveRows = expressions.find((block) => (block[2] ?? '').includes('Inactive'));
    expect(inactiveRows?.[1]).toMatch(/^A2:[A-Z]+5$/);
    // The rules' formats are differential styles.
    expect(xml).toMatch(/dxfId="\d+"/);
  });

  it('uses readable number formats', async () => {
    const { workbook } = await open(await rendered);
    const summary = sheet(workbook, 'Summary');
    const names = headers(summary);
    const format = (header: string): string | undefined =>
      summary.getCell(2, names.indexOf(header) + 1).numFmt;
    expect(format('XP 7d')).toBe('#,##0');
    expect(format('EHP 7d')).toBe('#,##0.0');
    expect(format('Joined')).toBe('yyyy-mm-dd');
    expect(format('Last active')).toBe('yyyy-mm-dd hh:mm');
    expect(summary.getColumn(1).width).toBeGreaterThan(8);
  });

  it('follows the dateFormat and window options', async () => {
    const { workbook } = await open(
      await renderClanReport(smallClan(), { dateFormat: 'dd/mm/yyyy', window: '7d', streaming }),
    );
    const summary = sheet(workbook, 'Summary');
    expect(summary.getCell(2, headers(summary).indexOf('Joined') + 1).numFmt).toBe('dd/mm/yyyy');
    const skills = sheet(workbook, 'Skills');
    expect(headers(skills, 3)).toEqual(['Name', 'Role', 'XP 7d', 'Attack', 'Slayer']);
    expect(rowOf(skills, 'Zezima', 3)).toMatchObject({
      'XP 7d': 1_234_567,
      Attack: 1_000_000,
      Slayer: 234_567,
    });
  });

  it('fills Skills, Bosses, Discord, Inactivity, Rank-ups, Roster changes, Unlinked Discord and About', async () => {
    const { workbook } = await open(await rendered);
    const skills = sheet(workbook, 'Skills');
    expect(rowOf(skills, 'Zezima', 3)).toMatchObject({
      'XP 30d': 5_000_000,
      Attack: 3_000_000,
      Slayer: 2_000_000,
    });
    expect(rowOf(skills, HOSTILE[3], 3)).toMatchObject({ Attack: 0 });
    const bosses = sheet(workbook, 'Bosses');
    expect(headers(bosses, 3)).toEqual(['Name', 'Role', 'Boss kills 30d', 'Vorkath', 'Zulrah']);
    expect(rowOf(bosses, 'Zezima', 3)).toMatchObject({ Zulrah: 30, Vorkath: 10 });

    const discord = sheet(workbook, 'Discord');
    expect(discord.getCell('A1').value).toBe('Members');
    expect(rowOf(discord, 'Zezima', 2)).toMatchObject({
      'Messages 30d': 20,
      'Questions 30d': 3,
      'Answers 30d': 4,
      'Median answer time 30d (min)': 2,
    });
    let channelHeader = 0;
    discord.eachRow((row, number) => {
      if (row.getCell(1).value === 'Channel') channelHeader = number;
    });
    expect(rowOf(discord, HOSTILE[2], channelHeader)).toMatchObject({
      Kind: 'Thread',
      Parent: HOSTILE[0],
      'Messages 30d': 2,
    });

    const inactivity = sheet(workbook, 'Inactivity');
    expect(inactivity.getCell('A4').value).toBe('Name');
    expect(inactivity.getCell('A5').value).toBe(HOSTILE[0]); // inactive first
    expect(rowOf(inactivity, HOSTILE[0], 4)).toMatchObject({
      Status: 'Inactive',
      'Threshold (days)': 14,
      Reason: 'over 14 d on wom (90 d), discord (80 d)',
      'WOM days': 90,
      'Discord days': 80,
      'Clan chat days': null,
    });

    const rankUps = sheet(workbook, 'Rank-ups');
    expect(rowOf(rankUps, 'Zezima', 3)).toMatchObject({
      'Suggested role': 'sergeant',
      Score: 120.5,
    });

    const roster = sheet(workbook, 'Roster changes');
    expect(headers(roster)).toEqual([
      'When',
      'Change',
      'Name',
      'Details',
      'Still a member',
      'Source',
    ]);
    expect(roster.getCell('B2').value).toBe('Name changed'); // newest first
    expect(roster.getCell('D2').value).toBe('Zezima Old → Zezima');
    expect(roster.getCell('A2').value).toEqual(new Date(Date.UTC(2026, 2, 22, 9, 0)));
    expect([
      roster.getCell('B4').value,
      roster.getCell('C4').value,
      roster.getCell('E4').value,
    ]).toEqual(['Left', 'Gone Guy', 'no']);

    const unlinked = sheet(workbook, 'Unlinked Discord');
    expect(rowOf(unlinked, HOSTILE[3], 3)).toMatchObject({
      'Messages 30d': 4,
      'Discord user id': '500000000000000099',
    });

    const about = sheet(workbook, 'About');
    const items = new Map<unknown, unknown>();
    about.eachRow((row) => items.set(row.getCell(1).value, row.getCell(2).value));
    expect(items.get('Clan')).toBe('Nevr Lucky');
    expect(items.get('Data as of')).toEqual(new Date(Date.UTC(2026, 2, 31, 14, 0)));
    expect(String(items.get('Time zone'))).toContain('Europe/Amsterdam');
    expect(items.get('Score formula')).toBe(
      '(messages + clan chat) × 6 + XP / 100,000 × 1 + EHP × 0 + EHB × 0 + boss kills × 3',
    );
    expect(String(items.get('Generator'))).toMatch(/^@clanstats\/xlsx-report /);
  });

  it('writes player and Discord text as text, never as formulas', async () => {
    const buffer = await rendered;
    const { zip, workbook, xml } = await open(buffer);
    for (const name of Object.keys(zip.files).filter((file) =>
      file.startsWith('xl/worksheets/sheet'),
    )) {
      expect(await xml(name), name).not.toMatch(/<f[ >]/);
    }
    const found = new Map<string, number>();
    for (const worksheet of workbook.worksheets) {
      worksheet.eachRow((row) => {
        row.eachCell((cell) => {
          expect(cell.type, `${worksheet.name}!${cell.address}`).not.toBe(
            ExcelJS.ValueType.Formula,
          );
          for (const text of HOSTILE) {
            if (cell.value === text) {
              found.set(text, (found.get(text) ?? 0) + 1);
              expect(cell.numFmt, `${worksheet.name}!${cell.address}`).toBe('@');
            }
          }
        });
      });
    }
    for (const text of HOSTILE) expect(found.get(text), text).toBeGreaterThan(0);
    // As display names (Summary), channel names (Discord) and Discord names (Unlinked Discord).
    expect(sheet(workbook, 'Summary').getCell('A3').value).toBe('-1+2');
    expect(rowOf(sheet(workbook, 'Summary'), HOSTILE[0]).Discord).toBe(HOSTILE[1]);
    // Shared strings hold the exact text; the text style carries quotePrefix.
    const shared = await xml('xl/sharedStrings.xml');
    expect(shared).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)');
    const styles = await xml('xl/styles.xml');
    expect(styles).toMatch(/<xf numFmtId="49" quotePrefix="1"/);
    expect(styles.match(/quotePrefix/g)?.length).toBe(styles.match(/<xf numFmtId="49"/g)?.length);
  });

  it('renders a clan without channels, per-skill XP, members or events', async () => {
    const data = smallClan();
    const bare: ReportData = {
      ...data,
      members: data.members.map((member) => ({
        ...member,
        windows: Object.fromEntries(
          Object.entries(member.windows).map(([key, window]) => {
            const rest: Partial<typeof window> = { ...window };
            delete rest.xpBySkill;
            return [key, rest];
          }),
        ) as typeof member.windows,
      })),
    };
    delete bare.channels;
    const { workbook } = await open(await renderClanReport(bare, { streaming }));
    expect(sheet(workbook, 'Skills').getCell('A2').text).toContain('xpBySkill');
    let note = '';
    sheet(workbook, 'Discord').eachRow((row) => {
      const value = row.getCell(1).value;
      if (typeof value === 'string' && value.includes('channels')) note = value;
    });
    expect(note).toContain('no per-channel figures');

    const empty = {
      ...data,
      members: [],
      events: [],
      rankUps: [],
      unmatchedDiscord: [],
      channels: [],
    };
    const opened = await open(await renderClanReport(empty, { streaming }));
    expect(opened.workbook.worksheets.map((worksheet) => worksheet.name)).toEqual(SHEETS);
    expect(headers(sheet(opened.workbook, 'Summary'))[0]).toBe('Name');
    expect(sheet(opened.workbook, 'Summary').getCell('A2').value).toBe(
      'The clan has no current members.',
    );
  });

  it('rejects unusable data and options with stable codes', async () => {
    const error = await renderClanReport(
      { ...smallClan(), timezone: 'Mars/Olympus' },
      { streaming },
    ).catch((caught: unknown) => caught);
    expect(isXlsxReportError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'INVALID_DATA',
      field: 'timezone',
      name: 'XlsxReportError',
    });
    await expect(
      renderClanReport({ ...smallClan(), members: 'x' } as unknown as ReportData),
    ).rejects.toMatchObject({
      code: 'INVALID_DATA',
      field: 'members',
    });
    const broken = smallClan();
    (broken.members[0] as { windows: unknown }).windows = {};
    await expect(renderClanReport(broken)).rejects.toMatchObject({
      field: 'members[0].windows.7d',
    });
    await expect(renderClanReport(smallClan(), { window: '14d' as '7d' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      field: 'window',
    });
  });
});
