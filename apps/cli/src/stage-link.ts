/**
 * The `link` stage: Discord users ↔ WOM players. Runs in the stage worker (it opens the
 * database); `clanstats link` in the orchestrator prints what it returns.
 *
 * - `link apply`: applies the links file and refreshes the automatic links.
 * - `link add <discord> <rsn> [--note <text>]`: adds a manual link to the links file, applies.
 * - `link remove <discord> [<rsn>]`: removes manual links from the file (or, when there is none,
 *   adds a "not linked" entry so an automatic link does not come back), applies.
 * - `link list`: every link and mark, read-only.
 * - `link unmatched [--days <n>]`: active Discord authors with no link, read-only.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore, type LinkCandidateUser, type Store } from '@clanstats/store';
import { ClanstatsError, UsageError } from './errors.js';
import { applyIdentityDetailed, linkDirectory, type ApplyIdentityDetails } from './identity.js';
import {
  LINKS_JSON_FILE_NAME,
  describeUser,
  readLinksFile,
  renderLinksFile,
  resolveDiscordUser,
  resolveLinksFile,
  resolveRsn,
  rsnsStartingWith,
  usersStartingWith,
  writeFileAtomically,
  type LinkDirectory,
  type LinksFileEntry,
  type NewLinksEntry,
} from './links-file.js';
import type { JsonValue } from './protocol.js';
import { CORE_SETTINGS, readSettings } from './settings.js';
import type { StageContext, StageHandler, StageOutput } from './stage-runtime.js';

const DAY_MS = 86_400_000;

function parse(context: StageContext): {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
} {
  try {
    const parsed = parseArgs({
      args: [...context.args],
      options: { note: { type: 'string' }, days: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(
      `stage link: ${error instanceof Error ? error.message : String(error)}`,
      'link',
    );
  }
}

async function withMigratedStore<Result>(
  context: StageContext,
  readonly: boolean,
  body: (store: Store) => Result,
): Promise<Result> {
  const path = readSettings(context.env, context.cwd, {
    validate: CORE_SETTINGS,
    require: [],
  }).databasePath;
  if (!existsSync(path)) {
    throw new ClanstatsError(
      'DATABASE',
      `There is no database at ${path} yet; run "clanstats run" (or "clanstats harvest") first, or set CLANSTATS_DB.`,
    );
  }
  const store = openStore(path, readonly ? { readonly: true } : {});
  try {
    await store.migrations.assertCurrent();
    return body(store);
  } finally {
    store.close();
  }
}

function userLabel(directory: LinkDirectory, id: string): string {
  return describeUser(
    directory.users.find((user) => user.id === id),
    id,
  );
}

function playerName(directory: LinkDirectory, playerId: number): string {
  return (
    directory.players.find((player) => player.playerId === playerId)?.names[0]?.name ??
    `player ${playerId}`
  );
}

function resolveUserArgument(text: string, directory: LinkDirectory): string {
  const user = resolveDiscordUser(text, directory.users);
  if (user.ok) return user.value;
  const close = usersStartingWith(text, directory.users);
  throw new UsageError(
    `Cannot tell which Discord user "${text}" is: ${user.reason}.${
      close.length > 0 ? ` Names starting with "${text}": ${close.join(', ')}.` : ''
    }`,
    'link',
  );
}

function resolveRsnArgument(text: string, directory: LinkDirectory): number {
  const player = resolveRsn(text, directory);
  if (player.ok) return player.value;
  const close = rsnsStartingWith(text, directory);
  throw new UsageError(
    `Cannot link to "${text}": ${player.reason}.${
      close.length > 0 ? ` RuneScape names starting with "${text}": ${close.join(', ')}.` : ''
    }`,
    'link',
  );
}

function summaryJson(applied: ApplyIdentityDetails): Record<string, JsonValue> {
  return {
    file: applied.file?.path ?? null,
    manual: applied.manual,
    blocks: applied.blocks,
    automatic: applied.automatic,
    ambiguous: applied.ambiguous,
    contested: applied.refresh.skipped.filter((entry) => entry.reason === 'contested').length,
    unresolved: applied.unresolved.map((entry) => ({ entry: entry.entry, reason: entry.reason })),
  };
}

function summaryCounts(applied: ApplyIdentityDetails): Record<string, number> {
  return {
    manual: applied.manual,
    blocks: applied.blocks,
    added: applied.automatic.added,
    removed: applied.automatic.removed,
    kept: applied.automatic.kept,
    unresolved: applied.unresolved.length,
  };
}

function apply(context: StageContext, store: Store): ApplyIdentityDetails {
  return applyIdentityDetailed(store, {
    cwd: context.cwd,
    guildId: context.settings.discordGuildId,
  });
}

/** The link entries of the file that resolve to this user (and player, when given). */
function matchingEntries(
  entries: readonly LinksFileEntry[],
  resolved: ReadonlyArray<{ discordUserId: string; playerId: number | null } | undefined>,
  kind: LinksFileEntry['kind'],
  userId: string,
  playerId: number | null | undefined,
): LinksFileEntry[] {
  return entries.filter((entry, index) => {
    const target = resolved[index];
    return (
      entry.kind === kind &&
      target?.discordUserId === userId &&
      (playerId === undefined || target.playerId === playerId)
    );
  });
}

function writeChanges(
  context: StageContext,
  file: ReturnType<typeof readLinksFile>,
  remove: readonly LinksFileEntry[],
  add: readonly NewLinksEntry[],
): string | undefined {
  if (remove.length === 0 && add.length === 0) return undefined;
  const path = file?.path ?? resolve(context.cwd, LINKS_JSON_FILE_NAME);
  writeFileAtomically(path, renderLinksFile(file, { remove, add }));
  return path;
}

function addLink(context: StageContext, positionals: readonly string[], note: string | undefined) {
  const [discord, rsn] = positionals;
  if (discord === undefined || rsn === undefined) {
    throw new UsageError('link add needs a Discord user and a RuneScape name', 'link');
  }
  return withMigratedStore(context, false, (store): StageOutput => {
    const file = readLinksFile(context.cwd);
    const directory = linkDirectory(store, context.settings.discordGuildId);
    const userId = resolveUserArgument(discord, directory);
    const playerId = resolveRsnArgument(rsn, directory);
    const resolved =
      file === undefined ? [] : resolveLinksFile(file.entries, directory, file.label).resolved;
    const entries = file?.entries ?? [];
    const existing = matchingEntries(entries, resolved, 'link', userId, playerId);
    const contradicting = matchingEntries(entries, resolved, 'notLinked', userId, playerId);
    const user = directory.users.find((candidate) => candidate.id === userId);
    const name = playerName(directory, playerId);
    const add: NewLinksEntry[] =
      existing.length > 0
        ? []
        : [
            {
              kind: 'link',
              discord: userId,
              rsn: name,
              note: note ?? (user === undefined ? undefined : describeUser(user, userId)),
            },
          ];
    const written = writeChanges(context, file, contradicting, add);
    const applied = apply(context, store);
    return {
      counts: summaryCounts(applied),
      details: {
        action: 'add',
        user: { id: userId, label: userLabel(directory, userId) },
        player: { id: playerId, name },
        alreadyInFile: existing.length > 0,
        removedNotLinked: contradicting.length,
        written: written ?? null,
        created: file === undefined && written !== undefined,
        summary: summaryJson(applied),
      },
    };
  });
}

function removeLink(context: StageContext, positionals: readonly string[]) {
  const [discord, rsn] = positionals;
  if (discord === undefined) {
    throw new UsageError('link remove needs a Discord user', 'link');
  }
  return withMigratedStore(context, false, (store): StageOutput => {
    const file = readLinksFile(context.cwd);
    const directory = linkDirectory(store, context.settings.discordGuildId);
    const userId = resolveUserArgument(discord, directory);
    const playerId = rsn === undefined ? undefined : resolveRsnArgument(rsn, directory);
    const resolved =
      file === undefined ? [] : resolveLinksFile(file.entries, directory, file.label).resolved;
    const entries = file?.entries ?? [];
    const removed = matchingEntries(entries, resolved, 'link', userId, playerId);
    const add: NewLinksEntry[] = [];
    if (removed.length === 0) {
      // No manual entry: mark the automatic link(s) as wrong, so they do not come back.
      const automatic = store.identity
        .listLinks()
        .filter(
          (link) =>
            link.discordUserId === userId &&
            link.source !== 'manual' &&
            (playerId === undefined || link.playerId === playerId),
        )
        .map((link) => link.playerId);
      const targets = playerId === undefined ? automatic : [playerId];
      for (const target of new Set(targets)) {
        if (matchingEntries(entries, resolved, 'notLinked', userId, target).length > 0) continue;
        add.push({ kind: 'notLinked', discord: userId, rsn: playerName(directory, target) });
      }
    }
    const written = writeChanges(context, file, removed, add);
    const applied = apply(context, store);
    return {
      counts: summaryCounts(applied),
      details: {
        action: 'remove',
        user: { id: userId, label: userLabel(directory, userId) },
        player:
          playerId === undefined ? null : { id: playerId, name: playerName(directory, playerId) },
        removedEntries: removed.length,
        addedNotLinked: add.map((entry) => entry.rsn ?? ''),
        written: written ?? null,
        summary: summaryJson(applied),
      },
    };
  });
}

function listLinks(context: StageContext) {
  return withMigratedStore(context, true, (store): StageOutput => {
    const directory = linkDirectory(store, context.settings.discordGuildId);
    const links = store.identity.listLinks();
    const blocks = store.identity.listBlocks();
    return {
      counts: { links: links.length, blocks: blocks.length },
      details: {
        links: links.map((link) => ({
          userId: link.discordUserId,
          user: userLabel(directory, link.discordUserId),
          playerId: link.playerId,
          rsn: playerName(directory, link.playerId),
          source: link.source,
        })),
        blocks: blocks.map((block) => ({
          userId: block.discordUserId,
          user: userLabel(directory, block.discordUserId),
          playerId: block.playerId,
          rsn: block.playerId === null ? null : playerName(directory, block.playerId),
        })),
      },
    };
  });
}

function unmatched(context: StageContext, daysText: string | undefined) {
  const days = daysText === undefined ? 30 : Number(daysText);
  if (!Number.isSafeInteger(days) || days < 1) {
    throw new UsageError(`--days must be a whole number of 1 or more, got '${String(daysText)}'`);
  }
  return withMigratedStore(context, true, (store): StageOutput => {
    const now = Date.now();
    const authors = store.identity.unmatchedAuthors({
      since: now - days * DAY_MS,
      until: now,
      guildId: context.settings.discordGuildId,
    });
    const label = (author: (typeof authors)[number]): string =>
      author.username === null
        ? author.userId
        : describeUser(
            {
              id: author.userId,
              username: author.username,
              globalName: author.globalName,
              nickname: author.nickname,
            } satisfies LinkCandidateUser,
            author.userId,
          );
    return {
      counts: { unmatched: authors.length },
      details: {
        days,
        authors: authors.map((author) => ({
          userId: author.userId,
          user: label(author),
          messages: author.messages,
          lastMessageAt: new Date(author.lastMessageAt).toISOString(),
          reason: author.reason,
          candidates: author.candidates.map((candidate) => ({
            playerId: candidate.playerId,
            rsn: candidate.currentName,
            matchedName: candidate.matchedName,
            former: candidate.former,
          })),
        })),
      },
    };
  });
}

/** The `link` stage body. */
export const linkStage: StageHandler = async (context) => {
  const { values, positionals } = parse(context);
  const [action, ...rest] = positionals;
  const note = typeof values.note === 'string' ? values.note : undefined;
  switch (action) {
    case 'apply':
      return withMigratedStore(context, false, (store): StageOutput => {
        const applied = apply(context, store);
        return {
          counts: summaryCounts(applied),
          details: { action: 'apply', summary: summaryJson(applied) },
        };
      });
    case 'add':
      return addLink(context, rest, note);
    case 'remove':
      return removeLink(context, rest);
    case 'list':
      return listLinks(context);
    case 'unmatched':
      return unmatched(context, typeof values.days === 'string' ? values.days : undefined);
    default:
      throw new UsageError(
        `stage link: unknown action "${String(action)}"; use apply, add, remove, list or unmatched`,
        'link',
      );
  }
};
