import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smallClan } from './__fixtures__/small-clan.js';
import JSZip from 'jszip';
import {
  REPORT_FILE_NAME,
  renderClanReport,
  STREAMING_THRESHOLD,
  writeClanReport,
  XlsxReportError,
} from './index.js';

/** Paths whose rename fails as if another program held them open (Excel on Windows). */
const locked = new Map<string, string>();

// rename is replaced on node:fs/promises itself and the change copied to every module's named
// import (not vi.mock, which misses a module another test file has already loaded in this worker).
const realRename = fsPromises.rename;
beforeAll(() => {
  fsPromises.rename = (async (from: string, to: string) => {
    const code = locked.get(to);
    if (code !== undefined)
      throw Object.assign(
        new Error(`${code}: resource busy or locked, rename '${from}' -> '${to}'`),
        { code },
      );
    return realRename(from, to);
  }) as typeof fsPromises.rename;
  syncBuiltinESMExports();
});
afterAll(() => {
  fsPromises.rename = realRename;
  syncBuiltinESMExports();
});

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'xlsx-report-'));
});
afterEach(() => {
  locked.clear();
  rmSync(folder, { recursive: true, force: true });
});

// 2026-03-31T10:11:12Z is 12:11:12 in Amsterdam (the clan's zone).
const now = (): Date => new Date('2026-03-31T10:11:12.000Z');

/** The names of the Excel Tables in an .xlsx file. */
async function tablesOf(buffer: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(buffer);
  return Object.keys(zip.files).filter((file) => /^xl\/tables\/table\d+\.xml$/.test(file));
}

describe.each([false, true])('writeClanReport (streaming: %s)', (streaming) => {
  it('writes the report and leaves no temporary file', async () => {
    const path = join(folder, REPORT_FILE_NAME);
    writeFileSync(path, 'old report');
    const result = await writeClanReport(smallClan(), { path, now, streaming });
    expect(result).toMatchObject({ path, fallback: false, streamed: streaming });
    expect(result.sheets[0]).toBe('Summary');
    expect(result.bytes).toBe(statSync(path).size);
    expect(readdirSync(folder)).toEqual([REPORT_FILE_NAME]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(path) as unknown as ExcelJS.Buffer);
    expect(workbook.getWorksheet('Summary')?.getCell('A2').value).toBe('Zezima');
  });

  it.each(['EBUSY', 'EPERM', 'EACCES'])(
    'writes a timestamped copy when the target is locked (%s)',
    async (code) => {
      const path = join(folder, REPORT_FILE_NAME);
      writeFileSync(path, 'open in Excel');
      locked.set(path, code);
      const result = await writeClanReport(smallClan(), { path, now, streaming });
      const copy = join(folder, 'clan_report_summary_merged-20260331-121112.xlsx');
      expect(result).toMatchObject({ path: copy, fallback: true });
      expect(readFileSync(path, 'utf8')).toBe('open in Excel');
      expect(readdirSync(folder).sort()).toEqual(
        ['clan_report_summary_merged-20260331-121112.xlsx', REPORT_FILE_NAME].sort(),
      );
      expect(statSync(copy).size).toBe(result.bytes);
      expect(result.streamed).toBe(streaming);
      expect(await tablesOf(readFileSync(copy))).toEqual(
        streaming ? [] : expect.arrayContaining(['xl/tables/table1.xml']),
      );
    },
  );

  it('fails with WRITE_FAILED when the copy cannot be written either', async () => {
    const path = join(folder, REPORT_FILE_NAME);
    locked.set(path, 'EBUSY');
    locked.set(join(folder, 'clan_report_summary_merged-20260331-121112.xlsx'), 'EBUSY');
    await expect(writeClanReport(smallClan(), { path, now, streaming })).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      syscallCode: 'EBUSY',
      path: join(folder, 'clan_report_summary_merged-20260331-121112.xlsx'),
    });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('fails with WRITE_FAILED, cleaning up, when the target is a folder or the folder is missing', async () => {
    const path = join(folder, REPORT_FILE_NAME);
    mkdirSync(path);
    const error = await writeClanReport(smallClan(), { path, streaming }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(XlsxReportError);
    expect(error).toMatchObject({ code: 'WRITE_FAILED', path, syscallCode: 'EISDIR' });
    expect(readdirSync(folder)).toEqual([REPORT_FILE_NAME]);
    await expect(
      writeClanReport(smallClan(), { path: join(folder, 'missing', REPORT_FILE_NAME), streaming }),
    ).rejects.toMatchObject({ code: 'WRITE_FAILED', syscallCode: 'ENOENT' });
  });

  it('removes the temporary file when rendering fails', async () => {
    const data = smallClan();
    // Validation does not read the gains; the Summary sheet does.
    Object.defineProperty(data.members[0]?.windows['7d'] as object, 'xp', {
      get: () => {
        throw new Error('boom');
      },
    });
    await expect(
      writeClanReport(data, { path: join(folder, REPORT_FILE_NAME), streaming }),
    ).rejects.toMatchObject({ code: 'RENDER_FAILED', cause: new Error('boom') });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('rejects a missing path', async () => {
    await expect(writeClanReport(smallClan(), { path: '' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      field: 'path',
    });
  });
});

describe("streaming: 'auto'", () => {
  it(`streams above STREAMING_THRESHOLD (${STREAMING_THRESHOLD}) members, or the given threshold`, async () => {
    expect(STREAMING_THRESHOLD).toBe(1500);
    const path = join(folder, REPORT_FILE_NAME);
    const members = smallClan().members.length;
    const byDefault = await writeClanReport(smallClan(), { path });
    expect(byDefault.streamed).toBe(false);
    expect(await tablesOf(readFileSync(path))).toContain('xl/tables/table1.xml');
    const atThreshold = await writeClanReport(smallClan(), {
      path,
      streaming: 'auto',
      streamingThreshold: members,
    });
    expect(atThreshold.streamed).toBe(false);
    const above = await writeClanReport(smallClan(), {
      path,
      streaming: 'auto',
      streamingThreshold: members - 1,
    });
    expect(above.streamed).toBe(true);
    expect(await tablesOf(readFileSync(path))).toEqual([]);
    expect(
      await tablesOf(await renderClanReport(smallClan(), { streamingThreshold: members - 1 })),
    ).toEqual([]);
    expect(await tablesOf(await renderClanReport(smallClan()))).not.toEqual([]);
  });

  it('rejects invalid streaming options', async () => {
    const path = join(folder, REPORT_FILE_NAME);
    await expect(
      writeClanReport(smallClan(), { path, streaming: 'yes' as 'auto' }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', field: 'streaming' });
    await expect(
      writeClanReport(smallClan(), { path, streamingThreshold: -1 }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', field: 'streamingThreshold' });
  });
});
