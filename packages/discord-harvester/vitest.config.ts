import { createVitestConfig, sharedWorker } from '../../tooling/vitest.js';

export default createVitestConfig(sharedWorker);
