/**
 * Test helpers: run the built CLI as a real process in a temporary folder. Used by the tests
 * only; not part of either bundle.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built orchestrator. */
export const BIN_PATH = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** The built stage worker. */
export const STAGE_PATH = fileURLToPath(new URL('../dist/stage.js', import.meta.url));

/** What a finished CLI process left behind. */
export interface CliResult {
  /** The exit code (`null` when a signal ended it). */
  code: number | null;
  /** The signal that ended it, if any. */
  signal: NodeJS.Signals | null;
  /** Everything it printed on stdout. */
  stdout: string;
  /** Everything it printed on stderr. */
  stderr: string;
  /** stdout and stderr together. */
  output: string;
}

/** A temporary working folder, deleted by {@link TempFolder.remove}. */
export interface TempFolder {
  /** The folder. */
  path: string;
  /** A path inside it. */
  file(name: string): string;
  /** Deletes it. */
  remove(): void;
}

/** Creates a temporary working folder. */
export function createTempFolder(prefix = 'clanstats-cli-'): TempFolder {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    remove: () => {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/**
 * A clean environment for the CLI: none of the developer's own settings leak in, and consola's
 * level is explicit (it goes quiet under NODE_ENV=test otherwise).
 */
export function cliEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = { CLANSTATS_LOG_LEVEL: '3', NO_COLOR: '1' };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...extra };
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** The working folder. */
  cwd: string;
  /** Extra environment variables, on top of {@link cliEnvironment}. */
  env?: Record<string, string>;
  /** Start it in a process group of its own, so a test can kill it with its stages (`kill(-pid)`). */
  detached?: boolean;
  /** Called once with the child process, for tests that signal it. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
  /** Run it as this user and group (POSIX; the test process must be root), e.g. nobody's 65534. */
  user?: { uid: number; gid: number };
}

/**
 * Runs `node dist/bin.js <args>` without blocking the test process (so in-process fake HTTP
 * servers keep answering).
 */
export function runCli(args: readonly string[], options: RunCliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN_PATH, ...args], {
      cwd: options.cwd,
      env: cliEnvironment(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.detached ?? false,
      ...options.user,
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr, output });
    });
    options.onSpawn?.(child);
  });
}

/** Polls `condition` until it holds, failing after `timeoutMs` (for waiting on another process). */
export async function waitFor(
  condition: () => boolean,
  description: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
