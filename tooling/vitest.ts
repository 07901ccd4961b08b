import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The one vitest configuration shared by every package: colocated `src/**\/*.test.ts`, Node
 * environment, the package version defined as in the build, v8 coverage over `src`.
 * A package's `vitest.config.ts` is `export default createVitestConfig()`, with overrides merged in.
 */
export function createVitestConfig(overrides: ViteUserConfig = {}): ViteUserConfig {
  const packageDir = process.cwd();
  const manifest = JSON.parse(readFileSync(resolve(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const shared = defineConfig({
    define: { __PACKAGE_VERSION__: JSON.stringify(manifest.version) },
    test: {
      include: ['src/**/*.test.ts'],
      environment: 'node',
      passWithNoTests: true,
      testTimeout: 30_000,
      hookTimeout: 30_000,
      coverage: {
        provider: 'v8',
        include: ['src/**/*.ts'],
        exclude: ['src/**/*.test.ts', 'src/index.ts'],
      },
    },
  });
  return mergeConfig(shared, overrides);
}

/**
 * Overrides for a package whose test files can share a worker: `createVitestConfig(sharedWorker)`.
 * The files then run one after another in the same process and module cache (`isolate: false`),
 * so the package, the testkit fakes and their dependencies load once per worker instead of once
 * per file (measured: 15–50% of a package's test CPU, under 10% where a browser does most of the
 * work), CPU the 2-core CI spends in parallel with every other package. What that asks of the
 * test files and their helpers:
 * - no `vi.mock` or `vi.doMock`: a module another file has already loaded stays unmocked, and the
 *   mock stays for the files after. To fake a Node builtin, replace the function on the builtin
 *   (`fs.statfsSync = …`), call `syncBuiltinESMExports()` from `node:module` so that named imports
 *   see it, and put both back in `afterAll`;
 * - no hooks registered by a helper module when it is imported (only the first file importing it
 *   would get them): a helper cleans up with `onTestFinished` where it creates the resource;
 * - whatever else is global (environment, listeners, servers) is put back or closed by the file
 *   that changed or opened it.
 */
export const sharedWorker = { test: { isolate: false } } as const satisfies ViteUserConfig;
