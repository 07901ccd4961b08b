/**
 * Test helpers for the end-to-end and crash tests: read what a run left behind (the database, the
 * Excel report, the dashboard), fingerprint it for comparison with an uninterrupted run, and kill
 * a run's whole process group. Used by the tests only; not part of either bundle.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { openStore } from '@clanstats/store';
import ExcelJS from 'exceljs';
import type { TempFolder } from './test-harness.js';

/** Rows of a query on the folder's `clan_data.db`, opened read-only. */
export function query<Row>(folder: TempFolder, sql: string): Row[] {
  const store = openStore(folder.file('clan_data.db'), { readonly: true });
  try {
    return store.db.prepare(sql).all() as Row[];
  } finally {
    store.close();
  }
}

/** The `n` of a `SELECT count(*) AS n …` query. */
export function count(folder: TempFolder, sql: string): number {
  const [row] = query<{ n: number }>(folder, sql);
  return row?.n ?? 0;
}

/** What `PRAGMA integrity_check` says, `['ok']` for a sound database. */
export function integrityCheck(folder: TempFolder): string[] {
  return query<{ integrity_check: string }>(folder, 'PRAGMA integrity_check').map(
    (row) => row.integrity_check,
  );
}

/** Every cell value of an Excel file, sheet by sheet, without the "Data computed at" row. */
export async function workbookFileValues(path: string): Promise<Record<string, unknown[]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheets: Record<string, unknown[]> = {};
  for (const sheet of workbook.worksheets) {
    const rows: unknown[] = [];
    sheet.eachRow((row) => {
      const values = row.values as unknown[];
      if (values[1] !== 'Data computed at') rows.push(JSON.parse(JSON.stringify(values)));
    });
    sheets[sheet.name] = rows;
  }
  return sheets;
}

/** {@link workbookFileValues} of the folder's `out/clan_report_summary_merged.xlsx`. */
export function workbookValues(folder: TempFolder): Promise<Record<string, unknown[]>> {
  return workbookFileValues(folder.file('out/clan_report_summary_merged.xlsx'));
}

/**
 * The data a run harvested, table by table, without what differs between two runs of the same
 * data (run ids, import and fetch times): each as its row count and a hash of its rows in order.
 * Two databases with equal fingerprints hold the same messages, snapshots, values, relay lines,
 * memberships, gains, day counts and links, none missing and none twice.
 */
export const FINGERPRINT_QUERIES = {
  discord_messages:
    'SELECT id, channel_id, author_id, edited_at, type, reply_to_id, in_thread, is_bot, is_webhook, is_question, relay_rsn FROM discord_messages ORDER BY id',
  discord_relay_lines:
    'SELECT message_id, line, normalized_rsn, is_question FROM discord_relay_lines ORDER BY message_id, line',
  discord_author_days: 'SELECT * FROM discord_author_days ORDER BY author_id, day',
  discord_channel_days: 'SELECT * FROM discord_channel_days ORDER BY channel_id, day',
  wom_snapshots: 'SELECT player_id, taken_at FROM wom_snapshots ORDER BY player_id, taken_at',
  wom_snapshot_values:
    'SELECT s.player_id, s.taken_at, m.name, v.value, v.rank, v.level FROM wom_snapshot_values v JOIN wom_snapshots s ON s.id = v.snapshot_id JOIN wom_metrics m ON m.id = v.metric_id ORDER BY s.player_id, s.taken_at, m.name',
  wom_memberships:
    'SELECT group_id, player_id, role, joined_at, left_at FROM wom_memberships ORDER BY group_id, player_id, joined_at',
  wom_window_gains:
    'SELECT g.player_id, g.window_days, m.name, g.range_start, g.range_end, g.start_at, g.end_at, g.start_value, g.end_value, g.gained FROM wom_window_gains g JOIN wom_metrics m ON m.id = g.metric_id ORDER BY g.player_id, g.window_days, m.name',
  identity_links:
    'SELECT discord_user_id, player_id, source, confirmed FROM identity_links ORDER BY discord_user_id, player_id',
} as const;

/** One table's part of {@link databaseFingerprint}. */
export interface TableFingerprint {
  /** Rows. */
  rows: number;
  /** SHA-256 of the rows, in order, as JSON. */
  sha256: string;
}

/** See {@link FINGERPRINT_QUERIES}. */
export function databaseFingerprint(
  folder: TempFolder,
): Record<keyof typeof FINGERPRINT_QUERIES, TableFingerprint> {
  const store = openStore(folder.file('clan_data.db'), { readonly: true });
  try {
    const entries = Object.entries(FINGERPRINT_QUERIES).map(([table, sql]) => {
      const hash = createHash('sha256');
      let rows = 0;
      for (const row of store.db.prepare(sql).iterate()) {
        hash.update(
          JSON.stringify(row, (_key, value: unknown) =>
            typeof value === 'bigint' ? value.toString() : value,
          ),
        );
        hash.update('\n');
        rows += 1;
      }
      return [table, { rows, sha256: hash.digest('hex') }] as const;
    });
    return Object.fromEntries(entries) as Record<
      keyof typeof FINGERPRINT_QUERIES,
      TableFingerprint
    >;
  } finally {
    store.close();
  }
}

/** `clan_data.json` without `generatedAt`, the one field that records when it was written. */
export function comparableClanData(folder: TempFolder): unknown {
  const data = JSON.parse(readFileSync(folder.file('out/clan_data.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete data.generatedAt;
  return data;
}

/** Leftover temporary files (`*.tmp`) in a folder, `[]` when there is none or no folder. */
export function temporaryFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  return readdirSync(path).filter((name) => name.endsWith('.tmp'));
}

/**
 * The outputs at their target paths that are not whole: an Excel report exceljs cannot read, a
 * dashboard that does not end with `</html>`, a `clan_data.json` that does not parse. Missing
 * outputs are not listed (a killed run may not have written them yet).
 */
export async function damagedOutputs(folder: TempFolder): Promise<string[]> {
  const damaged: string[] = [];
  const xlsx = folder.file('out/clan_report_summary_merged.xlsx');
  if (existsSync(xlsx)) {
    try {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(xlsx);
      if (workbook.worksheets.length === 0) damaged.push(`${xlsx}: no worksheet`);
    } catch (error) {
      damaged.push(`${xlsx}: ${(error as Error).message}`);
    }
  }
  const html = folder.file('out/clan_dashboard.html');
  if (existsSync(html) && !readFileSync(html, 'utf8').trimEnd().endsWith('</html>')) {
    damaged.push(`${html}: does not end with </html>`);
  }
  const json = folder.file('out/clan_data.json');
  if (existsSync(json)) {
    try {
      JSON.parse(readFileSync(json, 'utf8'));
    } catch (error) {
      damaged.push(`${json}: ${(error as Error).message}`);
    }
  }
  return damaged;
}

/** Whether any process of the group `pgid` is still running. */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills a whole process group with SIGKILL (no handler runs, like a power cut).
 * @returns `false` when the group had already ended.
 */
export function killGroup(pgid: number): boolean {
  try {
    process.kill(-pgid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** A seeded pseudo-random generator (mulberry32): numbers in `[0, 1)`, the same for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}
