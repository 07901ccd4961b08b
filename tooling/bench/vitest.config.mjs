// The bench runner's own tests: pnpm exec vitest run --config tooling/bench/vitest.config.mjs
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.test.mjs'],
    environment: 'node',
  },
});
