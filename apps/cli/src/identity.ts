/**
 * Applies the clan leader's links file and the automatic name matches to the database. Runs
 * inside a stage process only (it opens nothing itself, but it works on an open store).
 */
import type { RefreshLinksResult, ReplaceManualLinksResult, Store } from '@clanstats/store';
import {
  readLinksFile,
  resolveLinksFile,
  type LinkDirectory,
  type LinksFile,
  type ResolvedLinks,
  type UnresolvedEntry,
} from './links-file.js';

/** What {@link applyIdentity} did. */
export interface ApplyIdentityResult {
  /** Manual links in the database afterwards. */
  manual: number;
  /** "Not linked" marks in the database afterwards. */
  blocks: number;
  /** How the automatic (exact name match) links changed. */
  automatic: { added: number; removed: number; kept: number };
  /** Links-file entries that could not be applied (they stay in the file). */
  unresolved: UnresolvedEntry[];
  /** Discord users whose names match several members, so they were not linked. */
  ambiguous: number;
}

/** Options of {@link applyIdentity}. */
export interface ApplyIdentityOptions {
  /** The working directory, where the links file lives. */
  cwd: string;
  /**
   * The clan's Discord server, whose nicknames are matched.
   * @defaultValue the most recently harvested server in the store
   */
  guildId?: string | undefined;
  /**
   * The time written into new links (epoch milliseconds).
   * @defaultValue `Date.now()`
   */
  at?: number | undefined;
}

/** {@link ApplyIdentityResult} with the details `clanstats link` shows. */
export interface ApplyIdentityDetails extends ApplyIdentityResult {
  /** The links file read, or `undefined` when there is none. */
  file: LinksFile | undefined;
  /** Its entries resolved. */
  resolved: ResolvedLinks;
  /** What {@link Store.identity}'s `replaceManualLinks` changed (`undefined` without a file). */
  replaced: ReplaceManualLinksResult | undefined;
  /** What `refreshAutomaticLinks` did. */
  refresh: RefreshLinksResult;
}

/** The names the store knows, for resolving links-file entries and `clanstats link` arguments. */
export function linkDirectory(store: Store, guildId?: string): LinkDirectory {
  const { users, players } = store.identity.linkCandidates({ guildId, allPlayers: true });
  const members = new Set(
    store.identity.linkCandidates({ guildId }).players.map((player) => player.playerId),
  );
  return { users, players, members };
}

/**
 * {@link applyIdentity} with every detail.
 * @throws {@link ConfigError} when the links file is invalid (nothing is written then).
 */
export function applyIdentityDetailed(
  store: Store,
  options: ApplyIdentityOptions,
): ApplyIdentityDetails {
  const file = readLinksFile(options.cwd);
  const at = options.at ?? Date.now();
  return store.transaction(() => {
    const directory = linkDirectory(store, options.guildId);
    const resolved =
      file === undefined
        ? { links: [], blocks: [], unresolved: [], resolved: [] }
        : resolveLinksFile(file.entries, directory, file.label);
    const replaced =
      file === undefined
        ? undefined
        : store.identity.replaceManualLinks(resolved.links, resolved.blocks, at);
    const refresh = store.identity.refreshAutomaticLinks({ guildId: options.guildId, at });
    const links = store.identity.listLinks();
    return {
      manual: links.filter((link) => link.source === 'manual').length,
      blocks: store.identity.listBlocks().length,
      automatic: { added: refresh.added, removed: refresh.removed, kept: refresh.kept },
      unresolved: resolved.unresolved,
      ambiguous: refresh.ambiguous.length,
      file,
      resolved,
      replaced,
      refresh,
    };
  });
}

/**
 * Applies the links file (`clanstats.links.json` or `.csv` in `cwd`, when there is one) as the
 * manual links and "not linked" marks, then recomputes the automatic links from exact name
 * matches, all in one transaction. Without a links file the manual links in the database are
 * left as they are. Entries that do not resolve yet (a user not harvested, an RSN not in the
 * clan) are reported in `unresolved`, not thrown.
 * @throws {@link ConfigError} when the links file is invalid or both files exist; nothing is
 * written then.
 */
export function applyIdentity(store: Store, options: ApplyIdentityOptions): ApplyIdentityResult {
  const { manual, blocks, automatic, unresolved, ambiguous } = applyIdentityDetailed(
    store,
    options,
  );
  return { manual, blocks, automatic, unresolved, ambiguous };
}
