import { resolve } from 'node:path';
import { build } from 'esbuild';
import { createTsupConfig } from '../../tooling/tsup.js';

// The page's own script (src/client, TypeScript for the browser) is bundled into one IIFE that the
// renderer inlines; the eta templates ship as files beside it.
export default createTsupConfig({
  copy: [
    { from: 'src/templates', to: 'templates' },
    // The built-in metric icons, read at runtime from dist/icons by loadIcons.
    { from: '../../assets/icons', to: 'icons' },
  ],
  async afterBuild(packageDir) {
    await build({
      entryPoints: [resolve(packageDir, 'src/client/main.ts')],
      outfile: resolve(packageDir, 'dist/client/dashboard.js'),
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['chrome109', 'firefox115', 'safari15.6'],
      minify: true,
      legalComments: 'none',
      charset: 'utf8',
      logLevel: 'warning',
    });
  },
});
