import { createTsupConfig } from '../../tooling/tsup.js';

// Two programs: the orchestrator (bin) and the stage worker it spawns, one process per stage.
// Splitting: code loaded with import() (a stage's body, the demo's fakes) goes into chunks of its
// own, so a process loads only what its command or stage needs.
export default createTsupConfig({
  entry: ['src/bin.ts', 'src/stage.ts'],
  dts: false,
  splitting: true,
});
