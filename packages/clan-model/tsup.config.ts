import { createTsupConfig } from '../../tooling/tsup.js';

export default createTsupConfig();
