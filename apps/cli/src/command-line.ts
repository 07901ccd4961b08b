/**
 * The command line: command definitions, parsing with `node:util` `parseArgs`, and help text.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** The commands, in the order help lists them. */
export const CommandNames = [
  'run',
  'demo',
  'harvest',
  'report',
  'export',
  'migrate',
  'backup',
  'restore',
  'optimize',
  'purge-content',
  'doctor',
  'link',
  'assets',
] as const;

/** A command name. */
export type CommandName = (typeof CommandNames)[number];

/** One option of a command. */
export interface OptionDefinition {
  /** `string` takes a value, `boolean` is a flag. */
  type: 'string' | 'boolean';
  /** A one-letter alias. */
  short?: string;
  /** The value's placeholder in help, such as `path`. */
  valueName?: string;
  /** One line for help. */
  description: string;
}

/** One command. */
export interface CommandDefinition {
  /** The command. */
  name: CommandName;
  /** One line for the command list. */
  summary: string;
  /** What follows `clanstats <name>` in the usage line. */
  usage: string;
  /** Paragraphs for the command's help. */
  description: readonly string[];
  /** Command-specific options. */
  options: Readonly<Record<string, OptionDefinition>>;
  /** How many positional arguments it accepts. */
  maxPositionals: number;
  /** Example invocations. */
  examples: readonly string[];
}

/** Options every command accepts. */
export const GlobalOptions: Readonly<Record<string, OptionDefinition>> = {
  help: {
    type: 'boolean',
    short: 'h',
    description: 'Show help (for a command: clanstats <command> --help)',
  },
  version: { type: 'boolean', description: 'Print the version and exit' },
  verbose: { type: 'boolean', description: 'Show debug logs, and stack traces with errors' },
  'env-file': {
    type: 'string',
    valueName: 'path',
    description: 'Read settings from this file instead of ./.env (the environment still wins)',
  },
};

const asOfOption: OptionDefinition = {
  type: 'string',
  valueName: 'time',
  description:
    'Compute the windows (7, 30, 90, 365 days) ending at this time instead of now, for reproducible reports: 2026-11-01, 2026-11-01T18:00:00+01:00',
};
const publicOption: OptionDefinition = {
  type: 'boolean',
  description:
    'Make a dashboard you can publish: no per-member Discord figures, no inactivity or rank-up lists, and clan_data.json is not copied to LOCAL_DRIVE_PATH (also: "publicMode": true in clanstats.config.json)',
};
const postSummaryOption: OptionDefinition = {
  type: 'boolean',
  description:
    'With DISCORD_WEBHOOK_URL set, post the weekly summary to Discord now, even if the last one is less than a week old',
};
const sinceOption: OptionDefinition = {
  type: 'string',
  valueName: 'time',
  description:
    'Read Discord history back to this date only (first run, or to extend it): 2025-01-01 or 365d',
};
const skipWomOption: OptionDefinition = {
  type: 'boolean',
  description: 'Leave Wise Old Man out of this harvest',
};
const skipDiscordOption: OptionDefinition = {
  type: 'boolean',
  description: 'Leave Discord out of this harvest',
};

/** Every command's definition. */
export const Commands: Readonly<Record<CommandName, CommandDefinition>> = {
  run: {
    name: 'run',
    summary: 'The whole pipeline: backup → migrate → harvest → report → export',
    usage: '[options]',
    description: [
      'Runs every stage in order, each in its own process: back up the database (kept: CLANSTATS_BACKUP_KEEP), apply pending migrations, harvest Wise Old Man and Discord, write the Excel report, and export the dashboard. The first stage that fails stops the run.',
      'Every stage of one run uses the same as-of time (now, or --as-of), so the report and the dashboard show the same numbers.',
      'When only one source of the harvest fails (Discord down, say), the report and the dashboard are still made from what the database has, and the run ends with SOURCE_FAILED (exit code 8).',
      'With --every, the command keeps running and starts the pipeline again at that interval (30m, 6h, 1d, 1h30m; at least 10m), each run under the lock and for its own "now". A failed run is logged and the next one runs as planned. Stop it with Ctrl+C (or SIGTERM); a run in progress is stopped and the lock released. Settings (.env) are read once at start; clanstats.config.json at every run.',
    ],
    options: {
      every: {
        type: 'string',
        valueName: 'interval',
        description: 'Keep running: start the pipeline again every interval (6h, 30m, 1d)',
      },
      'as-of': asOfOption,
      since: sinceOption,
      'skip-wom': skipWomOption,
      'skip-discord': skipDiscordOption,
      public: publicOption,
      'post-summary': postSummaryOption,
    },
    maxPositionals: 0,
    examples: [
      'clanstats run',
      'clanstats run --env-file ./clan.env',
      'clanstats run --as-of 2026-11-01T00:00:00Z',
      'clanstats run --every 6h',
    ],
  },
  demo: {
    name: 'demo',
    summary:
      'See ClanStats work on a made-up clan: fake Wise Old Man and Discord servers, a full run',
    usage: '[--dir <path>] [options]',
    description: [
      'Starts a fake Wise Old Man and a fake Discord server on this computer (127.0.0.1 only, nothing goes to the internet), serving a made-up clan of 300 members with a year of history and its Discord server, then runs "clanstats run" against them in the demo folder, exactly as it runs against the real APIs, and prints where the dashboard and the Excel report are.',
      'The demo folder (default ./demo) holds the database, app.log, clanstats.config.json and out/. Each demo starts afresh: it empties the folder first, and refuses a folder that is not empty and was not made by a demo. Your own settings (.env) are not used; nothing is copied to LOCAL_DRIVE_PATH.',
    ],
    options: {
      dir: { type: 'string', valueName: 'path', description: 'The demo folder (default ./demo)' },
      members: {
        type: 'string',
        valueName: 'n',
        description: 'Current members of the made-up clan, 10 to 2000 (default 300)',
      },
      seed: {
        type: 'string',
        valueName: 'n',
        description: 'Another seed gives another clan (default 2026)',
      },
    },
    maxPositionals: 0,
    examples: ['clanstats demo', 'clanstats demo --dir /tmp/clanstats-demo --members 1000'],
  },
  harvest: {
    name: 'harvest',
    summary: 'Fetch the roster, stats and gains from Wise Old Man and new messages from Discord',
    usage: '[options]',
    description: [
      'Fetches the group, its roster (joins, leaves and role changes kept as history), every member\'s current stats, their gains over the last 7, 30, 90 and 365 days, the activity feed and name changes from Wise Old Man, then every new Discord message (the first run reads the whole history, or from --since), then links Discord users to members ("clanstats link" for the links you set by hand).',
      'With WOM_GROUP_SECRET set, it first asks Wise Old Man to update every member and waits wom.updateWaitSeconds (clanstats.config.json, default 60).',
      "Discord is skipped when DISCORD_TOKEN and DISCORD_GUILD_ID are both unset. When one source fails, the other's data is still saved and the command exits with SOURCE_FAILED (exit code 8); the next run continues where this one stopped.",
    ],
    options: {
      'as-of': asOfOption,
      since: sinceOption,
      'skip-wom': skipWomOption,
      'skip-discord': skipDiscordOption,
    },
    maxPositionals: 0,
    examples: [
      'clanstats harvest',
      'clanstats harvest --since 90d',
      'clanstats harvest --skip-discord',
    ],
  },
  report: {
    name: 'report',
    summary: 'Write the Excel report (clan_report_summary_merged.xlsx)',
    usage: '[options]',
    description: [
      'Computes the clan model from the database for the as-of time (the same model export writes as clan_data.json) and writes clan_report_summary_merged.xlsx into CLANSTATS_OUT_DIR: a Summary sheet per member with conditional formatting, and sheets for skills, bosses, Discord, inactivity, rank-ups, roster changes, unlinked Discord users and how the figures were made.',
      'When the old report is open in Excel (locked), a timestamped copy is written beside it instead.',
    ],
    options: { 'as-of': asOfOption },
    maxPositionals: 0,
    examples: ['clanstats report'],
  },
  export: {
    name: 'export',
    summary:
      'Write the dashboard (clan_dashboard.html) and clan_data.json, and copy them to LOCAL_DRIVE_PATH',
    usage: '[options]',
    description: [
      'Computes the clan model from the database (every current member with their gains, messages, last activity, inactivity status, score and rank-up suggestion, for the last 7, 30, 90 and 365 days ending at the as-of time, in CLANSTATS_TIMEZONE) and writes it as clan_data.json and as the dashboard, clan_dashboard.html, into CLANSTATS_OUT_DIR.',
      'The dashboard is one self-contained page (no internet needed to view it): open it from disk, a synced drive or any static web host. Boss and skill images come from CLANSTATS_ASSETS_DIR where you put your own ("clanstats assets --from <dir>"), else from the built-in icons.',
      'With LOCAL_DRIVE_PATH set, both files are then copied there (each atomically; nothing else in that folder is touched). With --public, only the dashboard is copied.',
      'With DISCORD_WEBHOOK_URL set, it then posts a weekly summary to that Discord channel (top gainers, joins and leaves, how many are inactive) when the last one is a week old (by as-of time), or now with --post-summary. A failed post is a warning: the files are written, and the next export tries again.',
    ],
    options: { 'as-of': asOfOption, public: publicOption, 'post-summary': postSummaryOption },
    maxPositionals: 0,
    examples: ['clanstats export', 'clanstats export --public', 'clanstats export --post-summary'],
  },
  migrate: {
    name: 'migrate',
    summary: 'Apply, revert or list database migrations',
    usage: '[up|down|status] [options]',
    description: [
      'up (the default) applies every pending migration. down reverts the last one, or the last --step N, or every migration back to and including --to <name>. status lists applied and pending migrations. Each migration runs in its own transaction.',
    ],
    options: {
      step: {
        type: 'string',
        valueName: 'n',
        description: 'down: how many migrations to revert (default 1)',
      },
      to: {
        type: 'string',
        valueName: 'name',
        description: 'down: revert migrations back to and including this one',
      },
    },
    maxPositionals: 1,
    examples: [
      'clanstats migrate',
      'clanstats migrate status',
      'clanstats migrate down --step 2',
      'clanstats migrate down --to 0002_add_ranks',
    ],
  },
  backup: {
    name: 'backup',
    summary: 'Copy the database into <db folder>/backups, keeping the newest CLANSTATS_BACKUP_KEEP',
    usage: '[options]',
    description: [
      'Makes a consistent copy of the database (safe while it is in use) in the backups folder next to it, then deletes the oldest copies beyond CLANSTATS_BACKUP_KEEP (default 10).',
    ],
    options: {},
    maxPositionals: 0,
    examples: ['clanstats backup'],
  },
  restore: {
    name: 'restore',
    summary: 'List backups, or restore one over the database',
    usage: '[<backup-file>] [--latest] [options]',
    description: [
      'Without arguments, lists the backups, newest first. With a backup file, or --latest for the newest, checks the backup and replaces the database with it (a copy of the replaced file is kept).',
    ],
    options: {
      latest: { type: 'boolean', description: 'Restore the newest backup' },
    },
    maxPositionals: 1,
    examples: [
      'clanstats restore',
      'clanstats restore --latest',
      'clanstats restore backups/clan_data-20261124T180000000Z.db',
    ],
  },
  optimize: {
    name: 'optimize',
    summary: 'Optimize the database, and vacuum it when much space is free',
    usage: '[options]',
    description: [
      'Checks the integrity of the database (and says to restore a backup if it is damaged), then runs',
      'PRAGMA optimize and ANALYZE, and VACUUM when enough of the file is free pages.',
    ],
    options: {},
    maxPositionals: 0,
    examples: ['clanstats optimize'],
  },
  'purge-content': {
    name: 'purge-content',
    summary: 'Remove every Discord message text stored in the database (and in backups/)',
    usage: '[--include-backups] [options]',
    description: [
      'Message text is stored only when clanstats.config.json has "discord": { "storeMessageContent": true }. This command removes all of it: it sets the text of every message and relayed clan-chat line to empty in one transaction (counts, questions, answers and names stay, so the report and the dashboard do not change), then rewrites the file (VACUUM) and empties its WAL, so no copy of the text is left on disk. It prints how many rows it cleared.',
      'Backups made before hold the text as it was. Without --include-backups they are left alone and the command says how many still hold text; with it, every backup in backups/ is purged and rewritten the same way. While storeMessageContent is still true, the next harvest stores text again: set it to false first.',
    ],
    options: {
      'include-backups': {
        type: 'boolean',
        description: 'Purge every backup in backups/ too',
      },
    },
    maxPositionals: 0,
    examples: ['clanstats purge-content', 'clanstats purge-content --include-backups'],
  },
  doctor: {
    name: 'doctor',
    summary: 'Check settings, rules, folders, the database and the APIs, and say what to fix',
    usage: '[options]',
    description: [
      'Checks every setting, clanstats.config.json, that the output folders are writable, that the database opens, passes its integrity check and has every migration, and that Wise Old Man and Discord accept the configured ids and tokens. Prints a checklist; exits with 7 if anything needs fixing.',
    ],
    options: {},
    maxPositionals: 0,
    examples: ['clanstats doctor', 'clanstats doctor --env-file ./clan.env'],
  },
  link: {
    name: 'link',
    summary: 'Say which Discord user is which RuneScape player, and list who is not linked yet',
    usage:
      '[<discord-user> <rsn>] [--remove <discord-user> [<rsn>]] [--list] [--unmatched] [options]',
    description: [
      'With a Discord user and a RuneScape name, links them by hand: the entry is added to clanstats.links.json (created if needed) and applied to the database. A link made by hand always wins over an automatic name match. The Discord user can be a user id, an @username, or a nickname only one member has; the RuneScape name can be a current or former name (case, spaces, - and _ do not matter, but it must be the whole name).',
      'Without arguments, applies clanstats.links.json (or clanstats.links.csv) after you edited it by hand, and recomputes the automatic links.',
      '--remove takes the link out of the file; if the link was automatic, it adds a "notLinked" entry so it does not come back. --list shows every link and "not linked" entry. --unmatched lists the people who wrote on Discord recently but are linked to no RuneScape name, with the names that match exactly and the command to link them.',
    ],
    options: {
      remove: {
        type: 'boolean',
        description: 'Remove a link (or mark an automatic one as wrong)',
      },
      list: { type: 'boolean', description: 'List every link and "not linked" entry' },
      unmatched: {
        type: 'boolean',
        description: 'List active Discord members who are linked to no RuneScape name',
      },
      days: {
        type: 'string',
        valueName: 'n',
        description: '--unmatched: count messages of the last n days (default 30)',
      },
      note: {
        type: 'string',
        valueName: 'text',
        description: 'A note to keep with a new link in the links file',
      },
    },
    maxPositionals: 2,
    examples: [
      'clanstats link @mike_1990 "Sir Gowi"',
      'clanstats link 81440962496172032 Zezima --note "main account"',
      'clanstats link --remove @mike_1990',
      'clanstats link --list',
      'clanstats link --unmatched --days 14',
      'clanstats link',
    ],
  },
  assets: {
    name: 'assets',
    summary: 'Use your own boss and skill images in the dashboard, or list the ones you installed',
    usage: '[--from <dir>] [options]',
    description: [
      'With --from, installs the images in that folder (not its subfolders) as the dashboard\'s icons: each file named after a boss, skill or activity (zulrah.png, "Chambers of Xeric.png", TzKal-Zuk.webp; case, spaces, hyphens and apostrophes do not matter) that is a PNG, JPEG, GIF, WEBP or SVG image of at most 256 KB is copied to CLANSTATS_ASSETS_DIR (default ./assets/custom) as <metric>.<ext>, replacing the image that metric had. Every other file is skipped, with the reason. The command fails when no image could be installed.',
      'Without --from, lists the images in CLANSTATS_ASSETS_DIR. Metrics without one use the built-in icons; delete a file there to go back to the built-in icon. The next "clanstats export" puts them in the dashboard.',
    ],
    options: {
      from: {
        type: 'string',
        valueName: 'dir',
        description: 'The folder with your images, named after the metric (zulrah.png)',
      },
    },
    maxPositionals: 0,
    examples: ['clanstats assets --from ./my-boss-images', 'clanstats assets'],
  },
};

/** Global flags, whatever the command. */
export interface GlobalFlags {
  /** `--verbose`. */
  verbose: boolean;
  /** `--env-file <path>`. */
  envFile: string | undefined;
}

/** What the command line asks for. */
export type ParsedCommandLine =
  | { kind: 'help'; command: CommandName | undefined }
  | { kind: 'version' }
  | {
      kind: 'command';
      command: CommandName;
      /** Command-specific option values. */
      values: Readonly<Record<string, string | boolean | undefined>>;
      positionals: readonly string[];
      flags: GlobalFlags;
    };

function isCommandName(value: string): value is CommandName {
  return (CommandNames as readonly string[]).includes(value);
}

type ParseArgsOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function toParseArgsOptions(
  definitions: Readonly<Record<string, OptionDefinition>>,
): ParseArgsOptions {
  const options: NonNullable<ParseArgsOptions> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    options[name] =
      definition.short === undefined
        ? { type: definition.type }
        : { type: definition.type, short: definition.short };
  }
  return options;
}

const allOptions: Readonly<Record<string, OptionDefinition>> = Object.assign(
  {},
  GlobalOptions,
  ...CommandNames.map((name) => Commands[name].options),
) as Record<string, OptionDefinition>;

/** Removes the literal `--` that `pnpm clanstats -- …` passes through. */
export function stripLeadingSeparator(argv: readonly string[]): string[] {
  return argv[0] === '--' ? argv.slice(1) : [...argv];
}

function rewordParseError(error: unknown, command: CommandName | undefined): UsageError {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const helpHint = command === undefined ? 'clanstats --help' : `clanstats ${command} --help`;
  const where = command === undefined ? '' : ` for "clanstats ${command}"`;
  const option = /'(-{1,2}[^'\s]+)/.exec(text)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) {
    return new UsageError(`Unknown option ${option}${where}. See "${helpHint}".`, command);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option !== undefined) {
    return new UsageError(`Option ${option} needs a value${where}. See "${helpHint}".`, command);
  }
  return new UsageError(`${text.split('\n')[0] ?? text}. See "${helpHint}".`, command);
}

/**
 * Parses the arguments after `clanstats`.
 * @throws {@link UsageError} for unknown commands and options, missing values, extra arguments.
 */
export function parseCommandLine(rawArgv: readonly string[]): ParsedCommandLine {
  const argv = stripLeadingSeparator(rawArgv);
  // First pass: find the command (the first positional) with every known option.
  let firstPass: ReturnType<typeof parseArgs>;
  try {
    firstPass = parseArgs({
      args: argv,
      options: toParseArgsOptions(allOptions),
      allowPositionals: true,
      strict: false,
    });
  } catch (error) {
    throw rewordParseError(error, undefined);
  }
  const commandArgument = firstPass.positionals[0];
  if (commandArgument === undefined) {
    if (firstPass.values.version === true && firstPass.values.help !== true)
      return { kind: 'version' };
    if (firstPass.values.help === true || argv.length === 0)
      return { kind: 'help', command: undefined };
    // Only options: check them strictly against the global ones to report a typo.
    try {
      parseArgs({ args: argv, options: toParseArgsOptions(GlobalOptions), strict: true });
    } catch (error) {
      throw rewordParseError(error, undefined);
    }
    throw new UsageError('Missing command. See "clanstats --help".');
  }
  if (commandArgument === 'help') {
    const topic = firstPass.positionals[1];
    return {
      kind: 'help',
      command: topic !== undefined && isCommandName(topic) ? topic : undefined,
    };
  }
  if (!isCommandName(commandArgument)) {
    throw new UsageError(
      `Unknown command "${commandArgument}". Commands: ${CommandNames.join(', ')}. See "clanstats --help".`,
    );
  }
  const command = commandArgument;
  const definition = Commands[command];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: toParseArgsOptions({ ...GlobalOptions, ...definition.options }),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw rewordParseError(error, command);
  }
  if (parsed.values.help === true) return { kind: 'help', command };
  if (parsed.values.version === true) return { kind: 'version' };
  const positionals = parsed.positionals.slice(1);
  if (positionals.length > definition.maxPositionals) {
    const extra = positionals.slice(definition.maxPositionals).join(' ');
    throw new UsageError(
      `Too many arguments for "clanstats ${command}": ${extra}. Usage: clanstats ${command} ${definition.usage}`,
      command,
    );
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const name of Object.keys(definition.options)) {
    const value = parsed.values[name];
    if (typeof value === 'string' || typeof value === 'boolean') values[name] = value;
  }
  const { verbose, 'env-file': envFile } = parsed.values;
  return {
    kind: 'command',
    command,
    values,
    positionals,
    flags: {
      verbose: verbose === true,
      envFile: typeof envFile === 'string' ? envFile : undefined,
    },
  };
}

function optionLines(definitions: Readonly<Record<string, OptionDefinition>>): string[] {
  const rows = Object.entries(definitions).map(([name, definition]) => {
    const flag = `${definition.short === undefined ? '    ' : `-${definition.short}, `}--${name}${
      definition.type === 'string' ? ` <${definition.valueName ?? 'value'}>` : ''
    }`;
    return [flag, definition.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return rows.map(([flag, description]) => `  ${flag.padEnd(width)}${description}`);
}

/** The program's help. */
export function programHelp(version: string): string {
  const width = Math.max(...CommandNames.map((name) => name.length)) + 2;
  return [
    `clanstats ${version}: who in your Old School RuneScape clan is active, from Wise Old Man and Discord.`,
    '',
    'Usage: clanstats <command> [options]',
    '',
    'Commands:',
    ...CommandNames.map((name) => `  ${name.padEnd(width)}${Commands[name].summary}`),
    '',
    'Global options:',
    ...optionLines(GlobalOptions),
    '',
    'Settings come from the environment and ./.env (the environment wins); clan rules from',
    './clanstats.config.json. Every run is logged to ./app.log. Run "clanstats doctor" to check',
    'your setup, and "clanstats <command> --help" for a command.',
  ].join('\n');
}

/** Wraps a paragraph at `width` columns. */
function wrap(paragraph: string, width = 96): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A command's help. */
export function commandHelp(command: CommandName): string {
  const definition = Commands[command];
  const lines = [
    `Usage: clanstats ${command} ${definition.usage}`,
    '',
    definition.summary,
    '',
    ...definition.description.flatMap((paragraph) => [...wrap(paragraph), '']),
  ];
  if (Object.keys(definition.options).length > 0) {
    lines.push('Options:', ...optionLines(definition.options), '');
  }
  lines.push('Global options:', ...optionLines(GlobalOptions), '');
  lines.push('Examples:', ...definition.examples.map((example) => `  ${example}`));
  return lines.join('\n');
}
