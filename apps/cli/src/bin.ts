#!/usr/bin/env node
/**
 * The `clanstats` binary: the orchestrator. It never opens the database itself; every database
 * stage runs as its own process (`stage.js`). See README.md.
 */
import { main } from './cli.js';

process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
});
