/**
 * `clanstats link`, the orchestrator side: checks the command line, runs the `link` stage (which
 * opens the database and edits the links file) and prints what it returns. Never imports the
 * store.
 */
import * as z from 'zod';
import type { CommandContext } from './commands.js';
import { UsageError } from './errors.js';
import type { StageSuccess } from './protocol.js';
import type { Settings } from './settings.js';

/** What {@link linkCommand} needs from `commands.ts`. */
export interface LinkCommandTools {
  /** Reads and validates the core settings. */
  readSettings(): Settings;
  /** Takes the database lock for the rest of the command. */
  lock(settings: Settings): void;
  /** Runs the `link` stage with these arguments. */
  runLinkStage(settings: Settings, args: readonly string[]): Promise<StageSuccess>;
}

const summarySchema = z.object({
  file: z.string().nullable(),
  manual: z.number(),
  blocks: z.number(),
  automatic: z.object({ added: z.number(), removed: z.number(), kept: z.number() }),
  ambiguous: z.number(),
  contested: z.number(),
  unresolved: z.array(z.object({ entry: z.string(), reason: z.string() })),
});
const userSchema = z.object({ id: z.string(), label: z.string() });
const addSchema = z.object({
  user: userSchema,
  player: z.object({ id: z.number(), name: z.string() }),
  alreadyInFile: z.boolean(),
  removedNotLinked: z.number(),
  written: z.string().nullable(),
  created: z.boolean(),
  summary: summarySchema,
});
const removeSchema = z.object({
  user: userSchema,
  player: z.object({ id: z.number(), name: z.string() }).nullable(),
  removedEntries: z.number(),
  addedNotLinked: z.array(z.string()),
  written: z.string().nullable(),
  summary: summarySchema,
});
const listSchema = z.object({
  links: z.array(
    z.object({
      userId: z.string(),
      user: z.string(),
      playerId: z.number(),
      rsn: z.string(),
      source: z.string(),
    }),
  ),
  blocks: z.array(
    z.object({
      userId: z.string(),
      user: z.string(),
      playerId: z.number().nullable(),
      rsn: z.string().nullable(),
    }),
  ),
});
const unmatchedSchema = z.object({
  days: z.number(),
  authors: z.array(
    z.object({
      userId: z.string(),
      user: z.string(),
      messages: z.number(),
      lastMessageAt: z.string(),
      reason: z.string(),
      candidates: z.array(
        z.object({
          playerId: z.number(),
          rsn: z.string(),
          matchedName: z.string(),
          former: z.boolean(),
        }),
      ),
    }),
  ),
});

type Summary = z.infer<typeof summarySchema>;

/** Quotes an argument for the shell when needed (for the commands we print). */
function shellArgument(value: string): string {
  return /^[\w@.-]+$/.test(value) ? value : `"${value.replaceAll(/(["\\$`])/g, '\\$1')}"`;
}

function plural(count: number, word: string, plural = `${word}s`): string {
  return `${count} ${count === 1 ? word : plural}`;
}

function reportSummary(context: CommandContext, summary: Summary): void {
  const log = context.logger.withTag('link');
  const { added, removed } = summary.automatic;
  log.info(
    `Links now: ${summary.manual} by hand, ${summary.automatic.added + summary.automatic.kept} automatic (${added} new, ${removed} removed), ${plural(summary.blocks, '"not linked" entry', '"not linked" entries')}.`,
  );
  if (summary.ambiguous > 0 || summary.contested > 0) {
    log.info(
      `${plural(summary.ambiguous + summary.contested, 'Discord member')} could not be linked automatically (their name matches several players, or several members share a name); "clanstats link --unmatched" lists the active ones.`,
    );
  }
  for (const entry of summary.unresolved) {
    log.warn(`Not applied: ${entry.entry}: ${entry.reason}. It stays in the file.`);
  }
}

const REASONS: Readonly<Record<string, string>> = {
  no_match: 'no name matches a clan member',
  ambiguous: 'their names match several members; pick one',
  contested: 'another Discord member has the same name; link the right one',
  blocked: 'marked "not linked" for this player',
  manual: 'that player is already linked by hand to someone else',
  not_refreshed: 'will be linked automatically at the next harvest or "clanstats link"',
};

function validate(context: CommandContext): {
  mode: 'apply' | 'add' | 'remove' | 'list' | 'unmatched';
} {
  const { values, positionals } = context;
  const modes = (['remove', 'list', 'unmatched'] as const).filter((name) => values[name] === true);
  if (modes.length > 1) {
    throw new UsageError(
      `Use only one of ${modes.map((mode) => `--${mode}`).join(', ')}. See "clanstats link --help".`,
      'link',
    );
  }
  const mode = modes[0] ?? (positionals.length === 0 ? 'apply' : 'add');
  if (values.days !== undefined && mode !== 'unmatched') {
    throw new UsageError('--days only applies to "clanstats link --unmatched".', 'link');
  }
  if (values.note !== undefined && mode !== 'add') {
    throw new UsageError('--note only applies when adding a link.', 'link');
  }
  if (typeof values.days === 'string' && !/^[1-9]\d*$/.test(values.days)) {
    throw new UsageError(
      `--days must be a whole number of 1 or more, got '${values.days}'.`,
      'link',
    );
  }
  if ((mode === 'list' || mode === 'unmatched') && positionals.length > 0) {
    throw new UsageError(`--${mode} takes no other arguments: ${positionals.join(' ')}.`, 'link');
  }
  if (mode === 'add' && positionals.length !== 2) {
    throw new UsageError(
      'Give a Discord user and a RuneScape name, such as: clanstats link @mike_1990 "Sir Gowi" (put names with spaces in quotes).',
      'link',
    );
  }
  if (mode === 'remove' && positionals.length === 0) {
    throw new UsageError(
      'Give the Discord user whose link to remove, such as: clanstats link --remove @mike_1990',
      'link',
    );
  }
  return { mode };
}

/** Runs `clanstats link`. */
export async function linkCommand(context: CommandContext, tools: LinkCommandTools): Promise<void> {
  const { mode } = validate(context);
  const settings = tools.readSettings();
  const log = context.logger.withTag('link');

  if (mode === 'list') {
    const details = listSchema.parse((await tools.runLinkStage(settings, ['list'])).details);
    const lines: string[] = [];
    if (details.links.length === 0) {
      lines.push('No links yet. "clanstats link --unmatched" shows who to link.');
    } else {
      lines.push(`Linked (${details.links.length}):`);
      const width = Math.max(...details.links.map((link) => link.user.length));
      for (const link of details.links) {
        const source = link.source === 'manual' ? 'by hand' : 'automatic (name match)';
        lines.push(`  ${link.user.padEnd(width)}  →  ${link.rsn}  (${source})`);
      }
    }
    if (details.blocks.length > 0) {
      lines.push('', `Not linked (${details.blocks.length}):`);
      for (const block of details.blocks) {
        lines.push(
          `  ${block.user}  is not  ${block.rsn ?? 'anyone (never linked automatically)'}`,
        );
      }
    }
    context.print(lines.join('\n'));
    return;
  }

  if (mode === 'unmatched') {
    const days = typeof context.values.days === 'string' ? context.values.days : '30';
    const details = unmatchedSchema.parse(
      (await tools.runLinkStage(settings, ['unmatched', '--days', days])).details,
    );
    if (details.authors.length === 0) {
      context.print(
        `Everyone who wrote on Discord in the last ${plural(details.days, 'day')} is linked to a RuneScape name.`,
      );
      return;
    }
    const lines = [
      `${plural(details.authors.length, 'Discord member')} wrote in the last ${plural(details.days, 'day')} but ${details.authors.length === 1 ? 'is' : 'are'} linked to no RuneScape name:`,
    ];
    for (const author of details.authors) {
      lines.push(
        '',
        `  ${author.user}: ${plural(author.messages, 'message')}, last ${author.lastMessageAt.slice(0, 10)}; ${REASONS[author.reason] ?? author.reason}`,
      );
      if (author.candidates.length === 0) {
        lines.push(`      clanstats link ${author.userId} "<RuneScape name>"`);
      }
      for (const candidate of author.candidates) {
        const former = candidate.former ? ` (formerly ${candidate.matchedName})` : '';
        lines.push(
          `      ${candidate.rsn}${former}:  clanstats link ${author.userId} ${shellArgument(candidate.rsn)}`,
        );
      }
    }
    context.print(lines.join('\n'));
    return;
  }

  tools.lock(settings);
  if (mode === 'apply') {
    const result = await tools.runLinkStage(settings, ['apply']);
    const summary = summarySchema.parse(result.details.summary);
    log.success(
      summary.file === null
        ? 'No clanstats.links.json or clanstats.links.csv here; automatic links refreshed.'
        : `Applied ${summary.file}.`,
    );
    reportSummary(context, summary);
    return;
  }

  if (mode === 'add') {
    const [discord = '', rsn = ''] = context.positionals;
    const note = typeof context.values.note === 'string' ? ['--note', context.values.note] : [];
    const details = addSchema.parse(
      (await tools.runLinkStage(settings, ['add', discord, rsn, ...note])).details,
    );
    if (details.alreadyInFile) {
      log.info(
        `${details.user.label} is already linked to ${details.player.name} in ${details.summary.file ?? 'the links file'}.`,
      );
    } else {
      log.success(
        `Linked ${details.user.label} to ${details.player.name}${
          details.written === null
            ? ''
            : ` (${details.created ? 'created' : 'saved in'} ${details.written})`
        }.`,
      );
    }
    if (details.removedNotLinked > 0) {
      log.info(
        `Removed the "not linked" entry for ${details.user.label} and ${details.player.name}.`,
      );
    }
    reportSummary(context, details.summary);
    return;
  }

  const args = ['remove', ...context.positionals];
  const details = removeSchema.parse((await tools.runLinkStage(settings, args)).details);
  const target = details.player === null ? '' : ` and ${details.player.name}`;
  if (details.removedEntries > 0) {
    log.success(
      `Removed ${plural(details.removedEntries, 'link')} of ${details.user.label}${target} from ${details.written ?? 'the links file'}.`,
    );
  }
  if (details.addedNotLinked.length > 0) {
    log.success(
      `${details.user.label} is now marked as not ${details.addedNotLinked.join(', ')} in ${details.written ?? 'the links file'}, so the automatic link will not come back.`,
    );
  }
  if (details.removedEntries === 0 && details.addedNotLinked.length === 0) {
    log.info(`${details.user.label}${target} had no link to remove; nothing changed.`);
  }
  reportSummary(context, details.summary);
}
