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
