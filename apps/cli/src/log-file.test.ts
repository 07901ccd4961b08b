import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeLineBreaks, formatLogLine, LogFile } from './log-file.js';
import { createTempFolder, type TempFolder } from './test-harness.js';

let folder: TempFolder;
beforeEach(() => {
  folder = createTempFolder();
});
afterEach(() => {
  folder.remove();
});

describe('LogFile', () => {
  it('appends lines', () => {
    const log = new LogFile(folder.file('app.log'));
    expect(log.appendLine('one')).toBe(true);
    expect(log.appendLine('two')).toBe(true);
    expect(readFileSync(folder.file('app.log'), 'utf8')).toBe('one\ntwo\n');
  });

  it('rotates by size, keeping the configured number of old files', () => {
    const path = folder.file('app.log');
    const log = new LogFile(path, { maxBytes: 100, keep: 3 });
    const line = (index: number): string =>
      `line ${String(index).padStart(3, '0')} ${'x'.repeat(30)}`; // 40 bytes + \n
    for (let index = 0; index < 20; index += 1) log.appendLine(line(index));
    // Two lines fit in 100 bytes; a third would not.
    expect(readFileSync(path, 'utf8')).toBe(`${line(18)}\n${line(19)}\n`);
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(`${line(16)}\n${line(17)}\n`);
    expect(readFileSync(`${path}.2`, 'utf8')).toBe(`${line(14)}\n${line(15)}\n`);
    expect(readFileSync(`${path}.3`, 'utf8')).toBe(`${line(12)}\n${line(13)}\n`);
    expect(existsSync(`${path}.4`)).toBe(false);
  });

  it('counts an existing file towards the limit', () => {
    const path = folder.file('app.log');
    writeFileSync(path, `${'y'.repeat(90)}\n`);
    new LogFile(path, { maxBytes: 100, keep: 1 }).appendLine('next line here');
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(`${'y'.repeat(90)}\n`);
    expect(readFileSync(path, 'utf8')).toBe('next line here\n');
  });

  it('does not throw when the file cannot be written', () => {
    writeFileSync(folder.file('blocker'), 'a file, not a folder');
    const log = new LogFile(folder.file('blocker/app.log'));
    expect(log.appendLine('lost')).toBe(false);
    expect(log.appendLine('lost again')).toBe(false);
  });
});

describe('formatLogLine', () => {
  it('writes one line per event with an ISO timestamp', () => {
    const date = new Date('2026-11-24T18:40:00.123Z');
    expect(formatLogLine(date, 'info', 'migrate', 'Applied 0001')).toBe(
      '2026-11-24T18:40:00.123Z INFO  [migrate] Applied 0001',
    );
    expect(formatLogLine(date, 'error', '', 'first\nsecond\r\nthird')).toBe(
      '2026-11-24T18:40:00.123Z ERROR first\\nsecond\\r\\nthird',
    );
    expect(escapeLineBreaks('a\nb')).toBe('a\\nb');
  });
});
