#!/usr/bin/env node
// Installs a package the way a user would, from its packed tarball, and loads it.
// Run from a package folder after `build`:  node ../../tooling/consumer-check.mjs <export> [<export> …]
//
// 1. `pnpm pack` into a temporary folder (the tarball holds exactly what npm would publish).
// 2. A scratch project outside the workspace `npm install`s that tarball (and its dependencies
//    from the registry, as a user's would).
// 3. `import` it from an ES module and `require()` it from CommonJS (Node >= 20.19 loads ESM
//    through require), checking that each named export exists and that nothing prints on load.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const expected = process.argv.slice(2);
const packageDir = process.cwd();
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'clanstats-consumer-'));
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function fail(message) {
  console.error(`consumer-check ${manifest.name}: ${message}`);
  process.exitCode = 1;
}

try {
  run('pnpm', ['pack', '--pack-destination', scratch], packageDir);
  const tarball = readdirSync(scratch).find((file) => file.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('pnpm pack produced no tarball');
  const project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }),
  );
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      resolve(scratch, tarball),
    ],
    project,
  );

  const list = JSON.stringify(expected);
  const name = JSON.stringify(manifest.name);
  const check = `
    const missing = ${list}.filter((key) => !(key in mod));
    if (missing.length > 0) { console.error('missing exports: ' + missing.join(', ')); process.exit(1); }
    process.stdout.write(String(Object.keys(mod).length));
  `;
  const esm = run(
    'node',
    ['--input-type=module', '-e', `const mod = await import(${name});${check}`],
    project,
  );
  const cjs = run(
    'node',
    ['--input-type=commonjs', '-e', `const mod = require(${name});${check}`],
    project,
  );
  // Anything beyond the export count means the package printed something when loaded.
  for (const [kind, output] of [
    ['import', esm],
    ['require', cjs],
  ]) {
    if (!/^\d+$/.test(output)) fail(`${kind} printed on load: ${JSON.stringify(output)}`);
  }
  if (process.exitCode !== 1) {
    console.log(
      `consumer-check ${manifest.name}: ${tarball} installs; import and require give ${esm} exports (${expected.length} checked)`,
    );
  }
} catch (error) {
  fail(error instanceof Error ? `${error.message}\n${error.stderr ?? ''}` : String(error));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
