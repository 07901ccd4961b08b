import { createTsupConfig } from '../../tooling/tsup.js';

// The SQL migrations live in the repository's top-level migrations/ and ship inside dist/.
export default createTsupConfig({ copy: [{ from: '../../migrations', to: 'migrations' }] });
