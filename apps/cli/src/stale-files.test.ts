import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStaleTemporaryFiles } from './stale-files.js';
import { createTempFolder, type TempFolder } from './test-harness.js';

/** A pid no process has (above the Linux maximum of 2^22). */
const DEAD_PID = 4_194_400;

describe('removeStaleTemporaryFiles', () => {
  let folder: TempFolder;
  afterEach(() => {
    folder.remove();
  });

  it('removes what a killed writer left, keeps the outputs, other files and a live writer', () => {
    folder = createTempFolder('clanstats-stale-');
    const left = [
      `.clan_report_summary_merged.xlsx.${DEAD_PID}-0a1b2c3d.tmp`,
      `.clan_dashboard.html.${DEAD_PID}.deadbeef.tmp`,
      `clan_data.json.${DEAD_PID}.tmp`,
    ];
    const kept = [
      'clan_report_summary_merged.xlsx',
      'clan_dashboard.html',
      'clan_data.json',
      `.clan_dashboard.html.${process.ppid}.cafe0123.tmp`, // a live writer
      `notes.${DEAD_PID}.tmp`, // not ours
    ];
    for (const name of [...left, ...kept]) writeFileSync(folder.file(name), 'x');

    expect(removeStaleTemporaryFiles(folder.path).sort()).toEqual([...left].sort());
    expect(readdirSync(folder.path).sort()).toEqual([...kept].sort());
  });

  it('removes an hour-old temporary file whatever its pid (a folder shared with another machine)', () => {
    folder = createTempFolder('clanstats-stale-');
    const name = `clan_data.json.${process.ppid}.tmp`;
    writeFileSync(folder.file(name), 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(folder.file(name), twoHoursAgo, twoHoursAgo);
    expect(removeStaleTemporaryFiles(folder.path)).toEqual([name]);
    expect(existsSync(folder.file(name))).toBe(false);
  });

  it('says nothing about a folder that does not exist', () => {
    folder = createTempFolder('clanstats-stale-');
    expect(removeStaleTemporaryFiles(folder.file('missing'))).toEqual([]);
  });
});
