import { cpSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/** Extra options a package may pass to {@link createTsupConfig}. */
export interface ClanstatsTsupOptions extends Options {
  /**
   * Folders copied into `dist/` after each build, for runtime files that tsup does not bundle
   * (SQL migrations, templates). Paths are relative to the package folder.
   * @example `[{ from: '../../migrations', to: 'migrations' }]`
   */
  copy?: ReadonlyArray<{ from: string; to: string }>;
  /**
   * Runs after each build and the copies, with the package folder: for outputs tsup does not make
   * itself (the dashboard's browser script, bundled with esbuild).
   */
  afterBuild?: (packageDir: string) => Promise<void> | void;
}

/**
 * The one tsup configuration every ClanStats package builds with: ESM only, Node 20.19 target,
 * type declarations, source maps, dependencies kept external (never bundled), and the package's
 * version injected as the global constant `__PACKAGE_VERSION__`.
 *
 * A package's `tsup.config.ts` is one call: `export default createTsupConfig()`.
 * Moving to another bundler later means changing this file only.
 */
export function createTsupConfig(
  options: ClanstatsTsupOptions = {},
): ReturnType<typeof defineConfig> {
  const { copy = [], afterBuild, ...tsupOptions } = options;
  const packageDir = process.cwd();
  const manifest = JSON.parse(readFileSync(resolve(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20.19',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    skipNodeModulesBundle: true,
    define: { __PACKAGE_VERSION__: JSON.stringify(manifest.version) },
    async onSuccess() {
      for (const { from, to } of copy) {
        const source = resolve(packageDir, from);
        if (!existsSync(source))
          throw new Error(`createTsupConfig: copy source ${source} is missing`);
        cpSync(source, resolve(packageDir, 'dist', to), { recursive: true });
      }
      await afterBuild?.(packageDir);
    },
    ...tsupOptions,
  });
}
