/**
 * The stage worker: `node dist/stage.js <stage> [args]`. The orchestrator (`bin.ts`) starts one
 * of these per database stage. Settings arrive in the environment; the one result line is
 * printed last on stdout, and logs and progress go to stderr as event lines.
 */
import { isStoreError } from '@clanstats/store';
import { runStageWorker } from './stage-runtime.js';
import { stageHandlers } from './stages.js';

process.exitCode = await runStageWorker({
  handlers: stageHandlers,
  isStoreError: (error): error is Error & { code: string } => isStoreError(error),
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  writeStdout: (line) => process.stdout.write(`${line}\n`),
  writeStderr: (line) => process.stderr.write(`${line}\n`),
});
