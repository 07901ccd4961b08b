#!/usr/bin/env node
// Creates packages/<name> from tooling/package-template: `pnpm new-package <name> "<description>"`.
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [name, description = `ClanStats ${process.argv[2] ?? ''} package.`] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error(
    'usage: pnpm new-package <name> "<one-sentence description>"  (name: lowercase, digits, dashes)',
  );
  process.exit(2);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'packages', name);
if (existsSync(target)) {
  console.error(`packages/${name} already exists`);
  process.exit(1);
}
cpSync(join(root, 'tooling', 'package-template'), target, { recursive: true });

function fill(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) fill(path);
    else
      writeFileSync(
        path,
        readFileSync(path, 'utf8')
          .replaceAll('__NAME__', name)
          .replaceAll('__DESCRIPTION__', description),
      );
  }
}
fill(target);
console.log(`Created packages/${name}. Next: pnpm install, then write src/index.ts and README.md.`);
