import { createTsupConfig } from '../../tooling/tsup.js';

export default createTsupConfig({
  // The built-in metric icons, read at runtime from dist/icons by loadIcons.
  copy: [{ from: '../../assets/icons', to: 'icons' }],
});
