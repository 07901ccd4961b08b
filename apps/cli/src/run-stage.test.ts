import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DatabaseError,
  NotImplementedError,
  StageCrashedError,
  StageFailedError,
  StageTimeoutError,
  type ClanstatsError,
} from './errors.js';
import { LogFile } from './log-file.js';
import { createCliLogger } from './logger.js';
import { ProgressRenderer } from './progress.js';
import { Redactor } from './redact.js';
import { runStage } from './run-stage.js';
import { createTempFolder, type TempFolder } from './test-harness.js';
import { readFileSync } from 'node:fs';

const fixture = fileURLToPath(new URL('./__fixtures__/fixture-stage.mjs', import.meta.url));

let folder: TempFolder;
let terminal: string[];
let progressLines: string[];

beforeEach(() => {
  folder = createTempFolder();
  terminal = [];
  progressLines = [];
});
afterEach(() => {
  folder.remove();
});

function run(
  mode: string,
  extraEnv: Record<string, string> = {},
  args: string[] = [],
  deadline: { timeoutMs: number; killGraceMs: number } | Record<string, never> = {},
) {
  const stream = { write: (text: string) => terminal.push(text) };
  const logger = createCliLogger({
    terminalLevel: 3,
    fileLevel: 3,
    logFile: new LogFile(folder.file('app.log')),
    redactor: new Redactor(['super-secret-value']),
    stdout: stream,
    stderr: stream,
  });
  const progress = new ProgressRenderer({
    interactive: false,
    stream,
    log: (tag, message) => progressLines.push(`[${tag}] ${message}`),
  });
  return runStage({
    stage: 'migrate',
    args,
    env: { PATH: process.env.PATH, FIXTURE_MODE: mode, ...extraEnv },
    cwd: folder.path,
    logger,
    progress,
    scriptPath: fixture,
    ...deadline,
  });
}

async function failure(promise: Promise<unknown>): Promise<ClanstatsError> {
  try {
    await promise;
  } catch (error) {
    return error as ClanstatsError;
  }
  throw new Error('expected the stage to fail');
}

describe('runStage', () => {
  it('returns the result line and forwards logs, progress and raw output', async () => {
    const result = await run('ok', {}, ['up', '--step', '2']);
    expect(result).toMatchObject({
      status: 'ok',
      stage: 'migrate',
      counts: { items: 2 },
      details: { args: ['up', '--step', '2'] },
    });
    expect(terminal).toContain('ℹ [migrate] working\n');
    expect(progressLines).toEqual([
      '[migrate] items: 1/2 (50%)',
      '[migrate] items: 2/2 (100%) done',
    ]);
    const log = readFileSync(folder.file('app.log'), 'utf8');
    expect(log).toMatch(/INFO {2}\[migrate\] working/);
    expect(log).toMatch(/STDERR \[migrate\] a raw warning line/);
    expect(log).toMatch(/STDOUT \[migrate\] stray stdout line/);
  });

  it('passes the environment to the stage', async () => {
    const result = await run('env', { FIXTURE_VALUE: 'from the orchestrator' });
    expect(result.details.value).toBe('from the orchestrator');
  });

  it('names the stage when it crashes with an uncaught exception', async () => {
    const error = await failure(run('throw'));
    expect(error).toBeInstanceOf(StageCrashedError);
    expect(error.code).toBe('STAGE_CRASHED');
    expect(error.exitCode).toBe(5);
    expect(error.message).toBe(
      'Stage "migrate" crashed (exit code 1) without reporting a result: Error: fixture exploded. See app.log, or run again with --verbose.',
    );
    expect(error).toMatchObject({ processExitCode: 1, signal: null });
    // The stack went to app.log, not to the terminal.
    expect(terminal.join('')).not.toContain('at file://');
    expect(readFileSync(folder.file('app.log'), 'utf8')).toContain('fixture-stage.mjs');
  });

  it('names the signal that killed a stage', async () => {
    const error = await failure(run('signal'));
    expect(error).toBeInstanceOf(StageCrashedError);
    expect(error).toMatchObject({ signal: 'SIGKILL', processExitCode: null });
    expect(error.message).toContain('Stage "migrate" was killed by SIGKILL');
  });

  it('treats a missing result line as a crash', async () => {
    const error = await failure(run('silent'));
    expect(error).toBeInstanceOf(StageCrashedError);
    expect(error.message).toContain('Stage "migrate" ended without reporting a result');
  });

  it('treats a non-zero exit after a success line as a crash', async () => {
    const error = await failure(run('ok-then-exit-2'));
    expect(error).toBeInstanceOf(StageCrashedError);
    expect(error.message).toContain('reported success but exited with code 2');
  });

  it('rejects a result for another stage', async () => {
    const error = await failure(run('wrong-stage'));
    expect(error.message).toContain('reported a result for "report"');
  });

  it('maps reported errors to CLI errors by origin and code', async () => {
    const database = await failure(run('store-error'));
    expect(database).toBeInstanceOf(DatabaseError);
    expect(database).toMatchObject({ code: 'DATABASE', reason: 'MIGRATION_FAILED', exitCode: 6 });
    expect(database.message).toBe('migrate: migration 0002 failed');

    const notImplemented = await failure(run('not-implemented'));
    expect(notImplemented).toBeInstanceOf(NotImplementedError);
    expect(notImplemented.exitCode).toBe(3);

    const unexpected = await failure(run('unexpected-error'));
    expect(unexpected).toBeInstanceOf(StageFailedError);
    expect(unexpected).toMatchObject({ code: 'STAGE_FAILED', reason: 'UNEXPECTED', exitCode: 1 });
    expect(readFileSync(folder.file('app.log'), 'utf8')).toContain(
      'STACK [migrate] Error: boom\\n    at somewhere',
    );
  });

  describe('deadline', () => {
    const deadline = { timeoutMs: 400, killGraceMs: 300 };

    it('stops a stage that runs too long with SIGTERM and names the setting', async () => {
      const started = performance.now();
      const error = await failure(run('hang', {}, [], deadline));
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(error).toBeInstanceOf(StageTimeoutError);
      expect(error).toMatchObject({
        code: 'STAGE_TIMEOUT',
        exitCode: 9,
        stage: 'migrate',
        timeoutMs: 400,
        killed: false,
      });
      expect(error.message).toMatch(
        /^Stage "migrate" did not finish within 400ms \(CLANSTATS_STAGE_TIMEOUT\) and was stopped\. .*raise CLANSTATS_STAGE_TIMEOUT/,
      );
    });

    it('kills a stage that ignores SIGTERM once the grace period is over', async () => {
      const error = await failure(run('ignore-sigterm', {}, [], deadline));
      expect(error).toMatchObject({ code: 'STAGE_TIMEOUT', killed: true });
      expect(error.message).toContain('(killed: it did not stop when asked)');
    });

    it('keeps what a stage says while it winds down out of the terminal, and in app.log', async () => {
      const error = await failure(run('wind-down', {}, [], deadline));
      expect(error).toMatchObject({ code: 'STAGE_TIMEOUT', killed: false });
      expect(terminal.join('')).toContain('waiting');
      expect(terminal.join('')).not.toContain('interrupted while working');
      expect(readFileSync(folder.file('app.log'), 'utf8')).toContain('interrupted while working');
    });

    it('leaves a stage that finishes in time alone', async () => {
      const result = await run('ok', {}, [], deadline);
      expect(result.status).toBe('ok');
    });
  });
});
