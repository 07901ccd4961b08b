import { createVitestConfig } from '../../tooling/vitest.js';

export default createVitestConfig();
