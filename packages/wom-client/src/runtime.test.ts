// The package must load where there is no `process` (browsers, workers, Deno, Bun, edge
// runtimes): bundle it with its dependency (ky) as a browser would, and evaluate it in a bare
// V8 context that has only the web globals.
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

async function browserBundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'wom',
    write: false,
    define: { __PACKAGE_VERSION__: '"0.0.0-test"' },
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output');
  return output.text;
}

describe('runtimes without Node globals', () => {
  it('loads and creates a client without touching process', async () => {
    const code = await browserBundle();
    const context = createContext({
      fetch,
      Request,
      Response,
      Headers,
      URL,
      URLSearchParams,
      AbortController,
      AbortSignal,
      DOMException,
      TextDecoder,
      TextEncoder,
      setTimeout,
      clearTimeout,
      structuredClone,
    });
    runInContext(`${code};globalThis.wom = wom;`, context);
    const result: unknown = runInContext(
      `typeof process + ' ' + typeof new wom.WomClient({ userAgent: 'browser' }).groups.getDetails + ' ' + wom.METRICS.length`,
      context,
    );
    expect(result).toBe('undefined function 113');
  });
});
