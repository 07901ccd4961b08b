import { createTsupConfig } from '../../tooling/tsup.js';

// Two programs: the orchestrator (bin) and the stage worker it spawns, one process per stage.
export default createTsupConfig({ entry: ['src/bin.ts', 'src/stage.ts'], dts: false });
