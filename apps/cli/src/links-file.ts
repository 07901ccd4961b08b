/**
 * The clan leader's links file: `clanstats.links.json` (or `clanstats.links.csv`) in the working
 * directory, the source of truth for manual Discord ↔ RuneScape links and "not linked" marks.
 *
 * Pure: parsing, validation, resolution against the names the store knows, and editing all work
 * on strings and plain data; the caller reads and writes the file ({@link writeFileAtomically}
 * is the one helper that touches the disk). Only stages import this module (it uses the store's
 * name normalisation).
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { normalizeRsn, type LinkCandidatePlayer, type LinkCandidateUser } from '@clanstats/store';
import * as z from 'zod';
import { formatJsonPath } from './config.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { findJsonSyntaxProblem } from './json-syntax.js';

/** The JSON links file's name, looked up in the working directory. */
export const LINKS_JSON_FILE_NAME = 'clanstats.links.json';

/** The CSV links file's name, looked up in the working directory. */
export const LINKS_CSV_FILE_NAME = 'clanstats.links.csv';

/** The `$comment` written into a links file that `clanstats link` creates. */
export const LINKS_FILE_COMMENT =
  'Links between Discord users and RuneScape names, kept by the clan leader. "links": who is who (these always win over automatic name matches). "notLinked": who is NOT that player (leave out "rsn" to never link that Discord user automatically). "discord" is a user id, @username or a unique nickname; "rsn" a current or former RuneScape name. Edit by hand or with "clanstats link"; see "Linking Discord and RuneScape names" in the ClanStats README.';

/** One entry of the links file, validated but not yet resolved. */
export interface LinksFileEntry {
  /** `link`: this user is this player; `notLinked`: this user is not (or never automatically). */
  kind: 'link' | 'notLinked';
  /** As written: a user id, `@username`, or a nickname or display name. */
  discord: string;
  /** As written: a current or former RSN; `null` only for a `notLinked` entry about any player. */
  rsn: string | null;
  /** The leader's note, if any. */
  note: string | undefined;
  /** Where it is, for messages: `links[2]` (JSON) or `line 4` (CSV). */
  where: string;
  /** JSON: the index in its list. CSV: the record's first and last line (one-based). */
  position: { index: number } | { firstLine: number; lastLine: number };
}

/** A links file read from disk. */
export interface LinksFile {
  /** `json` or `csv`. */
  format: 'json' | 'csv';
  /** The absolute path. */
  path: string;
  /** The file name, for messages. */
  label: string;
  /** The text as read (a leading byte-order mark removed). */
  text: string;
  /** Every entry, in file order (JSON: `links` first, then `notLinked`). */
  entries: LinksFileEntry[];
}

// ------------------------------------------------------------------ validation of single fields

const VALID_RSN = /^[a-z0-9 ]{1,12}$/;

/** Why `value` is not a valid `discord` field, or `undefined` when it is. */
export function discordFieldProblem(value: string): string | undefined {
  const text = value.trim();
  if (text === '') return 'must not be empty: give a Discord user id, @username or nickname';
  if (/^\d+$/.test(text)) {
    return text.length >= 17 && text.length <= 20
      ? undefined
      : `looks like a Discord user id but has ${text.length} digits; ids have 17 to 20 (in Discord, turn on Developer Mode, then right-click the user → Copy User ID)`;
  }
  if (text.startsWith('@')) {
    const name = text.slice(1);
    return name.length >= 2 && name.length <= 32 && !/[@#:\s]/.test(name)
      ? undefined
      : `"${text}" is not a Discord @username (2 to 32 characters after the @, no spaces)`;
  }
  return text.length <= 100 ? undefined : 'is too long for a Discord name (100 characters at most)';
}

/** Why `value` is not a valid RuneScape name, or `undefined` when it is. */
export function rsnFieldProblem(value: string): string | undefined {
  return VALID_RSN.test(normalizeRsn(value))
    ? undefined
    : `"${value}" is not a RuneScape name (1 to 12 letters, digits, spaces, - or _)`;
}

// ------------------------------------------------------------------ JSON

const discordField = z
  .string({ error: 'must be a Discord user id, @username or nickname in double quotes' })
  .superRefine((value, context) => {
    const problem = discordFieldProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });
const rsnField = z
  .string({ error: 'must be a RuneScape name in double quotes' })
  .superRefine((value, context) => {
    const problem = rsnFieldProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });
const noteField = z
  .string({ error: 'must be text in double quotes' })
  .max(500, { error: 'is too long (500 characters at most)' });

const linksJsonSchema = z.strictObject({
  $schema: z.string({ error: 'must be text in double quotes' }).optional(),
  $comment: z.string({ error: 'must be text in double quotes' }).optional(),
  links: z
    .array(z.strictObject({ discord: discordField, rsn: rsnField, note: noteField.optional() }), {
      error: 'must be a list: [ { "discord": "…", "rsn": "…" } ]',
    })
    .optional(),
  notLinked: z
    .array(
      z.strictObject({
        discord: discordField,
        rsn: rsnField.optional(),
        note: noteField.optional(),
      }),
      { error: 'must be a list: [ { "discord": "…", "rsn": "…" } ]' },
    )
    .optional(),
});

const ALLOWED_KEYS: Readonly<Record<string, readonly string[]>> = {
  top: ['links', 'notLinked', '$comment', '$schema'],
  entry: ['discord', 'rsn', 'note'],
};

function jsonIssue(issue: z.core.$ZodIssue, label: string): ConfigIssue[] {
  const at = (path: readonly PropertyKey[], text: string): ConfigIssue => ({
    setting: formatJsonPath(path),
    message: `${label}: ${formatJsonPath(path)}: ${text}`,
  });
  if (issue.code === 'unrecognized_keys') {
    const allowed = issue.path.length === 0 ? ALLOWED_KEYS.top : ALLOWED_KEYS.entry;
    return issue.keys.map((key) =>
      at([...issue.path, key], `unknown key (allowed here: ${(allowed ?? []).join(', ')})`),
    );
  }
  if (issue.code === 'invalid_type' && issue.path.length === 2) {
    return [at(issue.path, 'must be an entry such as { "discord": "@name", "rsn": "Zezima" }')];
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [at(issue.path, 'is missing')];
  }
  return [at(issue.path, issue.message)];
}

/**
 * Parses and validates the text of `clanstats.links.json`.
 * @throws {@link ConfigError} for invalid JSON (with line and column) and every invalid entry
 * (with its JSON path and how to fix it).
 */
export function parseLinksJson(text: string, label = LINKS_JSON_FILE_NAME): LinksFileEntry[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const problem = findJsonSyntaxProblem(body);
  if (problem !== undefined) {
    throw new ConfigError(
      [
        {
          setting: label,
          message: `${label} is not valid JSON: ${problem.message} at line ${problem.line}, column ${problem.column}`,
        },
      ],
      label,
    );
  }
  const value = JSON.parse(body) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      [
        {
          setting: label,
          message: `${label}: must be an object such as { "links": [ { "discord": "@name", "rsn": "Zezima" } ] }`,
        },
      ],
      label,
    );
  }
  const parsed = linksJsonSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.flatMap((issue) => jsonIssue(issue, label)),
      label,
    );
  }
  const entries: LinksFileEntry[] = [];
  for (const [index, entry] of (parsed.data.links ?? []).entries()) {
    entries.push({
      kind: 'link',
      discord: entry.discord.trim(),
      rsn: entry.rsn.trim(),
      note: entry.note,
      where: `links[${index}]`,
      position: { index },
    });
  }
  for (const [index, entry] of (parsed.data.notLinked ?? []).entries()) {
    entries.push({
      kind: 'notLinked',
      discord: entry.discord.trim(),
      rsn: entry.rsn === undefined ? null : entry.rsn.trim(),
      note: entry.note,
      where: `notLinked[${index}]`,
      position: { index },
    });
  }
  return entries;
}

// ------------------------------------------------------------------ CSV

/** One CSV record with the lines it spans. */
interface CsvRecord {
  fields: string[];
  /** Whether the first field was quoted (a quoted `#` does not start a comment). */
  firstQuoted: boolean;
  firstLine: number;
  lastLine: number;
}

/** Splits RFC 4180 CSV (`"…"` quoting with `""` for a quote; fields may span lines). */
function splitCsv(text: string, label: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldWasQuoted = false;
  let firstQuoted = false;
  let line = 1;
  let firstLine = 1;
  let offset = 0;
  const endField = (): void => {
    if (fields.length === 0) firstQuoted = fieldWasQuoted;
    fields.push(fieldWasQuoted ? field : field.trim());
    field = '';
    fieldWasQuoted = false;
  };
  const endRecord = (): void => {
    endField();
    records.push({ fields, firstQuoted, firstLine, lastLine: line });
    fields = [];
  };
  while (offset < text.length) {
    const character = text[offset] ?? '';
    if (quoted) {
      if (character === '"') {
        if (text[offset + 1] === '"') {
          field += '"';
          offset += 1;
        } else quoted = false;
      } else {
        if (character === '\n') line += 1;
        field += character;
      }
    } else if (character === '"') {
      if (field.trim() !== '') {
        throw new ConfigError(
          [
            {
              setting: `line ${line}`,
              message: `${label}: line ${line}: a quote (") in the middle of a field; put the whole field in quotes and double the quote inside ("")`,
            },
          ],
          label,
        );
      }
      field = '';
      quoted = true;
      fieldWasQuoted = true;
    } else if (character === ',') {
      endField();
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[offset + 1] === '\n') offset += 1;
      endRecord();
      line += 1;
      firstLine = line;
    } else if (fieldWasQuoted) {
      if (character.trim() !== '') {
        throw new ConfigError(
          [
            {
              setting: `line ${line}`,
              message: `${label}: line ${line}: text after a closing quote; put a comma between fields`,
            },
          ],
          label,
        );
      }
    } else {
      field += character;
    }
    offset += 1;
  }
  if (quoted) {
    throw new ConfigError(
      [
        {
          setting: `line ${firstLine}`,
          message: `${label}: line ${firstLine}: a quoted field is never closed; add the closing quote (")`,
        },
      ],
      label,
    );
  }
  if (field !== '' || fields.length > 0 || fieldWasQuoted) endRecord();
  return records;
}

const CSV_COLUMNS = ['action', 'discord', 'rsn', 'note'] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

function isBlank(record: CsvRecord): boolean {
  return record.fields.every((field) => field === '');
}

function isComment(record: CsvRecord): boolean {
  return !record.firstQuoted && (record.fields[0] ?? '').startsWith('#');
}

/**
 * Parses and validates the text of `clanstats.links.csv`: a header line naming the columns
 * `discord` and `rsn`, optionally `action` (`link`, the default, or `not-linked`) and `note`, in
 * any order; then one row per entry. Blank lines and lines starting with `#` are ignored.
 * @throws {@link ConfigError} naming the line and how to fix every problem.
 */
export function parseLinksCsv(text: string, label = LINKS_CSV_FILE_NAME): LinksFileEntry[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records = splitCsv(body, label).filter((record) => !isBlank(record) && !isComment(record));
  const header = records.shift();
  const issues: ConfigIssue[] = [];
  const issue = (line: number, message: string): void => {
    issues.push({ setting: `line ${line}`, message: `${label}: line ${line}: ${message}` });
  };
  if (header === undefined) return [];
  const columns = new Map<CsvColumn, number>();
  header.fields.forEach((name, index) => {
    const column = name.trim().toLowerCase();
    if (!(CSV_COLUMNS as readonly string[]).includes(column)) {
      issue(
        header.firstLine,
        `unknown column "${name}" in the header (columns: ${CSV_COLUMNS.join(', ')}; discord and rsn are required)`,
      );
    } else if (columns.has(column as CsvColumn)) {
      issue(header.firstLine, `the column "${column}" appears twice in the header`);
    } else {
      columns.set(column as CsvColumn, index);
    }
  });
  for (const required of ['discord', 'rsn'] as const) {
    if (!columns.has(required)) {
      issue(
        header.firstLine,
        `the header needs a "${required}" column; the first line should be: action,discord,rsn,note`,
      );
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, label);

  const entries: LinksFileEntry[] = [];
  for (const record of records) {
    const line = record.firstLine;
    if (record.fields.length !== header.fields.length) {
      issue(
        line,
        `has ${record.fields.length} fields but the header has ${header.fields.length}; put a field with a comma in double quotes`,
      );
      continue;
    }
    const get = (column: CsvColumn): string => {
      const index = columns.get(column);
      return index === undefined ? '' : (record.fields[index] ?? '').trim();
    };
    const action = get('action').toLowerCase();
    if (action !== '' && action !== 'link' && action !== 'not-linked') {
      issue(line, `action must be "link" or "not-linked", got "${get('action')}"`);
      continue;
    }
    const kind = action === 'not-linked' ? 'notLinked' : 'link';
    const discord = get('discord');
    const rsn = get('rsn');
    const note = get('note');
    const discordProblem = discordFieldProblem(discord);
    if (discordProblem !== undefined) issue(line, `discord ${discordProblem}`);
    if (rsn === '' && kind === 'link') {
      issue(
        line,
        'rsn is empty; give the RuneScape name, or set action to "not-linked" to never link this Discord user automatically',
      );
    } else if (rsn !== '') {
      const rsnProblem = rsnFieldProblem(rsn);
      if (rsnProblem !== undefined) issue(line, `rsn ${rsnProblem}`);
    }
    if (note.length > 500) issue(line, 'note is too long (500 characters at most)');
    entries.push({
      kind,
      discord,
      rsn: rsn === '' ? null : rsn,
      note: note === '' ? undefined : note,
      where: `line ${line}`,
      position: { firstLine: record.firstLine, lastLine: record.lastLine },
    });
  }
  if (issues.length > 0) throw new ConfigError(issues, label);
  return entries;
}

// ------------------------------------------------------------------ reading

/**
 * Finds the links file in `cwd`.
 * @returns its path and format, or `undefined` when there is none.
 * @throws {@link ConfigError} when both `clanstats.links.json` and `clanstats.links.csv` exist.
 */
export function findLinksFile(cwd: string): { path: string; format: 'json' | 'csv' } | undefined {
  const json = resolve(cwd, LINKS_JSON_FILE_NAME);
  const csv = resolve(cwd, LINKS_CSV_FILE_NAME);
  const hasJson = existsSync(json);
  const hasCsv = existsSync(csv);
  if (hasJson && hasCsv) {
    throw new ConfigError(
      [
        {
          setting: LINKS_JSON_FILE_NAME,
          message: `Both ${json} and ${csv} exist; keep only one links file (move the entries of one into the other, then delete it)`,
        },
      ],
      cwd,
    );
  }
  if (hasJson) return { path: json, format: 'json' };
  if (hasCsv) return { path: csv, format: 'csv' };
  return undefined;
}

/**
 * Reads and validates the links file in `cwd`.
 * @returns the file, or `undefined` when there is none.
 * @throws {@link ConfigError} for two files, an unreadable file or an invalid entry.
 */
export function readLinksFile(cwd: string): LinksFile | undefined {
  const found = findLinksFile(cwd);
  if (found === undefined) return undefined;
  const label = basename(found.path);
  let raw: string;
  try {
    raw = readFileSync(found.path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      [{ setting: label, message: `${found.path} could not be read: ${reason}` }],
      found.path,
      { cause: error },
    );
  }
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  const entries =
    found.format === 'json' ? parseLinksJson(text, label) : parseLinksCsv(text, label);
  return { format: found.format, path: found.path, label, text, entries };
}

// ------------------------------------------------------------------ resolution

/** The names the store knows, for resolving entries. */
export interface LinkDirectory {
  /** Discord users (not bots), with their nickname on the clan's server. */
  users: readonly LinkCandidateUser[];
  /** Every stored WOM player, with the current name first. */
  players: readonly LinkCandidatePlayer[];
  /** The players who are current members of the clan. */
  members: ReadonlySet<number>;
}

/** The result of resolving one name. */
export type Resolution<Value> = { ok: true; value: Value } | { ok: false; reason: string };

/** A user's names for messages: `@username (nickname)`. */
export function describeUser(user: LinkCandidateUser | undefined, id: string): string {
  if (user === undefined) return id;
  const extra = [user.nickname, user.globalName].find(
    (name): name is string => name !== null && name.trim() !== '' && name !== user.username,
  );
  return extra === undefined ? `@${user.username}` : `@${user.username} (${extra})`;
}

/**
 * Resolves the `discord` field: a user id (even one not harvested yet), `@username` (exact,
 * ignoring case), or a nickname or display name that exactly one user has (ignoring case).
 * Never a partial match.
 */
export function resolveDiscordUser(
  text: string,
  users: readonly LinkCandidateUser[],
): Resolution<string> {
  const wanted = text.trim();
  if (/^\d{17,20}$/.test(wanted)) return { ok: true, value: wanted };
  const lower = wanted.toLowerCase();
  if (wanted.startsWith('@')) {
    const name = lower.slice(1);
    const found = users.filter((user) => user.username.toLowerCase() === name);
    if (found.length === 1 && found[0] !== undefined) return { ok: true, value: found[0].id };
    if (found.length > 1) {
      return {
        ok: false,
        reason: `several Discord users have the username ${wanted}; use the user id`,
      };
    }
    return {
      ok: false,
      reason: `no Discord user with the username ${wanted} has been harvested yet; run "clanstats harvest", or use the user id`,
    };
  }
  const found = users.filter((user) =>
    [user.nickname, user.globalName, user.username].some(
      (name) => name !== null && name.trim().toLowerCase() === lower,
    ),
  );
  if (found.length === 1 && found[0] !== undefined) return { ok: true, value: found[0].id };
  if (found.length > 1) {
    return {
      ok: false,
      reason: `${found.length} Discord users go by "${wanted}" (${found
        .map((user) => `@${user.username}`)
        .join(', ')}); use the @username or the user id`,
    };
  }
  return {
    ok: false,
    reason: `no harvested Discord user has the nickname, display name or username "${wanted}"; use the @username or the user id`,
  };
}

/**
 * Resolves the `rsn` field to a WOM player: the one player whose current or former name it is
 * under WOM's normalisation (case, spaces, `-` and `_` are equivalent); never a partial match.
 * When several players had the name, the one who has it now wins, then the one who is a current
 * member; otherwise it is ambiguous.
 */
export function resolveRsn(text: string, directory: LinkDirectory): Resolution<number> {
  const key = normalizeRsn(text);
  const matches = directory.players.filter((player) =>
    player.names.some((name) => normalizeRsn(name.name) === key),
  );
  const only = (list: readonly LinkCandidatePlayer[]): number | undefined =>
    list.length === 1 ? list[0]?.playerId : undefined;
  const chosen =
    only(matches) ??
    only(matches.filter((player) => normalizeRsn(player.names[0]?.name ?? '') === key)) ??
    only(matches.filter((player) => directory.members.has(player.playerId)));
  if (chosen !== undefined) return { ok: true, value: chosen };
  if (matches.length === 0) {
    return {
      ok: false,
      reason: `no clan member (current or former) has the RuneScape name "${text}" in the database; check the spelling, or run "clanstats harvest" first`,
    };
  }
  return {
    ok: false,
    reason: `"${text}" has been the name of several players (${matches
      .map((player) => player.names[0]?.name ?? String(player.playerId))
      .join(', ')}); use the current RuneScape name`,
  };
}

/** Up to `limit` player names starting with `text` (normalised), for "did you mean" messages only. */
export function rsnsStartingWith(text: string, directory: LinkDirectory, limit = 5): string[] {
  const key = normalizeRsn(text);
  if (key === '') return [];
  const names = new Set<string>();
  for (const player of directory.players) {
    for (const name of player.names) {
      if (normalizeRsn(name.name).startsWith(key)) names.add(name.name);
    }
  }
  return [...names].sort((left, right) => left.localeCompare(right)).slice(0, limit);
}

/** Up to `limit` users with a name starting with `text` (ignoring case), for messages only. */
export function usersStartingWith(
  text: string,
  users: readonly LinkCandidateUser[],
  limit = 5,
): string[] {
  const key = text.trim().replace(/^@/, '').toLowerCase();
  if (key === '') return [];
  return users
    .filter((user) =>
      [user.nickname, user.globalName, user.username].some(
        (name) => name?.toLowerCase().startsWith(key) === true,
      ),
    )
    .slice(0, limit)
    .map((user) => describeUser(user, user.id));
}

/** An entry that could not be applied (not fatal: it stays in the file). */
export interface UnresolvedEntry {
  /** Which entry: the file, where, and what it says. */
  entry: string;
  /** Why, and what to do. */
  reason: string;
}

/** What the links file asks for, in store terms. */
export interface ResolvedLinks {
  /** Manual links. */
  links: Array<{ discordUserId: string; playerId: number }>;
  /** "Not linked" marks (`playerId` `null`: never link this user automatically). */
  blocks: Array<{ discordUserId: string; playerId: number | null }>;
  /** Entries that could not be applied, with the reason. */
  unresolved: UnresolvedEntry[];
  /** Each entry's resolution, in entry order (`undefined` when it did not resolve). */
  resolved: Array<{ discordUserId: string; playerId: number | null } | undefined>;
}

/** Names an entry for messages: `clanstats.links.json links[2] ("@mike" → "Sir Gowi")`. */
export function describeEntry(entry: LinksFileEntry, label: string): string {
  const target = entry.rsn === null ? 'any player' : `"${entry.rsn}"`;
  const arrow = entry.kind === 'link' ? '→' : 'is not';
  return `${label} ${entry.where} ("${entry.discord}" ${arrow} ${target})`;
}

/**
 * Resolves every entry against the names the store knows. Entries that do not resolve (a user
 * not harvested yet, an RSN not in the clan, a name several users share) are reported in
 * `unresolved`, not thrown. A pair that is both linked and marked not linked keeps the link.
 */
export function resolveLinksFile(
  entries: readonly LinksFileEntry[],
  directory: LinkDirectory,
  label: string,
): ResolvedLinks {
  const result: ResolvedLinks = { links: [], blocks: [], unresolved: [], resolved: [] };
  const linked = new Set<string>();
  const pending: Array<{
    entry: LinksFileEntry;
    block: { discordUserId: string; playerId: number | null };
  }> = [];
  for (const entry of entries) {
    const user = resolveDiscordUser(entry.discord, directory.users);
    const player = entry.rsn === null ? undefined : resolveRsn(entry.rsn, directory);
    const problems = [user, player].flatMap((resolution) =>
      resolution !== undefined && !resolution.ok ? [resolution.reason] : [],
    );
    if (!user.ok || (player !== undefined && !player.ok)) {
      result.unresolved.push({ entry: describeEntry(entry, label), reason: problems.join('; ') });
      result.resolved.push(undefined);
      continue;
    }
    const playerId = player?.value ?? null;
    result.resolved.push({ discordUserId: user.value, playerId });
    if (entry.kind === 'link' && playerId !== null) {
      result.links.push({ discordUserId: user.value, playerId });
      linked.add(`${user.value}:${playerId}`);
    } else {
      pending.push({ entry, block: { discordUserId: user.value, playerId } });
    }
  }
  for (const { entry, block } of pending) {
    if (block.playerId !== null && linked.has(`${block.discordUserId}:${block.playerId}`)) {
      result.unresolved.push({
        entry: describeEntry(entry, label),
        reason:
          'the same user and player are also under "links"; the link wins (remove one of the two)',
      });
      continue;
    }
    result.blocks.push(block);
  }
  return result;
}

// ------------------------------------------------------------------ editing

/** A new entry to write. */
export interface NewLinksEntry {
  /** `link` or `notLinked`. */
  kind: 'link' | 'notLinked';
  /** What to write as `discord` (the user id, so it survives renames). */
  discord: string;
  /** What to write as `rsn`, or `null` (only for `notLinked`). */
  rsn: string | null;
  /** A note for the leader, such as the user's names. */
  note?: string | undefined;
}

/** Changes to a links file. */
export interface LinksFileChanges {
  /** Entries to drop (from {@link LinksFile.entries}). */
  remove: readonly LinksFileEntry[];
  /** Entries to append, in order. */
  add: readonly NewLinksEntry[];
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$|^#/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function jsonEntry(entry: NewLinksEntry): Record<string, string> {
  const value: Record<string, string> = { discord: entry.discord };
  if (entry.rsn !== null) value.rsn = entry.rsn;
  if (entry.note !== undefined) value.note = entry.note;
  return value;
}

/**
 * The new text of a links file after `changes`: the leader's other entries, keys and order are
 * kept (JSON is re-indented with two spaces; CSV lines other than removed ones are kept byte for
 * byte). `file` `undefined` creates a new JSON file with a `$comment` explaining it.
 */
export function renderLinksFile(file: LinksFile | undefined, changes: LinksFileChanges): string {
  if (file === undefined || file.format === 'json') {
    const document = (
      file === undefined ? { $comment: LINKS_FILE_COMMENT } : JSON.parse(file.text)
    ) as Record<string, unknown>;
    const removed = new Set(
      changes.remove.map(
        (entry) => `${entry.kind}:${'index' in entry.position ? entry.position.index : -1}`,
      ),
    );
    for (const kind of ['links', 'notLinked'] as const) {
      const kindName = kind === 'links' ? 'link' : 'notLinked';
      const current = Array.isArray(document[kind]) ? (document[kind] as unknown[]) : [];
      const kept = current.filter((_, index) => !removed.has(`${kindName}:${index}`));
      const added = changes.add.filter((entry) => entry.kind === kindName).map(jsonEntry);
      if (kind in document || added.length > 0 || kind === 'links') {
        document[kind] = [...kept, ...added];
      }
    }
    return `${JSON.stringify(document, null, 2)}\n`;
  }
  const lines = file.text.split(/\r?\n/);
  const newline = file.text.includes('\r\n') ? '\r\n' : '\n';
  const dropped = new Set<number>();
  for (const entry of changes.remove) {
    if (!('firstLine' in entry.position)) continue;
    for (let line = entry.position.firstLine; line <= entry.position.lastLine; line += 1) {
      dropped.add(line);
    }
  }
  const kept = lines.filter((_, index) => !dropped.has(index + 1));
  while (kept.length > 0 && kept.at(-1) === '') kept.pop();
  const header = splitCsv(file.text, file.label).find(
    (record) => !isBlank(record) && !isComment(record),
  );
  const columns = (header?.fields ?? ['action', 'discord', 'rsn', 'note']).map((name) =>
    name.trim().toLowerCase(),
  );
  for (const entry of changes.add) {
    if (entry.kind === 'notLinked' && !columns.includes('action')) {
      throw new ConfigError(
        [
          {
            setting: file.label,
            message: `${file.label} has no "action" column, so it cannot say "not linked"; add an action column (link or not-linked) to the header`,
          },
        ],
        file.path,
      );
    }
    const values: Record<string, string> = {
      action: entry.kind === 'link' ? 'link' : 'not-linked',
      discord: entry.discord,
      rsn: entry.rsn ?? '',
      note: entry.note ?? '',
    };
    kept.push(columns.map((column) => csvField(values[column] ?? '')).join(','));
  }
  return `${kept.join(newline)}${newline}`;
}

/** Writes `text` to `path` atomically: a temporary file beside it, then a rename. */
export function writeFileAtomically(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, 'utf8');
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
