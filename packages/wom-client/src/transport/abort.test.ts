import { describe, expect, it } from 'vitest';
import { onAbort } from './abort.js';
import { Transport } from './index.js';

describe('onAbort', () => {
  it('runs every registered callback once, and none that was forgotten', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    onAbort(controller.signal, () => calls.push('a'));
    const forget = onAbort(controller.signal, () => calls.push('b'));
    onAbort(controller.signal, () => calls.push('c'));
    forget();
    controller.abort();
    controller.abort();
    expect(calls).toEqual(['a', 'c']);
  });

  it('lets many queued requests share one signal without a listener-leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      // Nothing listens on this port: with one request per minute allowed, the first is sent
      // (and fails to connect, then waits to retry) while the other 249 wait in the queue.
      const transport = new Transport({
        baseUrl: 'http://127.0.0.1:9/v2',
        rateLimit: { points: 1, windowMs: 60_000 },
        retry: { baseDelay: 60_000, maxDelay: 60_000 },
      });
      const controller = new AbortController();
      const calls = Array.from({ length: 250 }, (_, index) =>
        transport.request('GET', `groups/${index + 1}`, { signal: controller.signal }).then(
          () => 'resolved',
          (error: unknown) => (error as { code?: string }).code,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      controller.abort(new Error('shutting down'));
      expect(new Set(await Promise.all(calls))).toEqual(new Set(['ABORTED']));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual(
        [],
      );
    } finally {
      process.off('warning', onWarning);
    }
  });
});
