// A stand-in stage worker for run-stage.test.ts: behaves as FIXTURE_MODE says.
// Usage (by runStage): node fixture-stage.mjs <stage> [args]
const [stage = 'migrate'] = process.argv.slice(2);
const mode = process.env.FIXTURE_MODE ?? 'ok';

function event(value) {
  process.stderr.write(`${JSON.stringify(value)}\n`);
}
function result(value) {
  process.stdout.write(
    `${JSON.stringify({ protocol: 1, stage, durationMs: 5, counts: {}, details: {}, ...value })}\n`,
  );
}
const log = (type, message) =>
  event({ event: 'log', type, tag: stage, message, time: new Date().toISOString() });

switch (mode) {
  case 'ok':
    log('info', 'working');
    event({ event: 'progress', label: 'items', current: 1, total: 2 });
    event({ event: 'progress', label: 'items', current: 2, total: 2 });
    process.stderr.write('a raw warning line\n');
    process.stdout.write('stray stdout line\n');
    result({ status: 'ok', counts: { items: 2 }, details: { args: process.argv.slice(3) } });
    break;
  case 'throw':
    log('info', 'about to crash');
    throw new Error('fixture exploded');
  case 'signal':
    process.kill(process.pid, 'SIGKILL');
    break;
  case 'silent':
    break;
  case 'ok-then-exit-2':
    result({ status: 'ok' });
    process.exitCode = 2;
    break;
  case 'store-error':
    result({
      status: 'error',
      error: { code: 'MIGRATION_FAILED', message: 'migration 0002 failed', origin: 'store' },
    });
    process.exitCode = 1;
    break;
  case 'not-implemented':
    result({
      status: 'error',
      error: { code: 'NOT_IMPLEMENTED', message: 'not yet', origin: 'cli' },
    });
    process.exitCode = 1;
    break;
  case 'unexpected-error':
    result({
      status: 'error',
      error: {
        code: 'UNEXPECTED',
        message: 'Unexpected error: boom',
        origin: 'unexpected',
        stack: 'Error: boom\n    at somewhere',
      },
    });
    process.exitCode = 1;
    break;
  case 'wrong-stage':
    process.stdout.write(
      `${JSON.stringify({ protocol: 1, stage: 'report', status: 'ok', durationMs: 1, counts: {}, details: {} })}\n`,
    );
    break;
  case 'hang':
    // Dies on SIGTERM, as Node does by default.
    setInterval(() => undefined, 60_000);
    break;
  case 'ignore-sigterm':
    process.on('SIGTERM', () => log('warn', 'ignoring SIGTERM'));
    setInterval(() => undefined, 60_000);
    log('info', 'waiting');
    break;
  case 'wind-down':
    // Stops when asked, saying so and reporting a failure, as the harvest does.
    process.once('SIGTERM', () => {
      log('error', 'interrupted while working');
      result({
        status: 'error',
        error: { code: 'SOURCE_FAILED', message: 'interrupted', origin: 'cli' },
      });
      process.exit(1);
    });
    setInterval(() => undefined, 60_000);
    log('info', 'waiting');
    break;
  case 'env':
    result({ status: 'ok', details: { value: process.env.FIXTURE_VALUE ?? null } });
    break;
  default:
    throw new Error(`unknown FIXTURE_MODE ${mode}`);
}
